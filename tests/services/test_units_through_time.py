"""Units through time: a unit is valid for a period and may continue earlier units; a commune
may have no district (the province evaluates it, since 1/7/2025); a special zone (đặc khu) is a
commune-level unit; a cycle enrols the units valid on its reference date, and a closed cycle
still shows the units it enrolled. The example is real: Phú Quý district and its three
communes ended on 30/6/2025 and the special zone Phú Quý began on 1/7/2025."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.units import Validity, compare_registers, successor_loop, valid_on
from rubrics.units_loader import UnitsRegisterError, load_units_register
from services.cycles import open_cycle
from services.queries import cycle_status
from services.register import import_register
from services.testing import SECRETARIAT, merged

D = dt.date
PEOPLE = "focal: {{id: f.{c}, name: Người {c}, email: f.{c}@x.example}}, head: {{id: h.{c}, name: Lãnh đạo {c}, email: h.{c}@x.example}}"


def unit(code: str, name: str, kind: str, extra: str = "") -> str:
    people = PEOPLE.format(c=code.lower())
    return f"  - {{code: {code}, name: {name}, kind: {kind}, {extra}{people}}}\n"


HEAD = "province: Bình Thuận\nunits:\n"
BEFORE = (HEAD
          + unit("PQ", "UBND huyện Phú Quý", "district")
          + unit("PQ-NGUPHUNG", "UBND xã Ngũ Phụng", "commune", "parent: PQ, ")
          + unit("PQ-LONGHAI", "UBND xã Long Hải", "commune", "parent: PQ, ")
          + unit("PQ-TAMTHANH", "UBND xã Tam Thanh", "commune", "parent: PQ, "))
ENDED = "valid_until: 2025-06-30, "
AFTER = (HEAD
         + unit("PQ", "UBND huyện Phú Quý", "district", ENDED)
         + unit("PQ-NGUPHUNG", "UBND xã Ngũ Phụng", "commune", "parent: PQ, " + ENDED)
         + unit("PQ-LONGHAI", "UBND xã Long Hải", "commune", "parent: PQ, " + ENDED)
         + unit("PQ-TAMTHANH", "UBND xã Tam Thanh", "commune", "parent: PQ, " + ENDED)
         + unit("DK-PHUQUY", "UBND đặc khu Phú Quý", "special_zone",
                "valid_from: 2025-07-01, predecessors: [PQ-NGUPHUNG, PQ-LONGHAI, PQ-TAMTHANH], change: merged, "))


def whole(path):
    """The register file with the rest of the shipped province around it: a register file is the
    whole register, and the services' fixture installed the shipped one (re-imported as ops)."""
    return merged(load_units_register(path), load_units_register())


def write(tmp_path, text: str, name: str = "units.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the pure rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("period, day, valid", [
    (Validity(None, None), D(2019, 9, 15), True),
    (Validity(None, D(2025, 6, 30)), D(2025, 6, 30), True),  # the last day is a day of the unit
    (Validity(None, D(2025, 6, 30)), D(2025, 7, 1), False),
    (Validity(D(2025, 7, 1), None), D(2025, 6, 30), False),
    (Validity(D(2025, 7, 1), None), D(2025, 7, 1), True),
])
def test_a_period_includes_both_of_its_ends(period, day, valid):
    assert period.contains(day) is valid
    assert (valid_on({"X": period}, day) == ["X"]) is valid


def test_a_chain_of_successors_that_comes_back_is_found_with_its_codes():
    assert successor_loop({"C": ("B",), "B": ("A",)}) is None
    assert successor_loop({"A": ("C",), "B": ("A",), "C": ("B",)}) == ["A", "C", "B", "A"]
    assert successor_loop({"A": ("A",)}) == ["A", "A"]


def test_comparing_registers_names_what_ended_and_what_began():
    before = {"PQ": Validity(), "PQ-LONGHAI": Validity()}
    after = {"PQ": Validity(None, D(2025, 6, 30)), "PQ-LONGHAI": Validity(None, D(2025, 6, 30)),
             "DK-PHUQUY": Validity(D(2025, 7, 1))}
    change = compare_registers(before, after)
    assert (change.ended, change.began) == (("PQ", "PQ-LONGHAI"), ("DK-PHUQUY",))
    assert compare_registers(after, after) == type(change)((), (), ())


