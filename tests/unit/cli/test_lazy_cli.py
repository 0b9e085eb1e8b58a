"""The command line imports only what the command being run needs (lazy registration, see
`dtiflow.cli.main`): `dtiflow --help` and a calendar question start without SQLAlchemy, Alembic,
Prefect or the `holidays` package; each command's help line in the table is the one its module
registers."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from dtiflow.cli.main import COMMANDS, build_parser

HEAVY = ("sqlalchemy", "alembic", "prefect", "holidays", "services", "store", "jinja2")


def imported_after(argv: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a fresh process has imported after `main(argv)`."""
    code = ("import json, sys\nfrom dtiflow.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('\\nMODULES=' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    line = done.stderr.rsplit("MODULES=", 1)[1]
    return set(json.loads(line))


def test_help_imports_no_command_module_and_nothing_heavy():
    loaded = imported_after(["--help"])
    assert not loaded & set(HEAVY)
    assert "rubrics" not in loaded and "dtiflow.cli.calendar_cmd" not in loaded


def test_a_calendar_question_needs_neither_the_database_nor_prefect_nor_holidays_once_cached(tmp_path):
    env = {"DTIFLOW_CACHE_DIR": str(tmp_path)}
    imported_after(["calendar", "is-working-day", "02/01/2026"], env)  # fills the cache
    assert list(tmp_path.iterdir()), "the holidays cache file was written"
    loaded = imported_after(["calendar", "is-working-day", "02/01/2026"], env)
    assert not loaded & set(HEAVY)


def test_a_damaged_cache_file_is_recomputed_with_the_same_answer(tmp_path, monkeypatch):
    from rubrics import holiday_cache

    monkeypatch.setenv("DTIFLOW_CACHE_DIR", str(tmp_path))
    first = holiday_cache.base_days(2025, 2026)
    (cached,) = tmp_path.iterdir()
    cached.write_text("[[not json", encoding="utf-8")
    assert holiday_cache.base_days(2025, 2026) == first
    assert holiday_cache.base_days(2025, 2026) == first  # now read back from the rewritten file


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_row_of_the_table_is_what_its_module_registers(command):
    parser = build_parser([command.name])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    registered = {c.dest: c.help for c in sub._choices_actions}
    assert registered[command.name] == command.help
    assert sub.choices[command.name].add_help, "the named command is fully registered, not a placeholder"


def test_every_command_still_appears_in_the_top_level_help(capsys):
    with pytest.raises(SystemExit) as done:
        build_parser(["--help"]).parse_args(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command.name in out and command.help.split()[0] in out
