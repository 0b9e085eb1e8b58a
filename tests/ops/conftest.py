"""One real Prefect server (PostgreSQL, every service on) shared by the ops tests of a run."""

from __future__ import annotations

import pytest

from prefect_server import prefect_server


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """The environment of a client of the server: PREFECT_API_URL, PREFECT_HOME, analytics off.
    The scheduler and the lease repossessor loop every 5 s instead of 60 s and 15 s."""
    settings = {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
                "PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS": "5"}
    with prefect_server(tmp_path_factory.mktemp("prefect-server"), **settings) as env:
        yield env
