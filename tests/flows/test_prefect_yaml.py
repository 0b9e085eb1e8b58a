"""prefect.yaml is read by Prefect's own model, names real flows, and deploys as written."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PREFECT_YAML = ROOT / "prefect.yaml"
STAGES = {"open-cycle", "record-verification", "approve", "publish", "reopen"}


def _deployments() -> list[dict]:
    # The loader `prefect deploy` itself uses (PrefectYamlModel); it prints and skips an invalid
    # file instead of raising, so an empty result is the failure signal.
    from prefect.cli.deploy._config import _load_deploy_configs_and_actions
    from rich.console import Console

    configs, _actions = _load_deploy_configs_and_actions(PREFECT_YAML, console=Console(file=open(os.devnull, "w")))
    return configs


def test_prefects_own_model_reads_all_six_deployments_on_the_dtiflow_pool():
    configs = _deployments()
    assert sorted(c["name"] for c in configs) == sorted(STAGES | {"cycle-tick"})
    assert {c["work_pool"]["name"] for c in configs} == {"dtiflow-pool"}


def test_the_tick_fires_every_15_minutes_in_vietnam_time_one_at_a_time():
    from prefect.cli.deploy._schedules import _schedule_config_to_deployment_schedule

    tick = next(c for c in _deployments() if c["name"] == "cycle-tick")
    [schedule] = [_schedule_config_to_deployment_schedule(s)["schedule"] for s in tick["schedules"]]
    assert (schedule.cron, schedule.timezone) == ("*/15 * * * *", "Asia/Ho_Chi_Minh")
    assert tick["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW", "grace_period_seconds": 60}


def test_every_run_sends_a_heartbeat_every_30_seconds_so_a_dead_workers_run_is_found():
    assert {c["name"]: c["work_pool"]["job_variables"]["env"]["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"]
            for c in _deployments()} == {n: "30" for n in STAGES | {"cycle-tick"}}


def test_workers_import_the_flows_from_their_installed_package_not_from_a_path():
    shipped = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    assert shipped["pull"] == []  # else Prefect records the deploying host's directory
    assert all(re.fullmatch(r"flows\.\w+:\w+", c["entrypoint"]) for c in _deployments())


def test_the_stage_flows_have_no_schedule():
    assert {c["name"]: c["schedules"] for c in _deployments() if c["name"] in STAGES} == {n: [] for n in STAGES}


@pytest.mark.parametrize("name", sorted(STAGES | {"cycle-tick"}))
def test_each_entrypoint_loads_a_flow_whose_parameters_are_all_named_in_the_deployment(name):
    from prefect.flows import Flow, load_flow_from_entrypoint

    config = next(c for c in _deployments() if c["name"] == name)
    flow = load_flow_from_entrypoint(config["entrypoint"])  # a module path: the installed package
    assert isinstance(flow, Flow) and flow.name == name
    schema = flow.parameters.model_dump()
    documented = config.get("description", "") + " ".join(config.get("parameters", {}))
    missing = [p for p in schema["properties"] if p not in documented]
    assert missing == []
    assert set(config.get("parameters", {})) <= set(schema["properties"])


@pytest.mark.prefect
def test_prefect_deploy_all_creates_the_deployments_on_a_server_as_written(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PREFECT_HOME=str(tmp_path))
    prefect = [sys.executable, "-m", "prefect"]
    subprocess.run(prefect + ["work-pool", "create", "dtiflow-pool", "--type", "process", "--overwrite"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(prefect + ["--no-prompt", "deploy", "--all"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    async def read():
        async with get_client() as client:
            return {d.name: d for d in await client.read_deployments()}

    deployments = asyncio.run(read())
    assert STAGES | {"cycle-tick"} <= set(deployments)
    tick = deployments["cycle-tick"]
    assert [(s.schedule.cron, s.schedule.timezone) for s in tick.schedules] == [("*/15 * * * *", "Asia/Ho_Chi_Minh")]
    assert all(not deployments[n].schedules for n in STAGES)
    assert tick.work_pool_name == "dtiflow-pool"
