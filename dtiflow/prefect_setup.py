"""What a Prefect server needs besides `prefect deploy --all`: the work pool and the automations
that free the tick when a worker dies (`dtiflow ops prefect-setup`, docs/operations.md).

A worker killed with its flow run (the host lost power, `kill -9`, the OOM killer) leaves that
run RUNNING, or PENDING if it died while submitting, for ever. The tick deployment allows one run
at a time and cancels a new one while another holds the slot (`CANCEL_NEW`), so the dead run would
block every tick until Prefect's own lease on the slot ran out (300 s). Prefect's answer is the
flow-run heartbeat: the deployments' runs send one every `heartbeat` seconds
(`PREFECT_FLOWS_HEARTBEAT_FREQUENCY` in prefect.yaml's job variables), and an automation marks a
run CRASHED when its heartbeats stop; the CRASHED state releases the deployment's concurrency slot
at once, so the next tick runs on another worker. A run that dies while submitting sends no
heartbeat: a second automation marks a run CRASHED when no heartbeat follows its submission (the
heartbeat thread starts with the run, so a live run sends one within seconds; a PENDING run's
slot is freed even earlier by the deployment's `grace_period_seconds`).

Both automations match only runs tagged `dtiflow` and are kept by name: running the command again
replaces them, never duplicates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

POOL = "dtiflow-pool"
TAG = "dtiflow"
HEARTBEAT_SECONDS = 30          # what prefect.yaml sets; Prefect's minimum is 30
MISSED_HEARTBEATS = 3           # silent this many heartbeats in a row: the run is dead
SUBMITTING_SECONDS = 180        # no heartbeat this long after a worker took the run: it is dead

HEARTBEAT_AUTOMATION = "dtiflow: lượt chạy mất nhịp tim -> Crashed"
SUBMITTING_AUTOMATION = "dtiflow: lượt chạy không bắt đầu -> Crashed"

_FINAL = ("prefect.flow-run.Completed", "prefect.flow-run.Failed", "prefect.flow-run.Cancelled",
          "prefect.flow-run.Crashed", "prefect.flow-run.Cancelling")


@dataclass(frozen=True)
class SetupReport:
    pool_created: bool
    automations: dict[str, str]     # name -> id
    replaced: int                   # automations of the same names deleted first

    def as_dict(self) -> dict[str, Any]:
        return {"pool": POOL, "pool_created": self.pool_created, "automations": self.automations,
                "replaced": self.replaced}


def automations(heartbeat_seconds: int = HEARTBEAT_SECONDS, submitting_seconds: int = SUBMITTING_SECONDS) -> list[Any]:
    """The two automations as Prefect's own models (AutomationCore)."""
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    ours = {"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{TAG}"}
    runs = {"prefect.resource.id": "prefect.flow-run.*"}
    silent = heartbeat_seconds * MISSED_HEARTBEATS
    return [
        AutomationCore(
            name=HEARTBEAT_AUTOMATION,
            description=(f"Một lượt chạy dtiflow không gửi nhịp tim trong {silent} giây (tiến trình worker đã chết): "
                         "đánh dấu Crashed để giải phóng chỗ chạy của deployment cho lần chạy định kỳ sau."),
            trigger=EventTrigger(
                after={"prefect.flow-run.heartbeat"},
                expect={"prefect.flow-run.heartbeat", *_FINAL},
                match=runs, match_related=ours, for_each={"prefect.resource.id"},
                posture=Posture.Proactive, threshold=1, within=dt.timedelta(seconds=silent)),
            actions=[ChangeFlowRunState(
                state=StateType.CRASHED,
                message=f"Không nhận được nhịp tim trong {silent} giây: worker chạy lượt này đã dừng đột ngột.")],
        ),
        AutomationCore(
            name=SUBMITTING_AUTOMATION,
            description=(f"Một lượt chạy dtiflow không gửi nhịp tim nào trong {submitting_seconds} giây sau khi worker "
                         "nhận nó (worker chết khi đang khởi chạy): đánh dấu Crashed."),
            trigger=EventTrigger(
                after={"prefect.flow-run.Submitting"},
                expect={"prefect.flow-run.heartbeat", *_FINAL},
                match=runs, match_related=ours, for_each={"prefect.resource.id"},
                posture=Posture.Proactive, threshold=1, within=dt.timedelta(seconds=submitting_seconds)),
            actions=[ChangeFlowRunState(
                state=StateType.CRASHED,
                message=f"Lượt chạy không bắt đầu trong {submitting_seconds} giây: worker đã dừng khi đang khởi chạy.")],
        ),
    ]


async def setup(heartbeat_seconds: int = HEARTBEAT_SECONDS, submitting_seconds: int = SUBMITTING_SECONDS) -> SetupReport:
    """Create the process work pool if it is missing and (re)create the two automations."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    async with get_client() as client:
        try:
            await client.read_work_pool(POOL)
            created = False
        except ObjectNotFound:
            await client.create_work_pool(WorkPoolCreate(name=POOL, type="process"))
            created = True
        replaced, ids = 0, {}
        for automation in automations(heartbeat_seconds, submitting_seconds):
            for old in await client.read_automations_by_name(automation.name):
                await client.delete_automation(old.id)
                replaced += 1
            ids[automation.name] = str(await client.create_automation(automation))
    return SetupReport(created, ids, replaced)
