"""The one root of every refusal a person causes, and what is left: defects.

A *refusal* is a request the rules or the input do not allow: a date outside the calendar, a sheet
that names no criterion of its rubric, a unit that is not the actor's, a move the state machine
forbids, a reused idempotency key. The person who asked can act on it, so it is shown as one
Vietnamese sentence that says what and where: exit status 2 at the command line, an HTTP 4xx in
the portal (`http_status`).

Anything else that escapes a command is a *defect* of ours: a bug, a broken invariant, a database
that went away. People are shown "lỗi hệ thống" with an incident reference, the traceback goes to
the incident log under that reference (`dtiflow.incidents`), exit status 1 / HTTP 500. A
`ValueError` or `KeyError` is therefore never taken for the user's mistake: a refusal says so by
its class.
"""

from __future__ import annotations

from typing import ClassVar


class Refusal(Exception):
    """A request refused for a reason the person can act on; `str(refusal)` is the sentence."""

    http_status: ClassVar[int] = 400


class NotPermitted(Refusal):
    """The actor holds no grant for this (role, scope)."""

    http_status = 403


class Unknown(Refusal):
    """No such thing — or none this person may know of (the portal answers alike, no probing)."""

    http_status = 404


class Conflict(Refusal):
    """The state moved on, or the request contradicts one already recorded."""

    http_status = 409


class InvalidInput(Refusal):
    """A value a person gave (an argument, a field, a file) that cannot be accepted."""

    http_status = 422
