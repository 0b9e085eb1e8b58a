"""One `prefect_test_harness` per pytest process, shared by every test folder that runs flows.

A pytest session can hold one harness only (10–13 s to start), but fixtures live in the
conftest of their folder: tests/flows and tests/e2e each declare a session fixture that calls
`shared_harness()`, and the first one starts the harness, the last one to finish stops it. The
flow-run heartbeat is off: it costs ~1 s per sync flow run.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

_stack: contextlib.ExitStack | None = None
_users = 0


@contextlib.contextmanager
def shared_harness() -> Iterator[None]:
    global _stack, _users
    if _stack is None:
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
        from prefect.testing.utilities import prefect_test_harness

        stack = contextlib.ExitStack()
        # 60 s is plenty on an idle machine; a loaded shared CI machine needed more than 3 minutes.
        stack.enter_context(prefect_test_harness(server_startup_timeout=600))
        stack.enter_context(temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}))
        _stack = stack
    _users += 1
    try:
        yield
    finally:
        _users -= 1
        if _users == 0 and _stack is not None:
            stack, _stack = _stack, None
            stack.close()
