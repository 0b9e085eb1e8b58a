"""Workbook speed: importing filled score-sheet templates with full validation, against the bare
reader opening the same files; and template generation time per rubric (docs/workbooks.md).

The files: a post-reform province's communes and departments several times over. Most are a
50-criterion commune sheet of every kind (a synthetic rubric shaped like a detailed DTI commune
appendix: yes/no, ratio, count, document, choice, points; evidence and self-assessed points on
some answers), the rest the shipped rubrics filled with their examples. Each file is a template
generated with the unit's answers (XlsxWriter, as `dtiflow sheet template --cycle --unit` writes
it); `--distinct` files are generated and copied under other names up to `--files`.

- bare: read the file, open it with calamine, read the marker and the main sheet's values;
- full: `workbooks.reader.read_workbook`: the zip inspection, marker and layout checks, every
  answer mapped and checked by the sheet loader's per-criterion checks, `SheetAnswers` built.
Target: (full - bare) < bare / 2, i.e. validation and mapping cost under half of the reading.

    .venv/bin/python benchmarks/bench_workbooks.py [--files 4000] [--distinct 400]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.answers import Answer, IssuedDocument, SheetAnswers  # noqa: E402
from domain.rubric import Criterion, Kind, Option, RatioMode, Rubric, Section, Tier  # noqa: E402
from rubrics.rubric_loader import list_rubrics, load_rubric  # noqa: E402
from rubrics.sheet_loader import load_sheet_file  # noqa: E402
from services.common import rubric_fingerprint  # noqa: E402
from workbooks import layout as L  # noqa: E402
from workbooks.reader import read_workbook  # noqa: E402
from workbooks.template import TemplateRequest, build_template  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KINDS = (Kind.YES_NO, Kind.RATIO, Kind.COUNT, Kind.DOCUMENT, Kind.CHOICE, Kind.POINTS)
COMMUNE_SHARE = 0.7


def synthetic_commune() -> Rubric:
    criteria = []
    for i in range(50):
        kind = KINDS[i % len(KINDS)]
        cid = f"{['I', 'II', 'III', 'IV', 'V'][i // 10]}.{i % 10 + 1}"
        extra: dict = {}
        if kind is Kind.RATIO:
            extra = {"ratio_mode": RatioMode.TIERS, "tiers": (Tier(50, 5), Tier(80, 10)),
                     "numerator_label": "Số hồ sơ trực tuyến", "denominator_label": "Tổng số hồ sơ"}
        elif kind is Kind.COUNT:
            extra = {"tiers": (Tier(3, 10),)}
        elif kind is Kind.CHOICE:
            extra = {"options": (Option("chairman", "Chủ tịch UBND trực tiếp chỉ đạo", 1.0),
                                 Option("vice_chairman", "Phó Chủ tịch UBND chỉ đạo", 0.5),
                                 Option("none", "Chưa phân công", 0.0))}
        criteria.append(Criterion(cid, f"Tiêu chí {cid} của phiếu thử", kind, 10.0, cid.split(".")[0], **extra))
    sections = tuple(Section(s, f"Mục {s}", 100.0, None, tuple(c.id for c in criteria if c.section_id == s))
                     for s in ("I", "II", "III", "IV", "V"))
    return Rubric("bench.commune", "Phiếu thử 50 tiêu chí (cấp xã)", "benchmark", 500.0, sections, tuple(criteria))


def synthetic_answers(rubric: Rubric, rng: random.Random, unit: str) -> SheetAnswers:
    out = {}
    for c in rubric.criteria:
        ev = ("Quyết định số 12/QĐ-UBND",) if rng.random() < 0.33 else ()
        sp = float(rng.randint(0, 10)) if rng.random() < 0.17 else None
        k = c.kind
        kw: dict = {}
        if k is Kind.YES_NO:
            kw = {"yes": rng.random() < 0.8}
        elif k is Kind.RATIO:
            kw = {"numerator": rng.randint(0, 120), "denominator": 120}
        elif k is Kind.COUNT:
            kw = {"count": rng.randint(0, 9)}
        elif k is Kind.DOCUMENT:
            kw = {"document": IssuedDocument(f"{rng.randint(1, 300)}/QĐ-UBND", __import__("datetime").date(2023, rng.randint(1, 9), 10))}
        elif k is Kind.CHOICE:
            kw = {"choice": rng.choice(["chairman", "vice_chairman", "none"])}
        else:
            kw = {"points": rng.randint(0, 20) / 2}
        out[c.id] = Answer(c.id, evidence=ev, self_points=sp, **kw)
    return SheetAnswers(unit, "commune", rubric.id, out)


def load() -> str:
    try:
        return "load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "load average unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=4000)
    ap.add_argument("--distinct", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=5, help="template generations per rubric (median)")
    args = ap.parse_args()

    commune = synthetic_commune()
    rubrics = {rid: load_rubric(rid) for rid in list_rubrics()}
    rubrics[commune.id] = commune
    fingerprints = {rid: rubric_fingerprint(r) for rid, r in rubrics.items()}
    examples = {p.parent.name: load_sheet_file(p).sheet for p in sorted((ROOT / "examples" / "sheets").glob("*/*.yaml"))}

    print(f"== template generation, median of {args.repeat} ({load()})")
    build_template(TemplateRequest(commune, fingerprints[commune.id], "commune"))  # warm the import
    for rid, r in sorted(rubrics.items()):
        times, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            build_template(TemplateRequest(r, fingerprints[rid], "g"))
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(f"  {rid:32} {len(r.criteria):3} criteria  {statistics.median(times) * 1000:7.1f} ms wall "
              f"{statistics.median(cpu) * 1000:7.1f} ms CPU")

    rng = random.Random(2026)
    tmp = Path(tempfile.mkdtemp(prefix="bench-workbooks-"))
    try:
        t = time.perf_counter()
        distinct = []
        shipped = sorted(examples)
        for i in range(args.distinct):
            if i < args.distinct * COMMUNE_SHARE:
                r, sheet = commune, synthetic_answers(commune, rng, f"UBND xã {i}")
            else:
                rid = shipped[i % len(shipped)]
                r, ex = rubrics[rid], examples[rid]
                sheet = SheetAnswers(f"{ex.unit} {i}", ex.group, ex.rubric_id, ex.answers)
            data = build_template(TemplateRequest(r, fingerprints[r.id], sheet.group, "", sheet.unit, answers=sheet))
            path = tmp / f"d{i:05}.xlsx"
            path.write_bytes(data)
            distinct.append(path)
        paths = []
        for j in range(args.files):
            src = distinct[j % len(distinct)]
            dst = tmp / f"f{j:05}.xlsx"
            if j < len(distinct):
                dst = src
            else:
                shutil.copyfile(src, dst)
            paths.append(dst)
        size = sum(p.stat().st_size for p in paths)
        print(f"== {len(paths)} filled workbooks ({len(distinct)} distinct, {size / len(paths) / 1024:.1f} kB on "
              f"average) written in {time.perf_counter() - t:.1f} s")

        from python_calamine import CalamineWorkbook

        def bare() -> int:
            n = 0
            for p in paths:
                data = p.read_bytes()
                book = CalamineWorkbook.from_filelike(io.BytesIO(data))
                book.get_sheet_by_name(L.META).to_python(skip_empty_area=False)
                n += len(book.get_sheet_by_name(L.MAIN).to_python(skip_empty_area=False))
            return n

        def full() -> int:
            n = 0
            get = rubrics.__getitem__
            fp = fingerprints.__getitem__
            for p in paths:
                read = read_workbook(p.read_bytes(), str(p), get, lambda r: fp(r.id))
                n += len(read.loaded.sheet.answers)
            return n

        results = {}
        for name, fn in (("bare reader", bare), ("full import", full), ("bare reader", bare), ("full import", full)):
            w, c = time.perf_counter(), time.process_time()
            count = fn()
            results.setdefault(name, []).append((time.perf_counter() - w, time.process_time() - c, count))
        print(f"== reading {len(paths)} files, best of 2 ({load()})")
        best = {}
        for name, runs in results.items():
            wall, cpu, count = min(runs)
            best[name] = cpu
            print(f"  {name:12} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {len(paths) / wall:7.0f} files/s wall  "
                  f"{len(paths) / cpu:7.0f} files/s CPU  ({count} rows or answers)")
        extra = best["full import"] - best["bare reader"]
        print(f"  validation and mapping: {extra:.2f} s CPU = {extra / best['bare reader'] * 100:.0f}% of the bare "
              f"reading (target under 50%)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