# --- the register file ------------------------------------------------------------------------

def test_a_commune_without_a_district_and_a_special_zone_are_commune_level_units(tmp_path):
    register = load_units_register(write(tmp_path, AFTER + unit("X-MOI", "UBND phường Mới", "commune",
                                                                 "valid_from: 2025-07-01, ")))
    zone = next(u for u in register.units if u.code == "DK-PHUQUY")
    assert (zone.kind, zone.level, zone.parent) == ("special_zone", "commune", None)
    assert zone.predecessors == ("PQ-NGUPHUNG", "PQ-LONGHAI", "PQ-TAMTHANH") and zone.change == "merged"
    assert [u.code for u in register.valid_on(D(2025, 7, 1))] == ["DK-PHUQUY", "X-MOI"]
    assert len(register.valid_on(D(2025, 6, 30))) == 4


@pytest.mark.parametrize("extra, line, code, field, words", [
    # a commune that names a district which no longer exists when the commune begins
    (unit("X-XA", "UBND xã X", "commune", "parent: PQ, valid_from: 2025-07-01, "),
     8, "X-XA", "parent", "district 'PQ' no longer exists after 30/06/2025"),
    # a unit valid on no day, so valid in no cycle
    (unit("X-SO", "Sở X", "department", "valid_from: 2025-07-01, valid_until: 2025-06-30, "),
     8, "X-SO", "valid_until", "valid on no day"),
    # a predecessor that is still valid the day its successor begins
    (unit("X-MOI", "UBND phường Mới", "commune", "valid_from: 2025-06-01, predecessors: [PQ-LONGHAI], change: merged, "),
     8, "X-MOI", "predecessors", "'PQ-LONGHAI' is still valid on 01/06/2025"),
    (unit("X-MOI", "UBND phường Mới", "commune", "valid_from: 2025-07-01, predecessors: [PQ-LONGHAI], "),
     8, "X-MOI", "change", "say how it came from PQ-LONGHAI"),
    (unit("X-MOI", "UBND phường Mới", "commune", "valid_from: 2025-07-01, predecessors: [PQ-LONGHAI], change: swallowed, "),
     8, "X-MOI", "change", "'swallowed' is not one of"),
    (unit("X-MOI", "UBND phường Mới", "commune", 'valid_from: "01/07/2025", '),
     8, "X-MOI", "valid_from", "is not a date"),
])
def test_a_bad_unit_through_time_is_reported_with_file_line_unit_and_field(tmp_path, extra, line, code, field, words):
    path = write(tmp_path, AFTER + extra)
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(path)
    (problem,) = err.value.problems
    assert problem.startswith(f"{path}:{line}: unit {code}, field '{field}': "), problem
    assert words in problem


def test_a_successor_loop_is_reported_at_the_first_unit_of_the_loop(tmp_path):
    loop = (HEAD
            + unit("A", "UBND xã A", "commune", "valid_from: 2025-07-01, valid_until: 2025-12-31, predecessors: [B], change: renamed, ")
            + unit("B", "UBND xã B", "commune", "valid_from: 2026-01-01, predecessors: [A], change: renamed, "))
    path = write(tmp_path, loop)
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(path)
    assert err.value.problems == [f"{path}:3: unit A, field 'predecessors': successor loop A <- B <- A: "
                                  f"a unit cannot continue itself"]


OWNERS = """owners:
  - owner: province
    secretariat: Sở Khoa học và Công nghệ
    authority: Ủy ban nhân dân tỉnh
    address: 1 Đường Thử, phường Thử
    mailbox: vanthu@so.example
    contact: {name: Bà Thử, phone: "0200 000 000", email: thu@so.example}
"""


