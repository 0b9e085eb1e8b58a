"""The command line as a person uses it: `dtiflow ...` run in-process through the real `main`,
against a SQLite file migrated by `dtiflow db upgrade`, the shipped units register, mail
written to a maildir, and the clock pinned by DTIFLOW_NOW."""

from __future__ import annotations

import json

import pytest

from dtiflow.cli.main import main


class Cli:
    def __init__(self, monkeypatch, capsys, url: str, maildir) -> None:
        self.monkeypatch, self.capsys, self.url, self.maildir = monkeypatch, capsys, url, maildir
        monkeypatch.setenv("DTIFLOW_DATABASE_URL", url)
        monkeypatch.setenv("DTIFLOW_MAILDIR", str(maildir))
        self.err = ""

    def __call__(self, *argv: str, now: str | None = None, expect: int = 0):
        """Run one command; returns parsed JSON with --json, else stdout (stderr when it fails)."""
        if now:
            self.monkeypatch.setenv("DTIFLOW_NOW", now)
        self.capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
        out, self.err = self.capsys.readouterr()
        assert code == expect, (argv, out, self.err)
        assert "Traceback" not in self.err
        if expect == 2:
            assert self.err.startswith("dtiflow: "), self.err
            return self.err
        return json.loads(out) if "--json" in argv else out


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    run = Cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'cli.db'}", tmp_path / "mail")
    run("db", "upgrade", "--sandbox")  # a test database: DTIFLOW_NOW may pin its clock
    run("units", "import")
    return run
