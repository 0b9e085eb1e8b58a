"""The manual stage flows carry their parameters, unchanged, to the service commands."""

from __future__ import annotations

import datetime as dt

import pytest

from flows import stages

pytestmark = pytest.mark.prefect

CASES = [
    (stages.open_cycle, "open_cycle",
     dict(actor_id="stttt-1", regime_id="binhthuan-2019-it", year=2019, facts={"notice": dt.date(2019, 8, 7)},
          idempotency_key="open-bt-2019", owner="province", level=None, cycle_id=None)),
    (stages.record_verification, "record_verification",
     dict(actor_id="council-1", cycle_id="bt-2019", unit_code="SO-TTTT", points={"II.1": 20.0, "III.2": 7.5},
          idempotency_key="verify-sotttt-1", note="Số liệu đã đối chiếu")),
    (stages.approve, "approve",
     dict(actor_id="ppc-1", cycle_id="bt-2019", decision_number="2875/QĐ-UBND", decision_date=dt.date(2019, 11, 22),
          idempotency_key="approve-2875")),
    (stages.publish, "publish",
     dict(actor_id="stttt-1", cycle_id="bt-2019", idempotency_key="publish-1",
          location="https://binhthuan.gov.vn/ket-qua")),
    (stages.reopen, "reopen",
     dict(actor_id="stttt-1", cycle_id="bt-2019", to_state="verification", reason="Hội đồng đề nghị thẩm định lại",
          idempotency_key="reopen-1")),
]


def _expected(params: dict) -> dict:
    expected = dict(params)
    expected["key"] = expected.pop("idempotency_key")
    return expected


@pytest.mark.parametrize("flow, command, params", CASES, ids=[c[1] for c in CASES])
def test_each_stage_flow_passes_its_parameters_unchanged_to_its_command(prefect_harness, fake_app, flow, command, params):
    result = flow(**params)
    assert fake_app.commands.calls == [(command, _expected(params))]
    assert result == {"command": command, "key": params["idempotency_key"]}


def test_dates_typed_in_the_prefect_form_reach_the_command_as_dates(prefect_harness, fake_app):
    stages.approve(actor_id="ppc-1", cycle_id="bt-2019", decision_number="2875/QĐ-UBND",
                   decision_date="2019-11-22", idempotency_key="approve-2875")
    stages.open_cycle(actor_id="stttt-1", regime_id="binhthuan-2019-it", year="2019",
                      facts={"notice": "2019-08-07"}, idempotency_key="open-1")
    (_, approve_call), (_, open_call) = fake_app.commands.calls
    assert approve_call["decision_date"] == dt.date(2019, 11, 22)
    assert open_call["facts"] == {"notice": dt.date(2019, 8, 7)} and open_call["year"] == 2019


@pytest.mark.parametrize("flow, command, params", CASES, ids=[c[1] for c in CASES])
def test_each_stage_flow_sends_the_mail_its_command_queued_in_the_same_run(prefect_harness, fake_app, flow, command,
                                                                          params):
    flow(**params)
    assert fake_app.outbox.calls == [fake_app.clock.now()]  # one drain, right after the command


def test_a_mail_server_down_does_not_fail_a_stage_whose_command_is_done(prefect_harness, fake_app):
    fake_app.outbox.failures = 1  # the drain fails once; the stage must not retry it (the tick will)
    result = stages.publish(actor_id="stttt-1", cycle_id="bt-2019", idempotency_key="publish-1")
    assert result == {"command": "publish", "key": "publish-1"}
    assert len(fake_app.outbox.calls) == 1


@pytest.mark.parametrize("flow", [c[0] for c in CASES], ids=[c[1] for c in CASES])
def test_every_stage_flow_requires_an_idempotency_key_and_documents_every_parameter(flow):
    schema = flow.parameters.model_dump()
    assert "idempotency_key" in schema["required"]
    undocumented = [name for name, prop in schema["properties"].items() if not prop.get("description")]
    assert undocumented == []
