"""The template's formulas agree with the engine: every filled workbook is recalculated by
LibreOffice headless (one `soffice` run converts them all), and every computed cell, criterion,
section and total, is compared with `dtiflow score --json` on the same workbook.

Two workbooks per shipped rubric: its YAML example, and a variant of it that moves each answer
to another branch of its rule (ratios below their tiers or above their denominator where
allowed, yes and no swapped, flags set or cleared, required evidence removed, points with
decimals); and the every-kind test rubric's sheets (a choice, a proportional ratio, count tiers,
two flags), compared with the engine's `score_sheet`, which `dtiflow score` prints. The files are saved by openpyxl, which keeps no computed result: each value read
back is LibreOffice's own.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess

import pytest

from domain.answers import Answer, SheetAnswers
from domain.rubric import Kind, Rubric
from dtiflow.cli.main import main
from rubrics.sheet_checks import builders
from rubrics.sheet_values import BadAnswer
from services.workbooks import blank_template
from store.answer_codec import answer_to_json
from workbooks import layout as L

from domain.scoring import score_sheet
from dtiflow.cli.score_cmd import as_json

from .person import EXAMPLES, example, fill
from .test_every_kind import RUBRIC as EVERY
from .test_every_kind import sheets as every_sheets
from .test_every_kind import template as every_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                reason="LibreOffice (soffice) is not installed here; .ci/run installs it")


def variant(rubric: Rubric, sheet: SheetAnswers) -> SheetAnswers:
    """Each answer moved to another branch of its criterion's rule, still a valid answer."""
    build = builders(rubric)
    out: dict[str, Answer] = {}
    for i, c in enumerate(rubric.criteria):
        a = sheet.answer(c.id)
        raw = {k: v for k, v in answer_to_json(a).items() if v not in (None, False, [])} if a else {}
        if c.kind is Kind.DOCUMENT:  # every other document left out: the row scores 0
            raw.pop("document", None)
            if i % 2 == 0 and a is not None and a.document is not None:
                raw["document"] = {"number": a.document.number, "date": a.document.date.isoformat()}
        elif c.kind is Kind.YES_NO:
            raw["yes"] = not (a.yes if a is not None and a.yes is not None else False)
        elif c.kind is Kind.RATIO:
            d = raw.get("denominator") or 40
            raw["denominator"] = d
            raw["numerator"] = d + 3 if c.numerator_may_exceed and i % 2 else int(raw.get("numerator", d) * 0.37)
        elif c.kind is Kind.COUNT:
            raw["count"] = 0 if raw.get("count") else 1
        elif c.kind is Kind.POINTS:
            top = c.max if c.max is not None else 100
            raw["points"] = round(max(0.0, min(top, (raw.get("points") or top) - 1.25)), 2)
        elif c.kind is Kind.CHOICE:
            keys = [o.key for o in c.options]
            raw["choice"] = keys[(keys.index(raw["choice"]) + 1) % len(keys)] if raw.get("choice") else keys[0]
        if c.rules:  # flags swapped: set where none, cleared where one was
            flagged = any(raw.pop(r.flag, False) for r in c.rules)
            if not flagged and i % 2 == 0:
                raw[c.rules[0].flag] = True
        if c.evidence.required and i % 2:
            raw.pop("evidence", None)
        try:
            out[c.id] = build[c.id](c.id, raw)
        except BadAnswer:
            continue  # this branch would need figures the example lacks: leave it unanswered
    return dataclasses.replace(sheet, answers=out)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """(name, rubric, workbook given, its LibreOffice-recalculated rows) for every case."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-calc-nogui")
    from python_calamine import CalamineWorkbook

    src = tmp_path_factory.mktemp("filled")
    out = tmp_path_factory.mktemp("recalculated")
    cases = []
    for path in EXAMPLES:
        rubric, sheet = example(path)
        template = blank_template(rubric.id)
        for tag, answers in (("example", sheet), ("variant", variant(rubric, sheet))):
            name = f"{rubric.id}.{tag}.xlsx"
            (src / name).write_bytes(fill(template, rubric, answers))
            cases.append((name, rubric))
    for i, sheet in enumerate(every_sheets()):
        name = f"{EVERY.id}.{i}.xlsx"
        (src / name).write_bytes(fill(every_template(), EVERY, sheet))
        cases.append((name, EVERY))
        EVERY_SHEETS[name] = sheet
    profile = tmp_path_factory.mktemp("lo-profile")
    run = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                          "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                          *sorted(str(src / n) for n, _ in cases)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    result = []
    for name, rubric in cases:
        rows = CalamineWorkbook.from_path(str(out / name)).get_sheet_by_name(L.MAIN).to_python(skip_empty_area=False)
        result.append((name, rubric, src / name, rows))
    return result


EVERY_SHEETS: dict[str, SheetAnswers] = {}


def _score(capsys, rubric_id: str, path) -> dict:
    if path.name in EVERY_SHEETS:  # not a shipped rubric: the engine itself, as the CLI prints it
        return as_json(score_sheet(EVERY, EVERY_SHEETS[path.name]))
    capsys.readouterr()
    assert main(["score", "--rubric", rubric_id, str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_computed_cell_agrees_with_dtiflow_score(recalculated, capsys):
    compared = nonzero = 0
    for name, rubric, given, rows in recalculated:
        scored = _score(capsys, rubric.id, given)
        engine = {c["id"]: c["points"] for c in scored["criteria"]}
        sections = {s["id"]: s["points"] for s in scored["sections"]}
        for r in L.rows_of(rubric):
            got = rows[r.row][L.COL_POINTS]
            want = engine[r.id] if r.kind == "criterion" else sections[r.id] if r.kind == "section" else scored["total"]
            assert isinstance(got, float) and got == pytest.approx(want, abs=1e-6), (name, r)
            compared += 1
            nonzero += want != 0
    assert compared > 400 and nonzero > 150  # the cells really carried points
