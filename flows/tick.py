"""`cycle_tick`: the one heartbeat (decision record 0005), as a thin Prefect flow.

Two tasks, each a batch over every open cycle, never a task per unit (decision 8):
1. `advance_cycles` asks the service layer what is due at `now` and does it (moves,
   reminders into the outbox) — all in our database, compare-and-set, so a retry is harmless;
2. `drain_outbox` (flows/mail.py) hands the queued messages to SMTP — I/O, retried with back-off.

The flow reads the clock once: both tasks see the same instant. A missed run loses nothing (the
next one reads what is due from the database) and an overlapping one does nothing twice.
`dtiflow serve` calls the same two ports on its APScheduler interval (`App.tick_once`).
"""

from __future__ import annotations

import datetime as dt

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from dtiflow.bootstrap import current_app, ready_app
from flows.mail import drain_outbox
from flows.ports import TickCounts


# NO_CACHE: a tick must look at the database every time; its inputs (an instant) say nothing
# about what is due. The task results are small counts, not worth persisting.
@task(name="advance-cycles", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def advance_cycles(now: dt.datetime, cycle_id: str | None) -> TickCounts:
    return TickCounts.of(current_app().tick.run_tick(now, cycle_id))


@flow(name="cycle-tick", log_prints=True, validate_parameters=True)
def cycle_tick(cycle_id: str | None = None) -> dict[str, int]:
    """Do what is due now for every open cycle: reminders, the lock at the grace end, scoring
    after the lock, internal milestone reminders; then send the queued e-mails.

    Args:
        cycle_id: only this cycle (e.g. `binhthuan-2019-it-2019`); empty for every open cycle.
    """
    # ready_app: a worker whose settings cannot work fails here, at once, saying what to fix.
    now = ready_app().clock.now()
    advanced = advance_cycles(now, cycle_id or None, return_state=True)
    # Mail queued earlier (receipts, notices from the stage commands) goes out even when advancing
    # failed this time; the run still fails below, so the failure shows in Prefect.
    sent = drain_outbox(now)
    done = advanced.result()
    counts = TickCounts(done.moves, done.reminders_queued, done.messages_sent + sent, done.errors)
    print(f"tick at {now.isoformat()}: {counts.moves} moves, {counts.reminders_queued} reminders queued, "
          f"{counts.messages_sent} messages sent")
    for failed, why in counts.errors.items():  # the others went on; the secretariat was told
        print(f"tick at {now.isoformat()}: cycle {failed} failed: {why}")
    return counts.as_dict()
