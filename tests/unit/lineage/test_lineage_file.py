"""The lineage of Resolution 202/2025/QH15: 34 provinces from the 63 former ones, each former
province in exactly one; a broken lineage file is refused with its file and line."""

from __future__ import annotations

import textwrap

import pytest

from rubrics.lineage_loader import LINEAGE_DIR, load_lineage_file
from rubrics.source import DataFileError
from rubrics.units_loader import load_units_register


def test_resolution_202_makes_34_provinces_of_the_63_former_ones():
    f = load_lineage_file(LINEAGE_DIR / "vn-provinces-2025.yaml")
    assert len(f.lineages) == 34
    former = [p for lin in f.lineages for p in lin.predecessors]
    assert len(former) == len(set(former)) == 63
    by_name = {lin.successor: lin.predecessors for lin in f.lineages}
    # The two the issue names: Bình Thuận is now part of Lâm Đồng; Tây Ninh absorbed Long An.
    assert by_name["Lâm Đồng"] == ("Lâm Đồng", "Đắk Nông", "Bình Thuận")
    assert by_name["Tây Ninh"] == ("Tây Ninh", "Long An")
    assert sum(1 for p in by_name.values() if len(p) == 1) == 11  # not rearranged


def test_the_national_register_has_one_unit_per_province_of_the_lineage():
    register = load_units_register(LINEAGE_DIR.parent / "units" / "vn-provinces.yaml")
    names = {u.name.removeprefix("UBND tỉnh ").removeprefix("UBND thành phố ") for u in register.units}
    assert names == {lin.successor for lin in load_lineage_file(LINEAGE_DIR / "vn-provinces-2025.yaml").lineages}
    assert {u.kind for u in register.units} == {"province"}
    assert all(p.email.endswith(".example") for u in register.units for p in (u.focal, u.head))


GOOD = """\
id: test
source: Nghị quyết thử
effective: 2025-07-01
units:
  - {name: A, from: [A, B]}
  - {name: C, from: [C]}
"""


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ("{name: C, from: [C]}", "{name: C, from: [B]}", 6, "'B' already forms another unit (line 5)"),
        ("{name: C, from: [C]}", "{name: A, from: [C]}", 6, "'A' is listed twice (first at line 5)"),
        ("{name: C, from: [C]}", "{name: C, from: []}", 6, "'from' needs at least one former unit"),
        ("{name: C, from: [C]}", "{name: C, frm: [C]}", 6, "unknown key 'frm'"),
        ("effective: 2025-07-01", "effective: 31/02/2025", 3, "effective"),
    ],
)
def test_a_broken_lineage_file_names_the_line(tmp_path, old, new, line, message):
    path = tmp_path / "lineage.yaml"
    path.write_text(textwrap.dedent(GOOD.replace(old, new)), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_lineage_file(path)
    assert f"lineage.yaml:{line}:" in str(err.value) and message in str(err.value)
