"""A local Prefect for the demo process: its own PREFECT_HOME, the ephemeral API, quiet logs.

Prefect reads its settings when it is first imported, so `local_prefect` must be entered before
anything imports `prefect` (the CLI imports the flows lazily, inside the demo). The home folder is
kept between runs: its database migrations then cost nothing the second time (~8 s instead of
~16 s to start the temporary server). The flow-run heartbeat is off: it costs about one second
per flow run and nothing here can crash unseen.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

# A server elsewhere must not receive the demo's runs: the demo always uses its own.
_FOREIGN = ("PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH",
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")


@contextlib.contextmanager
def local_prefect(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    saved = dict(os.environ)
    for name in _FOREIGN:
        os.environ.pop(name, None)
    os.environ.update({
        "PREFECT_HOME": str(home.resolve()),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "true",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    })
    try:
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