def test_the_owners_office_comes_from_the_register_and_a_bad_one_is_named(tmp_path):
    register = load_units_register(write(tmp_path, OWNERS + AFTER))
    office = register.owner("province")
    assert (office.secretariat, office.authority, office.contact_phone) == (
        "Sở Khoa học và Công nghệ", "Ủy ban nhân dân tỉnh", "0200 000 000")
    path = write(tmp_path, OWNERS.replace('"0200 000 000"', "gọi tôi").replace("owner: province", "owner: PQ") + AFTER)
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(path)
    assert err.value.problems == [f"{path}:7: owner PQ, field 'phone': 'gọi tôi' is not valid (a phone number)"]


# --- in the database: re-import after the merger, enrolment on the reference date ---------------

def test_reimporting_after_the_merger_records_what_ended_and_what_began_and_keeps_the_old_units(svc, tmp_path):
    first = import_register(svc, whole(write(tmp_path, BEFORE, "before.yaml")), ops="ops", confirm=True)
    assert first["ended"] == []
    again = import_register(svc, whole(write(tmp_path, AFTER, "after.yaml")), ops="ops", confirm=True)
    assert again["ended"] == ["PQ", "PQ-LONGHAI", "PQ-NGUPHUNG", "PQ-TAMTHANH"]
    assert again["began"] == ["DK-PHUQUY"]
    replay = import_register(svc, whole(tmp_path / "after.yaml"), ops="ops")
    assert (replay["ended"], replay["began"]) == ([], [])  # nothing ended or began since
    with svc.uow() as uow:
        assert uow.units.get("PQ-LONGHAI").valid_until == D(2025, 6, 30)
        assert {(r.unit_code, r.predecessor_code, r.change) for r in uow.units.lineage()} == {
            ("DK-PHUQUY", "PQ-NGUPHUNG", "merged"), ("DK-PHUQUY", "PQ-LONGHAI", "merged"),
            ("DK-PHUQUY", "PQ-TAMTHANH", "merged")}
        assert [u.code for u in uow.units.list(kinds=["commune", "special_zone"], valid_on=D(2025, 7, 1))
                if u.code.startswith(("PQ", "DK"))] == ["DK-PHUQUY"]


def _province_owned_communes(svc):
    """The DTI 2023 regime with its commune group run by the province, as after 1/7/2025."""
    load = svc.load_regime

    def load_regime(regime_id):
        regime = load(regime_id)
        groups = tuple(dataclasses.replace(g, owner="province", unit_kinds=("commune", "special_zone"))
                       if g.id == "commune" else g for g in regime.groups)
        return dataclasses.replace(regime, groups=groups)
    svc.load_regime = load_regime
    return svc


def test_a_cycle_enrols_the_units_valid_on_its_reference_date_and_keeps_them_once_they_end(svc, tmp_path):
    _province_owned_communes(svc)
    import_register(svc, whole(write(tmp_path, BEFORE, "before.yaml")), ops="ops", confirm=True)
    old = open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2023-dti", year=2024, level="commune",
                     facts={}, reference_date=D(2024, 10, 1), cycle_id="dti-2024-xa")
    import_register(svc, whole(write(tmp_path, AFTER, "after.yaml")), ops="ops", confirm=True)
    new = open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2023-dti", year=2025, level="commune",
                     facts={}, reference_date=D(2025, 10, 1), cycle_id="dti-2025-xa")
    assert old["reference_date"] == "2024-10-01"
    old_units = {s["unit_code"]: s["name"] for s in cycle_status(svc, actor_id=SECRETARIAT, cycle_id="dti-2024-xa")["sheets"]}
    new_units = {s["unit_code"] for s in cycle_status(svc, actor_id=SECRETARIAT, cycle_id="dti-2025-xa")["sheets"]}
    assert {"PQ-NGUPHUNG", "PQ-LONGHAI", "PQ-TAMTHANH"} <= set(old_units) and "DK-PHUQUY" not in old_units
    assert old_units["PQ-LONGHAI"] == "UBND xã Long Hải"  # the ended unit is still shown as it was
    assert "DK-PHUQUY" in new_units and not new_units & {"PQ-NGUPHUNG", "PQ-LONGHAI", "PQ-TAMTHANH"}
    assert new["units"] == len(new_units)
