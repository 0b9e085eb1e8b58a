"""Errors at the command line: a person's mistake in the arguments, and defects.

`UserError` is the CLI's own refusal (a bad argument, a file that cannot be read); every
`domain.errors.Refusal` is shown the same way: one line, exit status 2. Anything else is a defect
(`report_defect`): the traceback goes to the incident log, the person sees "lỗi hệ thống" with
the incident's reference, exit status 1.
"""

from __future__ import annotations

from domain.errors import InvalidInput


class UserError(InvalidInput):
    pass
