"""Loading thousands of sheet files at once (a folder for `dtiflow rank`, the benchmark).

One process, with the cyclic garbage collector paused: the load creates a few objects per
answer and no reference cycles, and the collector would otherwise walk the growing heap again
and again (~25% of the time at 11,000 sheets). Worker processes were tried and dropped: sending
550,000 answers back between processes (pickling, rebuilding) cost as much CPU as loading them,
so two processes on this 2-core machine were slower than one.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Sequence

from rubrics.sheet_loader import LoadedSheet, RubricFor, default_rubric_for, load_sheet_file


def load_many(paths: Sequence[Path | str], rubric_for: RubricFor | None = None) -> list[LoadedSheet]:
    """Every sheet, in the order of `paths`; raises the first bad file's error (DataFileError)."""
    rubric_for = rubric_for or default_rubric_for()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [load_sheet_file(p, rubric_for) for p in paths]
    finally:
        if was_enabled:
            gc.enable()
