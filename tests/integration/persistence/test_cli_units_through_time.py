"""From data alone, on the command line: post-reform Hà Nội's register and Decision 5279's regime
open the city's 2026 cycle for its agencies and its 126 wards and communes, under no district;
a cycle whose reference day comes before 1/7/2025 enrols no commune (they did not exist yet)."""

from __future__ import annotations

import pytest

from dtiflow.cli.main import main
from rubrics.source import DATA_DIR

PLAN = ["--fact", "data_period_start=2025-10-01", "--fact", "data_period_end=2026-09-30",
        "--fact", "self_assessment_due=2026-10-20", "--fact", "appraisal_due=2026-11-20",
        "--fact", "approval_due=2026-12-10"]


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'hanoi.db'}")
    monkeypatch.setenv("DTIFLOW_NOW", "2026-10-01T02:00:00Z")

    def run(*argv: str):
        capsys.readouterr()
        code = main([*argv, "--json"])
        out, err = capsys.readouterr()
        assert code == 0, (argv, out, err)
        return json.loads(out)
    run("db", "upgrade", "--sandbox")
    return run


def test_the_city_opens_its_2026_cycle_for_its_agencies_and_all_its_communes(cli):
    imported = cli("units", "import", str(DATA_DIR / "units" / "hanoi.yaml"))
    assert imported["by_kind"] == {"commune": 126, "department": 14, "office": 2}
    opened = cli("cycle", "open", "hanoi-2025-dti", "--year", "2026", "--notice-date", "2026-10-01", *PLAN,
                 "--as", "thuongtruc.hn.skhcn")
    assert (opened["units"], opened["groups"], opened["reference_date"]) == (142, ["department", "commune"], "2026-10-01")


def test_a_reference_day_before_the_reform_enrols_the_agencies_but_no_commune(cli):
    cli("units", "import", str(DATA_DIR / "units" / "hanoi.yaml"))
    opened = cli("cycle", "open", "hanoi-2025-dti", "--year", "2026", "--notice-date", "2026-10-01", *PLAN,
                 "--reference-date", "2025-06-30", "--as", "thuongtruc.hn.skhcn")
    assert (opened["units"], opened["reference_date"]) == (16, "2025-06-30")
