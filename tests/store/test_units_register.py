"""The units register: the shipped Bình Thuận file, and every bad row named by file, line,
unit and field."""

from __future__ import annotations

import pytest

from rubrics.units_loader import UnitsRegisterError, load_units_register

DISTRICTS = {
    "PT": "UBND thành phố Phan Thiết", "LG": "UBND thị xã La Gi", "TP": "UBND huyện Tuy Phong",
    "BB": "UBND huyện Bắc Bình", "HTB": "UBND huyện Hàm Thuận Bắc", "HTN": "UBND huyện Hàm Thuận Nam",
    "TL": "UBND huyện Tánh Linh", "DL": "UBND huyện Đức Linh", "HT": "UBND huyện Hàm Tân", "PQ": "UBND huyện Phú Quý",
}


@pytest.fixture(scope="module")
def register():
    return load_units_register()


def test_the_shipped_register_has_the_ten_district_level_units_named_as_the_province_names_them(register):
    assert {u.code: u.name for u in register.units if u.kind == "district"} == DISTRICTS


def test_group_two_is_the_office_of_the_ppc_and_the_inspectorate(register):
    assert sorted(u.name for u in register.units if u.kind == "office") == ["Thanh tra tỉnh", "Văn phòng UBND tỉnh"]


def test_the_departments_include_the_secretariat_and_communes_belong_to_districts(register):
    departments = {u.code: u.name for u in register.units if u.kind == "department"}
    assert departments["STTTT"] == "Sở Thông tin và Truyền thông" and len(departments) == 16
    assert {u.parent for u in register.units if u.kind == "commune"} == {"PT", "PQ"}


def test_every_address_in_the_shipped_register_is_fictional(register):
    emails = [p.email for p in register.people()] + [u.email for u in register.units if u.email]
    assert emails and all(e.endswith(".example") for e in emails)


GOOD = """province: Bình Thuận
units:
  - code: PQ
    name: UBND huyện Phú Quý
    kind: district
    focal: {id: f.pq, name: Người A, email: a@x.example}
    head: {id: h.pq, name: Người B, email: b@x.example}
"""


