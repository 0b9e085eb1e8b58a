"""The systemd units in deploy/systemd parse (`systemd-analyze verify`) and each says who runs it,
where its settings come from, how it stops and that it comes back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
VENV = Path(sys.executable).parent.parent


def _service_section(path: Path) -> dict[str, str]:
    values, section = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


def test_there_is_a_unit_for_the_prefect_server_the_workers_and_serve():
    assert sorted(p.name for p in UNITS.glob("*.service")) == [
        "dtiflow-prefect-server.service", "dtiflow-serve.service", "dtiflow-worker@.service"]


@pytest.mark.parametrize("unit", sorted(p.name for p in UNITS.glob("*.service")))
def test_each_unit_runs_as_dtiflow_with_an_environment_file_a_restart_policy_and_sigterm(unit):
    service = _service_section(UNITS / unit)
    assert (service["User"], service["Group"]) == ("dtiflow", "dtiflow")
    assert service["EnvironmentFile"].startswith("/etc/dtiflow/")
    example = UNITS / (Path(service["EnvironmentFile"]).name + ".example")
    assert example.is_file()  # the environment file the unit reads has a documented example
    assert service["Restart"] == "always" and service["KillSignal"] == "SIGTERM"
    assert service["ExecStart"].startswith("/opt/dtiflow/.venv/bin/")


def test_the_worker_unit_runs_the_worker_that_stops_on_one_sigterm():
    assert _service_section(UNITS / "dtiflow-worker@.service")["ExecStart"].startswith(
        "/opt/dtiflow/.venv/bin/dtiflow worker --pool dtiflow-pool")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed on this machine")
def test_systemd_analyze_verifies_every_unit_without_a_warning(tmp_path):
    # verify checks that ExecStart exists: point the units at this checkout's virtual environment.
    names = []
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8").replace("/opt/dtiflow/.venv", str(VENV))
        name = unit.name.replace("@.service", "@host1.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
        if "@." in unit.name:
            (tmp_path / unit.name).write_text(text, encoding="utf-8")
        names.append(name)
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
