"""Importing the units register is an administrative act: who may, what a re-import shows,
revokes and deactivates, what needs the administrator's confirmation or a forced reason, and
the council/approver rule over the grants in force — on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.authorization import NotAuthorized
from domain.instants import UTC
from rubrics.units_loader import PersonEntry, StaffEntry, UnitsRegister, load_units_register
from services import queries, register
from services.errors import InvalidRequest, NotFound
from services.register import ConfirmationRequired, import_register
from svc_scenario import CYCLE, open_2019

ADMIN = "quantri.stttt"
SAMPLE = load_units_register()


def _with_staff(base: UnitsRegister, *extra: StaffEntry, drop: set[str] = frozenset()) -> UnitsRegister:
    staff = tuple(s for s in base.staff if s.person.id not in drop) + extra
    return dataclasses.replace(base, staff=staff, file="<test>")


def _without_units(base: UnitsRegister, *codes: str) -> UnitsRegister:
    return dataclasses.replace(base, units=tuple(u for u in base.units if u.code not in codes), file="<test>")


def _grants(svc, person):
    with svc.uow() as uow:
        return sorted((g.role, g.unit_code, g.owner_scope) for g in uow.people.grants(person))


def _register_events(svc):
    return register.register_log(svc, actor_id=ADMIN)


def test_the_first_import_into_an_empty_database_is_the_bootstrap_and_is_audited(svc):
    (first,) = _register_events(svc)  # the fixture's import of the shipped register
    assert (first["actor"], first["role"], first["event"]) == ("system:bootstrap", "bootstrap", "RegisterImported")
    assert "STTTT" in first["details"]["units_added"] and first["details"]["grants_added"]


@pytest.mark.parametrize("who", [{}, {"actor_id": "thuongtruc.stttt"}, {"actor_id": "chutich.ubndtinh"}])
def test_once_a_register_is_in_force_only_an_administrator_or_the_shell_imports_one(svc, who):
    with pytest.raises(NotAuthorized, match="import_register"):
        import_register(svc, SAMPLE, **who)
    assert import_register(svc, SAMPLE, actor_id=ADMIN)["unchanged"]
    assert import_register(svc, SAMPLE, ops="root")["unchanged"]


def test_a_person_no_longer_in_the_register_loses_every_grant_and_the_history_stays(svc):
    # Reproduced: a register adding an unknown id as secretariat; removing it left the grant alive.
    intruder = StaffEntry(PersonEntry("la.mat", "Người lạ", "la.mat@x.example"), "secretariat", "province")
    import_register(svc, _with_staff(SAMPLE, intruder), actor_id=ADMIN)
    assert _grants(svc, "la.mat") == [("secretariat", None, "province")]
    result = import_register(svc, SAMPLE, actor_id=ADMIN)
    assert "- người la.mat (ngừng hoạt động, lịch sử giữ nguyên)" in result["changes"]
    assert "- thu hồi quyền la.mat: secretariat của 'province'" in result["changes"]
    assert _grants(svc, "la.mat") == []
    with pytest.raises(NotFound, match="la.mat"):
        queries.cycle_status(svc, actor_id="la.mat", cycle_id=CYCLE)
    with svc.uow() as uow:
        (granted, revoked), = uow.people.grant_history("la.mat")
        assert (granted.granted_by, revoked.revoked_by) == (ADMIN, ADMIN)
        assert uow.people.get("la.mat").active is False


def test_a_changed_email_or_a_role_added_to_an_existing_person_is_shown_and_needs_confirmation(svc):
    # Reproduced: a second file renamed the secretariat's person, changed the address, added a role.
    changed = tuple(dataclasses.replace(s, person=PersonEntry("thuongtruc.stttt", "Tên Khác", "khac@x.example"))
                    if s.person.id == "thuongtruc.stttt" else s for s in SAMPLE.staff)
    extra = StaffEntry(PersonEntry("thuongtruc.stttt", "Tên Khác", "khac@x.example"), "secretariat", "PT")
    new = dataclasses.replace(SAMPLE, staff=changed + (extra,), file="<test>")
    preview = import_register(svc, new, actor_id=ADMIN, dry_run=True)
    assert preview["needs_confirmation"] and not preview["applied"]
    assert preview["changes"][:2] == [
        "[cần xác nhận] đổi e-mail của 'thuongtruc.stttt': thuongtruc.stttt@binhthuan.example -> khac@x.example",
        "[cần xác nhận] thêm vai trò cho người đã có trong danh mục 'thuongtruc.stttt': secretariat của 'PT'"]
    with pytest.raises(ConfirmationRequired, match="--confirm"):
        import_register(svc, new, actor_id=ADMIN)
    assert _grants(svc, "thuongtruc.stttt") == [("secretariat", None, "province")]  # nothing applied
    done = import_register(svc, new, actor_id=ADMIN, confirm=True)
    assert done["applied"]
    assert _grants(svc, "thuongtruc.stttt") == [("secretariat", None, "PT"), ("secretariat", None, "province")]
    last = _register_events(svc)[-1]
    assert last["actor"] == ADMIN and len(last["details"]["confirmed"]) == 2


def test_a_unit_enrolled_in_a_running_cycle_is_removed_only_by_force_with_a_reason(svc):
    open_2019(svc)
    smaller = _without_units(SAMPLE, "SNV")
    with pytest.raises(InvalidRequest, match=f"SNV \\({CYCLE}\\).*--force"):
        import_register(svc, smaller, actor_id=ADMIN)
    with pytest.raises(InvalidRequest, match="lý do"):
        import_register(svc, smaller, actor_id=ADMIN, force=True)
    import_register(svc, smaller, actor_id=ADMIN, force=True, reason="Sáp nhập vào Sở Nội vụ mới")
    with svc.uow() as uow:
        assert uow.units.get("SNV").active is False and uow.sheets.get(CYCLE, "SNV") is not None  # history stays
    assert _grants(svc, "lanhdao.snv") == []
    last = _register_events(svc)[-1]
    assert last["reason"] == "Sáp nhập vào Sở Nội vụ mới" and last["details"]["forced_removal"] == ["SNV"]


def test_a_council_member_made_approver_by_a_later_file_holds_one_role_at_a_time(svc):
    # Two files in turn: the later one is the register; the earlier grant is revoked, not kept.
    as_approver = tuple(dataclasses.replace(s, role="approver") if s.person.id == "hoidong.2" else s
                        for s in SAMPLE.staff)
    import_register(svc, dataclasses.replace(SAMPLE, staff=as_approver, file="<b>"), actor_id=ADMIN, confirm=True)
    assert _grants(svc, "hoidong.2") == [("approver", None, "province")]


def test_a_register_making_one_person_council_member_and_approver_of_one_owner_is_refused(svc):
    both = StaffEntry(PersonEntry("hoidong.1", "Hồ Quốc Khánh", "hoidong.1@binhthuan.example"), "approver", "province")
    with pytest.raises(InvalidRequest, match="hoidong.1.*bốn mắt"):
        import_register(svc, _with_staff(SAMPLE, both), actor_id=ADMIN, confirm=True)
    assert _grants(svc, "hoidong.1") == [("council_member", None, "province")]


def test_a_dry_run_changes_nothing_and_audits_nothing(svc):
    before = _register_events(svc)
    preview = import_register(svc, _without_units(SAMPLE, "PT-MUINE"), actor_id=ADMIN, dry_run=True)
    assert preview["diff"]["units_removed"] == 1 and not preview["applied"]
    with svc.uow() as uow:
        assert uow.units.get("PT-MUINE").active
    assert _register_events(svc) == before


def test_the_register_log_is_for_administrators(svc):
    with pytest.raises(NotAuthorized, match="view_register_audit"):
        register.register_log(svc, actor_id="thuongtruc.stttt")
    assert register.register_log(svc, ops="root")


def test_a_revoked_grant_stops_the_command_at_once(svc):
    open_2019(svc)
    with svc.uow() as uow:
        uow.people.revoke("thuongtruc.stttt", "secretariat", owner_scope="province", by=ADMIN,
                          at=dt.datetime(2019, 8, 8, tzinfo=UTC), reason="nghỉ hưu")
        uow.commit()
    with pytest.raises(NotFound, match="không có kỳ đánh giá"):
        queries.cycle_status(svc, actor_id="thuongtruc.stttt", cycle_id=CYCLE)
