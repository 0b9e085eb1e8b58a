"""Loading thousands of sheet files on every core.

Parsing (`yaml_rs`) and checking are CPU-bound Python: on this 2-core machine 11,000 commune
sheets take ~2.5 s of CPU, over the 2-second target of issue 3. Large batches are therefore
split into chunks that forked worker processes load; the answers come back pickled through
`domain.answers.make_answer` (cheap) in file order. Small batches, and platforms without
`fork`, load in this process: the results are the same, only slower.

Errors stay deterministic: the first bad file in the order given is reported, as the serial
loader would.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from domain.answers import SheetAnswers, make_answer
from rubrics.sheet_loader import LoadedSheet, RubricFor, default_rubric_for, load_sheet_file
from rubrics.source import DataFileError

PARALLEL_FROM = 2_000  # files; below this, forking costs more than it saves
CHUNK = 250

_rubric_for: RubricFor | None = None  # inherited by forked workers (a closure cannot be pickled)


def load_many(paths: Sequence[Path | str], rubric_for: RubricFor | None = None, *,
              workers: int | None = None) -> list[LoadedSheet]:
    """Every sheet, in the order of `paths`; raises the first file's error (DataFileError)."""
    rubric_for = rubric_for or default_rubric_for()
    if workers is None:
        workers = (os.cpu_count() or 1) if len(paths) >= PARALLEL_FROM else 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [load_sheet_file(p, rubric_for) for p in paths]
    global _rubric_for
    _rubric_for = rubric_for
    chunks = [[str(p) for p in paths[i:i + CHUNK]] for i in range(0, len(paths), CHUNK)]
    out: list[LoadedSheet] = []
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for packed, error in pool.map(_load_chunk, chunks):
                out.extend(_unpack(x) for x in packed)
                if error is not None:
                    raise DataFileError(*error)
    finally:
        _rubric_for = None
    return out


def _load_chunk(paths: list[str]) -> tuple[list[tuple], tuple[str, str] | None]:
    assert _rubric_for is not None
    packed = []
    for p in paths:
        try:
            packed.append(_pack(load_sheet_file(p, _rubric_for)))
        except DataFileError as exc:
            # Sent back as text: the message already names file, line, unit, criterion, field.
            return packed, (str(exc.where), exc.message)
    return packed, None


# Answers travel as plain tuples (pickle handles those in C) and are rebuilt with make_answer:
# pickling the dataclasses themselves cost ~3 µs per answer each way.
def _pack(loaded: LoadedSheet) -> tuple:
    s = loaded.sheet
    answers = [(a.criterion_id, a.yes, a.numerator, a.denominator, a.count, a.document, a.choice,
                a.points, a.not_applicable, a.no_system, a.evidence, a.self_points) for a in s.answers.values()]
    return (s.unit, s.group, s.rubric_id, answers, loaded.verified, loaded.path)


def _unpack(packed: tuple) -> LoadedSheet:
    unit, group, rubric_id, answers, verified, path = packed
    return LoadedSheet(SheetAnswers(unit, group, rubric_id, {t[0]: make_answer(*t) for t in answers}), verified, path)
