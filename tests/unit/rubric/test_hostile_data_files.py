"""Hostile rules files and registers cost nothing: aliases are refused in files people hand in
and capped in rules files, nesting and size are limited, and each refusal names file and line."""

from __future__ import annotations

import pytest

from rubrics.rubric_loader import check_rubric_file
from rubrics.source import HANDED_IN, RULES, DataFileError, load_yaml, load_yaml_text
from rubrics.units_loader import load_units_register


def laughs(levels: int, key: str = "units") -> str:
    """The 'billion laughs': each level nine aliases of the one before (9**levels leaves)."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + f"\n{key}: *l{levels}\n"


def test_a_register_with_an_alias_is_refused_at_the_alias(tmp_path) -> None:
    p = tmp_path / "units.yaml"
    p.write_text(laughs(9), encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_units_register(p)
    assert str(exc.value).startswith(f"{p}:2: ") and "bí danh YAML (*l0)" in str(exc.value)


def test_a_register_that_refers_to_itself_is_refused_not_a_recursion_error(tmp_path) -> None:
    p = tmp_path / "units.yaml"
    p.write_text("units: &r [*r]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r":1: .*bí danh"):
        load_units_register(p)


def test_a_rules_file_that_refers_to_itself_is_refused() -> None:
    with pytest.raises(DataFileError, match=r"x.yaml:1: .*chính nó"):
        load_yaml_text("sections: &r [*r]\n", "x.yaml", RULES)


def test_a_rules_file_may_use_a_few_aliases() -> None:
    node = load_yaml_text("a: &x {max: 5}\nb: *x\n", "x.yaml", RULES)
    assert node.plain() == {"a": {"max": 5}, "b": {"max": 5}}


def test_a_billion_laughs_rules_file_is_refused_before_anything_is_expanded() -> None:
    with pytest.raises(DataFileError, match=f"x.yaml:.*hơn {RULES.max_nodes} giá trị"):
        load_yaml_text(laughs(9, "sections"), "x.yaml", RULES)


def test_too_many_aliases_in_a_rules_file_are_refused() -> None:
    text = "a: &x 1\n" + "".join(f"b{i}: *x\n" for i in range(RULES.max_aliases + 1))
    with pytest.raises(DataFileError, match=f"hơn {RULES.max_aliases}"):
        load_yaml_text(text, "x.yaml", RULES)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_500_levels_deep_is_refused_with_the_line(tmp_path, style) -> None:
    if style == "flow":
        text = "id: x\nsections: " + "[" * 500 + "]" * 500 + "\n"
    else:
        text = "id: x\nsections:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(500)) + "  " * 501 + "v: 1\n"
    p = tmp_path / "deep.yaml"
    p.write_text(text, encoding="utf-8")
    for limits in (RULES, HANDED_IN):
        with pytest.raises(DataFileError, match=r"deep.yaml:\d+: .*lồng quá sâu"):
            load_yaml(p, limits)
    problems = check_rubric_file(p)  # `dtiflow rubric check`
    assert "lồng quá sâu" in problems[0].message


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path) -> None:
    p = tmp_path / "units.yaml"
    with p.open("w", encoding="utf-8") as f:
        f.write("units:\n")
        line = "  - {code: X, name: Đơn vị, kind: commune}\n"
        f.write(line * (HANDED_IN.max_bytes // len(line.encode("utf-8")) + 10))
    with pytest.raises(DataFileError, match="lớn hơn giới hạn 20 MB"):
        load_units_register(p)
    with pytest.raises(DataFileError, match="lớn hơn giới hạn"):
        load_yaml("/dev/zero", RULES)


def test_a_byte_order_mark_at_the_start_of_a_register_is_accepted(tmp_path) -> None:
    from rubrics.units_loader import DEFAULT_REGISTER

    p = tmp_path / "units.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + DEFAULT_REGISTER.read_bytes())
    assert load_units_register(p).units == load_units_register(DEFAULT_REGISTER).units
