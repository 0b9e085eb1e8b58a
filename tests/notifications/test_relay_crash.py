"""The relay process is SIGKILLed at chosen points of a 2,000-message batch and restarted until
the outbox is drained: every message arrives, and the only duplicates are the messages the server
had accepted (250) whose "sent" mark was not yet committed (same Message-ID) — decision record 0007.
"""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from domain.reminders import BEFORE_DUE, DueReminder, Occasion
from notifications.messages import Recipient, Unit, unit_reminder
from notifications.outbox import enqueue_many
from notifications.samples import CYCLE, DUE
from store.outbox import OutboxMessage

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("crash_relay_script.py")
MESSAGES = 2000

# (what the run does, environment of the run)
RUNS = [
    ("killed from outside at a random moment", {"KILL_FROM_OUTSIDE": "1"}),
    ("killed after the 250 of its 150th message", {"CRASH_AFTER_ACCEPT": "150"}),
    ("killed right after its 7th commit", {"CRASH_AFTER_COMMIT": "7"}),
    ("killed right after claiming, before sending", {"CRASH_AFTER_CLAIM": "1"}),
    ("killed after the 250 of its 777th message", {"CRASH_AFTER_ACCEPT": "777"}),
    ("killed after the 250 of its 1st message", {"CRASH_AFTER_ACCEPT": "1"}),
    ("runs until the outbox is drained", {}),
]


def _fill_outbox(engine, composer, clock) -> set[str]:
    due = DueReminder(Occasion(BEFORE_DUE, "reminder:due-3wd:2019-09-11", DUE.date(), clock.now(), DUE,
                               "submission_due"), DUE.date(), DUE.date(), 3)
    mails = []
    for n in range(MESSAGES):
        unit = Unit(f"unit-{n:04d}", f"UBND xã số {n}", Recipient(f"focal{n}@xa.binhthuan.gov.vn", "Đầu mối"),
                    Recipient(f"head{n}@xa.binhthuan.gov.vn", "Chủ tịch"))
        mails.append(composer.compose(unit_reminder(CYCLE, unit, due), clock.now()))
    with Session(engine) as session:
        assert enqueue_many(session, mails, clock.now()) == MESSAGES
        session.commit()
    return {m.message_id for m in mails}


def _journal(path: Path) -> dict[str, list[str]]:
    events: dict[str, list[str]] = {"claimed": [], "accepted": [], "committed": []}
    if path.exists():
        for line in path.read_text().splitlines():
            event, message_id = line.split(" ", 1)
            events[event].append(message_id)
    return events


def _run(args, env, journal: Path, outside_kill: bool) -> int:
    """One relay process; an outside kill lands at a random moment after its first claim."""
    if not outside_kill:
        done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        if done.returncode not in (0, -signal.SIGKILL):
            print(done.stderr[-3000:], file=sys.stderr)
        return done.returncode
    proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):  # wait (at most 30 s) until it has claimed a batch
        if proc.poll() is not None or (journal.exists() and journal.stat().st_size):
            break
        time.sleep(0.01)
    time.sleep(random.uniform(0.05, 0.5))  # then ~50 to 500 messages into its work
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60)


def test_a_relay_killed_at_chosen_points_loses_nothing_and_duplicates_only_uncommitted_acceptances(
        tmp_path, engine, composer, clock, smtp, capsys):
    # The relay runs on its own SQLite file with the real clock; the fixture's FixedClock only
    # stamps the queued rows (in 2019, so everything is due at once).
    db_path = Path(engine.url.database)
    expected_ids = _fill_outbox(engine, composer, clock)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    expected_duplicates: collections.Counter[str] = collections.Counter()
    possible_duplicates: set[str] = set()  # outside kills: the 250 may precede the journal line
    lines = []
    for n, (what, extra) in enumerate(RUNS):
        journal = tmp_path / f"journal-{n}.txt"
        args = [sys.executable, str(SCRIPT), str(db_path), str(smtp.port), str(journal)]
        returncode = _run(args, {**env, **extra}, journal, outside_kill="KILL_FROM_OUTSIDE" in extra)
        events = _journal(journal)
        committed = set(events["committed"])
        if "KILL_FROM_OUTSIDE" not in extra:
            assert (returncode == -signal.SIGKILL) == bool(extra), f"run {n} ({what}): exit {returncode}"
        in_flight = [mid for mid in events["accepted"] if mid not in committed]
        if "KILL_FROM_OUTSIDE" in extra:
            possible_duplicates.update(mid for mid in events["claimed"] if mid not in committed)
        else:
            expected_duplicates.update(in_flight)
        lines.append(f"run {n}: {what} (exit {returncode}): claimed {len(events['claimed'])}, "
                     f"accepted {len(events['accepted'])}, committed {len(committed)}, "
                     f"accepted but not committed {len(in_flight)}")

    received = collections.Counter(r.message_id for r in smtp.sink.received)
    duplicates = collections.Counter({mid: count - 1 for mid, count in received.items() if count > 1})

    with Session(engine) as session:
        statuses = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    with capsys.disabled():
        print("\ncrash test:", *lines, sep="\n  ")
        print(f"  messages {MESSAGES}, distinct received {len(received)}, deliveries {sum(received.values())}, "
              f"duplicates {sum(duplicates.values())} (from the deterministic kills "
              f"{sum(expected_duplicates.values())}, from the outside kill {sum((duplicates - expected_duplicates).values())}), "
              f"outbox {statuses}")

    assert set(received) == expected_ids  # nothing lost
    assert statuses == {"sent": MESSAGES}
    # Duplicates only where a kill fell between the 250 and the commit: exactly the journal's
    # accepted-but-uncommitted messages for the deterministic kills, plus, for the outside kill,
    # at most one copy of messages it had claimed and not committed.
    exact = duplicates - expected_duplicates
    assert expected_duplicates - duplicates == collections.Counter()
    assert set(exact) <= possible_duplicates and all(c == 1 for c in exact.values())
    assert sum(expected_duplicates.values()) > 0  # the kills did hit that window
