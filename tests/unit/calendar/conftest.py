"""Fixtures of the calendar tests: the shipped calendar, and the CLI run in-process."""

from __future__ import annotations

import pytest

import dtiflow.cli.main as cli_main
from rubrics.calendar_loader import clear_cache, load_calendar


@pytest.fixture(scope="session")
def calendar():
    return load_calendar()


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run `dtiflow ...` through the real `main`; returns (exit status, stdout, stderr)."""

    def run(*argv: str):
        clear_cache()
        try:
            status = cli_main.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run
