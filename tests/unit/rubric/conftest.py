"""Fixtures of the rubric tests: the CLI run in-process."""

from __future__ import annotations

import pytest

import dtiflow.cli.main as cli_main


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run `dtiflow ...` through the real `main`; returns (exit status, stdout, stderr)."""

    def run(*argv: str):
        try:
            status = cli_main.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run
