"""`drain-outbox`: hand the queued e-mails to the transport (maildir or SMTP), as a retried task.

The tick drains after advancing the cycles; a stage flow drains right after its command, so the
notice, the explanation request or the publication e-mail leaves with the run that queued it
instead of waiting up to one tick interval. The relay claims rows with a lease and marks each
one sent in its own transaction: a retry, or a tick draining at the same time, sends nothing
twice (docs/operations.md, "Several workers at once").
"""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from dtiflow.bootstrap import current_app


@task(name="drain-outbox", retries=3, retry_delay_seconds=[10, 60, 300], cache_policy=NO_CACHE)
def drain_outbox(now: dt.datetime) -> int:
    return current_app().outbox.drain(now)
