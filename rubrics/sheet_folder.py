"""A folder of sheet files for one regime, plus its optional `not_evaluated.yaml` manifest.

Every `*.yaml` file under the folder (sub-folders too, sorted by path) is a sheet, except the
manifest. The manifest lists the units that are not evaluated, with the reason (Decision 1867
Art. 8: a sheet sent after 5 working days from 15 September, or never sent, "is not evaluated
and not ranked"):

    not_evaluated:
      - unit: Sở Tư pháp
        group: I
        reason: late            # late | not_submitted | other
        note: Phiếu nhận ngày 24/9/2019, sau hạn 5 ngày làm việc kể từ 15/9/2019

A unit in the manifest is not evaluated even if its (late) sheet is in the folder. Each sheet
must name a group of the regime and that group's rubric; a unit appears once per group.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.regime import Regime
from rubrics.sheet_batch import load_many
from rubrics.sheet_loader import LoadedSheet, RubricFor, SheetError, default_rubric_for
from rubrics.sheet_yaml import line_of
from rubrics.source import HANDED_IN, DataFileError, load_yaml

MANIFEST = "not_evaluated.yaml"
REASONS = {
    "late": "Gửi phiếu sau thời hạn nhận phiếu trễ: không được đánh giá, xếp hạng",
    "not_submitted": "Không gửi phiếu đánh giá: không được đánh giá, xếp hạng",
    "other": "Không được đánh giá",
}


@dataclass(frozen=True, slots=True)
class NotEvaluated:
    unit: str
    group: str
    reason: str  # Vietnamese text for the table


@dataclass(frozen=True, slots=True)
class SheetFolder:
    sheets: tuple[LoadedSheet, ...]
    not_evaluated: tuple[NotEvaluated, ...]


def load_folder(folder: Path | str, regime: Regime, *, level: str | None = None,
                rubric_for: RubricFor | None = None) -> SheetFolder:
    """The folder's sheets and manifest, checked against the regime; `level` keeps one group."""
    root = Path(folder)
    if not root.is_dir():
        raise DataFileError(str(root), "không phải thư mục phiếu đánh giá")
    groups = {g.id: g for g in regime.groups}
    paths = sorted(p for p in root.rglob("*.yaml") if p.name != MANIFEST)
    if not paths:
        raise DataFileError(str(root), "thư mục không có phiếu đánh giá nào (tệp *.yaml)")
    sheets = load_many(paths, rubric_for or default_rubric_for())
    seen: dict[tuple[str, str], str] = {}
    kept = []
    for loaded in sheets:
        s = loaded.sheet
        check_group_and_rubric(loaded, regime)
        key = (s.group, s.unit)
        if key in seen:
            raise _sheet_error(loaded, ["unit"], f"đơn vị đã có phiếu trong tệp {seen[key]}", "unit")
        seen[key] = loaded.path
        if level is None or s.group == level:
            kept.append(loaded)
    manifest = root / MANIFEST
    skipped = _manifest(manifest, groups) if manifest.exists() else ()
    if level is not None:
        skipped = tuple(n for n in skipped if n.group == level)
    return SheetFolder(tuple(kept), skipped)


def check_group_and_rubric(loaded: LoadedSheet, regime: Regime) -> None:
    """The one rule for `rank` and `score`: the sheet's group is a group of the regime, and the
    rubric it names is the one the regime scores that group by (file:line when not)."""
    s = loaded.sheet
    groups = {g.id: g for g in regime.groups}
    group = groups.get(s.group)
    if group is None:
        raise _sheet_error(loaded, ["group"], f"nhóm '{s.group}' không có trong {regime.id} (có: {', '.join(groups)})", "group")
    if s.rubric_id != group.rubric_id:
        raise _sheet_error(loaded, ["rubric"], f"nhóm {group.id} của {regime.id} chấm theo phiếu {group.rubric_id}, "
                                               f"không phải {s.rubric_id}", "rubric")


def _sheet_error(loaded: LoadedSheet, keys: list[str], message: str, field: str) -> SheetError:
    text = Path(loaded.path).read_text(encoding="utf-8")
    return SheetError(line_of(text, loaded.path, keys), message, unit=loaded.sheet.unit, field=field)


def _manifest(path: Path, groups: dict) -> tuple[NotEvaluated, ...]:
    root = load_yaml(path, HANDED_IN).expect_map("the not_evaluated manifest")
    root.only_keys({"not_evaluated"}, "the not_evaluated manifest")
    out: list[NotEvaluated] = []
    seen: set[tuple[str, str]] = set()
    for item in root.req("not_evaluated", "the manifest").expect_list("not_evaluated"):
        item.only_keys({"unit", "group", "reason", "note"}, "a unit not evaluated")
        unit = item.req("unit", "a unit not evaluated").str("unit").strip()
        group = str(item.req("group", f"unit {unit}").value)
        if group not in groups:
            raise DataFileError(item.req("group").where, f"nhóm '{group}' không có trong chế độ đánh giá (có: {', '.join(groups)})")
        if (group, unit) in seen:
            raise DataFileError(item.where, f"đơn vị '{unit}' được liệt kê hai lần")
        seen.add((group, unit))
        kind = item.req("reason", f"unit {unit}").choice("reason", set(REASONS))
        note = item.get("note")
        if kind == "other" and (note is None or note.value is None):
            raise DataFileError(item.where, f"đơn vị '{unit}': lý do 'other' cần ghi rõ trong note")
        text = REASONS[kind] + (f" ({note.str('note')})" if note is not None and note.value is not None else "")
        out.append(NotEvaluated(unit, group, text))
    return tuple(out)
