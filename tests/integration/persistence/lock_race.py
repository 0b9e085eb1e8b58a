"""The lock race: many units submit on separate connections while the lock runs, straddling
the acceptance end (decision record 0004).

A trial opens a fresh cycle whose acceptance end is a few hundred milliseconds ahead on a live
clock (the system clock shifted into September 2019), saves every unit's draft, then releases
the submitters at random moments around the acceptance end while one thread locks the cycle as
soon as the clock reaches it. The anomalies counted:
- accepted_missing: a submission answered on time / late whose sheet is not in the locked snapshot;
- refused_on_time: a submission refused although it was received before the acceptance end;
- accepted_after_end: a submission accepted with a receipt at or after the acceptance end;
- locked_unaccepted: a locked sheet that no submission was told was accepted.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from dataclasses import dataclass, field

from domain.instants import UTC
from dtiflow.clock import SystemClock
from services import cycles, sheets
from services.errors import InvalidRequest
from services.testing import SECRETARIAT, answers_for

REGIME = "binhthuan-2019-it"
ACCEPTANCE_END = dt.datetime(2019, 9, 20, 17, 0, tzinfo=UTC)  # end of 20/9/2019 local


class ShiftedClock:
    """The system clock moved so that `target` is `lead` ahead of now: real time passes, so
    threads race for real; the date is 2019's."""

    def __init__(self, target: dt.datetime, lead: dt.timedelta) -> None:
        self.offset = target - (SystemClock().now() + lead)

    def now(self) -> dt.datetime:
        return SystemClock().now() + self.offset


@dataclass
class TrialResult:
    submissions: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    locked: int = 0
    not_evaluated: int = 0
    anomalies: list[str] = field(default_factory=list)


EXTENDED_UNTIL = ACCEPTANCE_END + dt.timedelta(days=7)


def run_trial(services, units: list[str], trial: int, *, window_ms: int = 300, seed: int = 0,
              extended: bool = False) -> TrialResult:
    """`extended`: every unit has an extension; the cycle itself is locked at the acceptance
    end before the race, and the race straddles the units' own end while the lock runs again."""
    rng = random.Random(seed * 1000 + trial)
    end = EXTENDED_UNTIL if extended else ACCEPTANCE_END
    # The cycle is opened on its notice day (a notice whose deadlines have passed is refused), the
    # drafts are prepared an hour before the end.
    services.clock = ShiftedClock(dt.datetime(2019, 8, 7, 2, 0, tzinfo=UTC), dt.timedelta(0))
    cycle_id = f"race-{'ext-' if extended else ''}{trial}"
    cycles.open_cycle(services, actor_id=SECRETARIAT, regime_id=REGIME, year=2019, cycle_id=cycle_id,
                      facts={"notice": dt.date(2019, 8, 7)}, level="I")
    services.clock = clock = ShiftedClock(ACCEPTANCE_END, dt.timedelta(seconds=3600))  # well before the end
    for code in units:
        sheets.save_draft(services, actor_id=f"focal.{code.lower()}", cycle_id=cycle_id, unit_code=code,
                          answers=answers_for(services, f"{REGIME}.I", code, "I"))
        if extended:
            cycles.extend_deadline(services, actor_id=SECRETARIAT, cycle_id=cycle_id, unit_code=code,
                                   until=EXTENDED_UNTIL, reason="Bão")
    if extended:
        services.clock = ShiftedClock(ACCEPTANCE_END, dt.timedelta(seconds=-1))
        cycles.lock_cycle(services, actor_id=SECRETARIAT, cycle_id=cycle_id)  # the cycle locks; the units stay open
    # Now move the clock so that the (units') end is half a window ahead, and race.
    services.clock = clock = ShiftedClock(end, dt.timedelta(milliseconds=window_ms // 2))
    start = threading.Barrier(len(units) + 1)
    outcomes: dict[str, dict] = {}
    errors: list[str] = []

    def submit(code: str, delay: float) -> None:
        start.wait()
        time.sleep(delay)
        try:
            outcomes[code] = sheets.submit_sheet(services, actor_id=f"head.{code.lower()}", cycle_id=cycle_id,
                                                 unit_code=code, key=f"{cycle_id}:{code}")
        except Exception as exc:  # every outcome must be an answer; an exception is a finding
            errors.append(f"{code}: {exc.__class__.__name__}: {exc}")

    def lock() -> None:
        start.wait()
        while True:
            wait = (end - clock.now()).total_seconds()
            if wait > 0:
                time.sleep(wait)
            try:
                cycles.lock_cycle(services, actor_id=SECRETARIAT, cycle_id=cycle_id)
                return
            except InvalidRequest:  # "not yet": the clock was a hair early
                time.sleep(0.001)

    threads = [threading.Thread(target=submit, args=(c, rng.uniform(0, window_ms / 1000))) for c in units]
    threads.append(threading.Thread(target=lock))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _check(services, cycle_id, outcomes, errors, end)


def _check(services, cycle_id: str, outcomes: dict[str, dict], errors: list[str], end: dt.datetime) -> TrialResult:
    result = TrialResult(submissions=len(outcomes), anomalies=list(errors))
    with services.uow() as uow:
        final = {s.unit_code: s for s in uow.sheets.list(cycle_id)}
    for code, out in outcomes.items():
        received = dt.datetime.fromisoformat(out["received_at"])
        sheet = final[code]
        if out["outcome"] in ("on_time", "late"):
            result.on_time += out["outcome"] == "on_time"
            result.late += out["outcome"] == "late"
            if sheet.state != "locked":
                result.anomalies.append(f"accepted_missing: {code} accepted at {received} but is {sheet.state}")
            if received >= end:
                result.anomalies.append(f"accepted_after_end: {code} accepted at {received}")
        else:
            result.refused += 1
            if received < end:
                result.anomalies.append(f"refused_on_time: {code} refused at {received}")
    for code, sheet in final.items():
        result.locked += sheet.state == "locked"
        result.not_evaluated += sheet.state == "not_evaluated"
        if sheet.state == "locked" and outcomes.get(code, {}).get("outcome") not in ("on_time", "late"):
            result.anomalies.append(f"locked_unaccepted: {code}")
        if sheet.state not in ("locked", "not_evaluated"):
            result.anomalies.append(f"left_open: {code} is {sheet.state} after the lock")
    return result