def _write(tmp_path, extra: str):
    path = tmp_path / "units.yaml"
    path.write_text(GOOD + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("row, line, code, field", [
    ("  - {code: X1, kind: department, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "X1", "name"),
    ("  - {code: X2, name: Sở X, kind: ministry, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "X2", "kind"),
    ("  - {code: X3, name: Sở X, kind: department, parent: PQ, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "X3", "parent"),
    ("  - {code: X4, name: Sở X, kind: department, focal: {id: f.x, name: A, email: not-an-email}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "X4", "email"),
    ("  - {code: PQ, name: Sở X, kind: department, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "PQ", "code"),
    ("  - {code: X6, name: UBND xã X, kind: commune, parent: X9, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "X6", "parent"),
    ("  - {code: X7, name: Sở X, kind: department, focal: {id: f.x, name: A, email: a@x.example}}\n",
     8, "X7", "head"),
    ("  - {code: x 8, name: Sở X, kind: department, focal: {id: f.x, name: A, email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n",
     8, "?", "code"),
])
def test_a_bad_row_is_reported_with_file_line_unit_and_field(tmp_path, row, line, code, field):
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(_write(tmp_path, row))
    problem = err.value.problems[0]
    assert problem.startswith(f"{tmp_path / 'units.yaml'}:{line}: ") or f"units.yaml:{line}: " in problem
    assert f"unit {code}, field '{field}'" in problem


def test_all_bad_rows_are_reported_at_once(tmp_path):
    rows = ("  - {code: Y1, kind: department, focal: {id: f.y, name: A, email: a@x.example}, head: {id: h.y, name: B, email: b@x.example}}\n"
            "  - {code: Y2, name: Sở Y, kind: bogus, focal: {id: g.y, name: A, email: a@x.example}, head: {id: i.y, name: B, email: b@x.example}}\n")
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(_write(tmp_path, rows))
    assert len(err.value.problems) == 2 and "2 lỗi" in str(err.value)


def test_an_approver_who_is_also_a_council_member_of_the_same_owner_is_refused(tmp_path):
    staff = ("staff:\n"
             "  - {id: z, name: Z, email: z@x.example, role: approver, owner: province}\n"
             "  - {id: z, name: Z, email: z@x.example, role: council_member, owner: province}\n")
    with pytest.raises(UnitsRegisterError, match="four eyes"):
        load_units_register(_write(tmp_path, staff))


def test_importing_the_register_twice_changes_nothing_the_second_time(tmp_path):
    import datetime as dt

    from domain.clock import FixedClock
    from services.testing import load_sample_units, make_services
    from store.db import make_engine
    from store.schema import create_schema
    from store.uow import sql_uow_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    create_schema(engine)
    services = make_services(sql_uow_factory(engine), FixedClock(dt.datetime(2019, 8, 1, tzinfo=dt.timezone.utc)))
    from rubrics.units_loader import load_units_register
    from services.register import import_register

    first = load_sample_units(services)
    second = import_register(services, load_units_register(), actor_id="quantri.stttt")
    assert first["applied"] and not first["unchanged"]
    assert second["unchanged"] and not second["applied"] and second["changes"] == []
    with services.uow() as uow:
        assert len(uow.units.list()) == 42
        assert {g.role for g in uow.people.grants("lanhdao.pq")} == {"unit_leader"}


# --- post-reform Hà Nội (Resolution 1656/NQ-UBTVQH15 of 16/6/2025) ------------------------------

@pytest.fixture(scope="module")
def hanoi():
    from rubrics.source import DATA_DIR

    return load_units_register(DATA_DIR / "units" / "hanoi.yaml")


def test_hanoi_has_126_commune_level_units_51_wards_and_75_communes_under_no_district(hanoi):
    import datetime as dt

    communes = [u for u in hanoi.units if u.level == "commune"]
    assert len(communes) == 126 and len({u.name for u in communes}) == 126
    assert sum(u.name.startswith("UBND phường ") for u in communes) == 51
    assert sum(u.name.startswith("UBND xã ") for u in communes) == 75
    assert all(u.parent is None and u.validity.valid_from == dt.date(2025, 7, 1) for u in communes)
    # the first three clauses of Article 1 of the resolution, in its order
    assert [u.name for u in communes[:3]] == ["UBND phường Hoàn Kiếm", "UBND phường Cửa Nam", "UBND phường Ba Đình"]
    assert len(hanoi.valid_on(dt.date(2025, 6, 30))) == 16  # the agencies existed; the communes not yet


def test_hanois_secretariat_is_the_department_of_science_and_technology_and_everyone_is_fictional(hanoi):
    office = hanoi.owner("province")
    assert (office.secretariat, office.authority) == ("Sở Khoa học và Công nghệ thành phố Hà Nội",
                                                      "Ủy ban nhân dân thành phố Hà Nội")
    names = {u.name for u in hanoi.units if u.level == "province"}
    assert {"Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường", "Văn phòng UBND thành phố"} <= names
    assert "Sở Thông tin và Truyền thông" not in names  # merged into Science and Technology on 1/3/2025
    emails = [p.email for p in hanoi.people()] + [u.email for u in hanoi.units] + [office.mailbox, office.contact_email]
    assert all(e.endswith(".example") for e in emails)


def test_the_two_shipped_registers_share_no_code_and_no_person(register, hanoi):
    assert not {u.code for u in register.units} & {u.code for u in hanoi.units}
    assert not {p.id for p in register.people()} & {p.id for p in hanoi.people()}


# --- what the mailer cannot send to, and what breaks a terminal table, is refused at import ---

@pytest.mark.parametrize("row, field, says", [
    # Reproduced: accepted at import, after which `cycle open` failed for every unit.
    ("  - {code: X1, name: Sở X, kind: department, focal: {id: f.x, name: A, email: phạm.stp@x.example}, "
     "head: {id: h.x, name: B, email: b@x.example}}\n", "email", "ngoài bảng ASCII"),
    ("  - {code: X2, name: Sở X, kind: department, email: \"van thu@x.example\", focal: {id: f.x, name: A, "
     "email: a@x.example}, head: {id: h.x, name: B, email: b@x.example}}\n", "email", "không được phép"),
    ("  - {code: X3, name: \"Sở X\\e[31m\", kind: department, focal: {id: f.x, name: A, email: a@x.example}, "
     "head: {id: h.x, name: B, email: b@x.example}}\n", "name", "U+001B"),
    ("  - {code: X4, name: Sở X, kind: department, focal: {id: f.x, name: \"A\\tB\", email: a@x.example}, "
     "head: {id: h.x, name: B, email: b@x.example}}\n", "name", "U+0009"),
    ("  - {code: X5, name: \"Sở \\u202eX\", kind: department, focal: {id: f.x, name: A, email: a@x.example}, "
     "head: {id: h.x, name: B, email: b@x.example}}\n", "name", "U+202E"),
    ("  - {code: X6, name: \"Sở X\\nSở Y\", kind: department, focal: {id: f.x, name: A, email: a@x.example}, "
     "head: {id: h.x, name: B, email: b@x.example}}\n", "name", "U+000A"),
])
def test_an_address_the_mailer_rejects_or_a_control_character_is_refused_with_file_and_line(tmp_path, row, field, says):
    with pytest.raises(UnitsRegisterError) as err:
        load_units_register(_write(tmp_path, row))
    (problem,) = err.value.problems
    assert "units.yaml:8:" in problem and f"field '{field}'" in problem and says in problem


def test_the_register_and_the_mailer_apply_one_address_rule():
    from notifications.mime import BadAddress, check_address

    with pytest.raises(BadAddress):
        check_address("phạm.stp@x.example")
    for person in load_units_register().people():
        assert check_address(person.email) == person.email
