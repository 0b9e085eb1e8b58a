"""A province's detailed DTI appendix replaces the shipped index sheet only if it keeps the
structure Decision 265 Art. 5 states: the same indices, each with its maximum and its number of
criteria, and the level's total."""

from __future__ import annotations

import pytest

from rubrics.rubric_loader import RubricError, check_rubric_file, load_rubric

# Decision 265 Art. 5 clause 1 (departments): index -> (criteria, points).
DEPARTMENT = {"awareness": (5, 50), "institutions": (6, 80), "infrastructure": (2, 20),
              "human_resources": (5, 60), "cyber_security": (9, 100), "dt_activities": (14, 190)}


def detailed_file(tmp_path, indices=DEPARTMENT, *, total=500, counts=True):
    """A detailed appendix: each index split into its criteria (points entered within a max)."""
    lines = ["id: binhthuan-2023-dti.department", "title: Bộ chỉ số DTI cấp sở, ngành (chi tiết)",
             "source: Phụ lục 1 kèm theo Quyết định 265/QĐ-UBND", f"max: {total}", "sections:"]
    for n, (sid, (count, points)) in enumerate(indices.items(), 1):
        lines += [f"  - id: {sid}", f"    title: Chỉ số {sid}", f"    max: {points}"]
        if counts:
            lines.append(f"    criteria_count: {count}")
        lines.append("    items:")
        each = [points // count] * count
        each[-1] += points - sum(each)
        for k, mx in enumerate(each, 1):
            lines.append(f'      - {{id: "{n}.{k}", text: Tiêu chí {n}.{k}, max: {mx}, kind: points}}')
    path = tmp_path / "dti-department-detailed.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_detailed_appendix_with_the_decisions_structure_replaces_the_index_sheet(tmp_path):
    path = detailed_file(tmp_path)
    rubric = load_rubric("binhthuan-2023-dti.department", detailed=path)
    assert rubric.complete and len(rubric.criteria) == 41 and rubric.max == 500
    assert [p for p in check_rubric_file(path) if p.is_error] == []


def test_a_detailed_appendix_with_a_missing_criterion_is_refused(tmp_path):
    indices = dict(DEPARTMENT, awareness=(4, 50))
    path = detailed_file(tmp_path, indices, counts=False)
    with pytest.raises(RubricError) as exc:
        load_rubric("binhthuan-2023-dti.department", detailed=path)
    messages = [str(p) for p in exc.value.problems]
    assert any("rubric: has 40 criteria, the decision states 41" in m for m in messages)
    assert any(":6: section awareness: has 4 criteria, the decision states 5" in m for m in messages)


def test_a_detailed_appendix_that_moves_points_between_indices_is_refused(tmp_path):
    indices = dict(DEPARTMENT, cyber_security=(9, 90), dt_activities=(14, 200))
    path = detailed_file(tmp_path, indices)
    problems = [str(p) for p in check_rubric_file(path) if p.is_error]
    assert any("section cyber_security: maximum 90 differs from the decision's 100" in m for m in problems)
    assert any("section dt_activities: maximum 200 differs from the decision's 190" in m for m in problems)
    with pytest.raises(RubricError):
        load_rubric("binhthuan-2023-dti.department", detailed=path)


def test_a_detailed_appendix_must_keep_every_index_and_add_none(tmp_path):
    indices = {("digital_economy" if k == "infrastructure" else k): v for k, v in DEPARTMENT.items()}
    problems = [str(p) for p in check_rubric_file(detailed_file(tmp_path, indices)) if p.is_error]
    assert any("section infrastructure: missing: the decision has the index 'Hạ tầng số'" in m for m in problems)
    assert any("section digital_economy: is not an index of the decision" in m for m in problems)


def test_a_detailed_appendix_with_its_own_broken_sums_fails_its_own_checks_first(tmp_path):
    path = detailed_file(tmp_path, total=505)
    problems = [str(p) for p in check_rubric_file(path) if p.is_error]
    assert problems == [f"{path}:1: rubric: section maxima add up to 500, the sheet states 505"]
