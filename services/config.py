"""The services' composition: one object holding the ports (cosmicpython `bootstrap.py`).

Tests build it with a `MemoryUnitOfWork` or an SQLite/PostgreSQL `SqlUnitOfWork`, a
`FixedClock` and a `RecordingOutbox`; the CLI builds it from `dtiflow.settings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from domain.clock import Clock
from files.store import FileStore
from services.evidence import FileLimits
from services.ports import NullOutbox, Outbox


def _load_regime(regime_id: str):
    from rubrics.regime_loader import load_regime

    return load_regime(regime_id)


def _load_rubric(rubric_id: str):
    from rubrics.rubric_loader import load_rubric

    return load_rubric(rubric_id)


def _load_calendar():
    from rubrics.calendar_loader import load_calendar

    return load_calendar()


@dataclass
class Services:
    uow: Callable[[], object]  # a factory of units of work (store.uow.UnitOfWork)
    clock: Clock
    outbox: Outbox = field(default_factory=NullOutbox)
    load_regime: Callable[[str], object] = _load_regime
    load_rubric: Callable[[str], object] = _load_rubric
    load_calendar: Callable[[], object] = _load_calendar
    # Where evidence files are kept (files.local.LocalFileStore, or a bucket); None: no uploads.
    files: FileStore | None = None
    file_limits: FileLimits = field(default_factory=FileLimits)
