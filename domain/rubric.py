"""A score sheet as data: sections, criteria, each criterion's kind, maximum and rules.

A rubric is what a decision's appendix prints (Tây Ninh 2693 Phụ lục I/II, Bình Thuận 265's
index tables, MIC 2392's readiness and results tables, Bình Thuận 1867's criteria families).
It is built by `rubrics.rubric_loader` from a YAML file and scored by `domain.scoring`; no
criterion has Python code of its own: a criterion is its kind plus the parameters below.

Ids follow the decision's own numbering (`I.1.1`, `I.4`, `II.1.11`), so that units and the
secretariat name an item as the decision does. Section ids are stable dotted names that
classification rules reference (`readiness.infrastructure`, `III`, `awareness`).
"""

from __future__ import annotations

import enum
import weakref
from dataclasses import dataclass, field


class Kind(str, enum.Enum):
    """What a criterion reads from an answer, and how that becomes points."""

    YES_NO = "yes_no"  # `yes: true` scores the maximum, `false` scores 0
    DOCUMENT = "document"  # an issued document: number AND date, or 0 (Tây Ninh 2693 "Cung cấp số, ngày ban hành văn bản")
    RATIO = "ratio"  # numerator / denominator, scored by `RatioMode`
    COUNT = "count"  # a count reaching thresholds ("từ 03 hồ sơ ... trong năm")
    CHOICE = "choice"  # one of stated options, each worth a share of the maximum
    POINTS = "points"  # points entered directly within [0, max] (council-assigned, index-level)


class RatioMode(str, enum.Enum):
    TIERS = "tiers"  # the highest tier whose `at_least` (percent) the ratio reaches; a threshold is one tier
    PROPORTIONAL = "proportional"  # max × ratio / full_at_percent, capped at max


# Which `domain.answers.Answer` fields each kind reads (the sheet loader checks they are present).
KIND_LABELS: dict[Kind, str] = {
    Kind.YES_NO: "có/không",
    Kind.DOCUMENT: "văn bản ban hành (số, ngày)",
    Kind.RATIO: "tỷ lệ",
    Kind.COUNT: "số lượng",
    Kind.CHOICE: "lựa chọn",
    Kind.POINTS: "nhập điểm",
}

KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.YES_NO: ("yes",),
    Kind.DOCUMENT: ("document",),
    Kind.RATIO: ("numerator", "denominator"),
    Kind.COUNT: ("count",),
    Kind.CHOICE: ("choice",),
    Kind.POINTS: ("points",),
}


@dataclass(frozen=True, slots=True)
class Tier:
    """Reaching `at_least` (a percent for ratios, a number for counts) earns `points`."""

    at_least: float
    points: float


@dataclass(frozen=True, slots=True)
class Option:
    """One stated option of a choice criterion, worth `share` (0..1) of the maximum."""

    key: str
    text: str
    share: float


@dataclass(frozen=True, slots=True)
class FlagRule:
    """An answer flag that replaces the computed points by a share of the maximum.

    `flag` names a boolean field of `Answer`: ``not_applicable`` (Decision 265 Art. 7.2; Tây
    Ninh 2693 "Đơn vị không có thủ tục hành chính thì được tính điểm tối đa": share 1) or
    ``no_system`` (Tây Ninh 2693 Phụ lục I item 6 "Cơ quan không có phần mềm được tính ½ tổng
    điểm": share 0.5). A flag a criterion has no rule for is not accepted on a sheet.
    """

    flag: str
    share: float
    source: str


FLAGS = ("not_applicable", "no_system")

# What a person reads for each flag and kind (rubric listings, explanations, sheet errors).
FLAG_LABELS: dict[str, str] = {
    "not_applicable": "Không áp dụng đối với đơn vị",
    "no_system": "Đơn vị không có hệ thống",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the unit must supply for the item to score at all.

    `required` means evidence references (`Answer.evidence`) must be given, or the item scores 0
    (Tây Ninh 2693 "Nội dung không cung cấp được số liệu, tài liệu chứng minh theo yêu cầu sẽ chấm
    0 điểm"). The figures a kind reads (numerator/denominator, document number and date) are
    always required by the kind itself. `text` is the decision's own wording (its "Ghi chú").
    """

    required: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    text: str
    kind: Kind
    # None only where the decision states no maximum (Bình Thuận 1867 families): then the
    # criterion is points entered as they are, and the loader warns.
    max: float | None
    section_id: str
    # Ratio and count: tiers sorted by ascending `at_least`.
    tiers: tuple[Tier, ...] = ()
    ratio_mode: RatioMode | None = None
    full_at_percent: float | None = None  # proportional ratios: the percent that earns the max
    numerator_label: str = ""
    denominator_label: str = ""
    numerator_may_exceed: bool = False  # e.g. mailboxes issued may outnumber staff
    options: tuple[Option, ...] = ()
    rules: tuple[FlagRule, ...] = ()
    evidence: Evidence = field(default_factory=Evidence)
    note: str = ""  # how we read an unclear item, with the reason
    # The decision's numbered heading when the scored row itself is unnumbered (Tây Ninh 2693
    # Phụ lục I item 4 "Ứng dụng chữ ký số ..." over the row "Đạt từ 5% trở lên ...").
    heading: str = ""

    def rule(self, flag: str) -> FlagRule | None:
        for r in self.rules:
            if r.flag == flag:
                return r
        return None

    def option(self, key: str) -> Option | None:
        for o in self.options:
            if o.key == key:
                return o
        return None

    @property
    def fields(self) -> tuple[str, ...]:
        """The answer fields this criterion's kind reads."""
        return KIND_FIELDS[self.kind]


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of criteria; sections nest through `parent`.

    `max` is the maximum the decision states (None where it states none: Tây Ninh's unnumbered
    item groups such as I.1 "Sử dụng thư điện tử", whose sum is still computed); `criterion_ids`
    are all criteria below the section, at any depth, in sheet order.
    """

    id: str
    title: str
    max: float | None
    parent: str | None
    criterion_ids: tuple[str, ...]
    note: str = ""
    # How many criteria the decision says the section has (Decision 265 Art. 5: "5 tiêu chí"),
    # None where it says nothing. A stand-in sheet (`Rubric.complete` False) has fewer.
    stated_count: int | None = None


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Rubric:
    """One score sheet. Identity equality: a rubric is compiled once and cached by identity."""

    id: str
    title: str
    source: str  # the decision and appendix, e.g. "Quyết định 2693/QĐ-UBND, Phụ lục I"
    max: float | None
    sections: tuple[Section, ...]
    criteria: tuple[Criterion, ...]
    # False when the sheet stands in for an appendix that is not loaded (1867, 265).
    complete: bool = True
    notes: tuple[str, ...] = ()
    # The criteria count the decision states for the whole sheet (Decision 265 Art. 5: 41/53/26).
    stated_count: int | None = None

    def criterion(self, criterion_id: str) -> Criterion | None:
        return _index(self).get(criterion_id)

    def section(self, section_id: str) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    @property
    def top_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.parent is None)


_INDEXES: "weakref.WeakKeyDictionary[Rubric, dict[str, Criterion]]" = weakref.WeakKeyDictionary()


def _index(rubric: Rubric) -> dict[str, Criterion]:
    index = _INDEXES.get(rubric)
    if index is None:
        index = _INDEXES[rubric] = {c.id: c for c in rubric.criteria}
    return index
