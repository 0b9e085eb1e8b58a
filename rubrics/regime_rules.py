"""The `classification:`, `ranking:` and `awards:` sections of a regime file -> `RankingRules`.

Format (docs/sheets.md has the full text and each regime's reading of its decision):

    classification:              # one entry per set of groups; every group exactly once
      - groups: [I, III, IV]
        by: points               # points | percent | levels | not_stated
        bands:                   # strictly descending; percent bands within 0..100
          - {label: Tốt, at_least: 450}
        below: {label: Yếu, ranked: true}
        source: QĐ 1867 Điều 10
      - groups: [district]
        by: levels               # a level needs every condition (Decision 2392 Art. 6)
        levels:
          - label: Mức I
            all_of:
              - {section: results, at_least: 90}
              - {section: results.transformation, at_least_percent: 90}
        below: {label: Dưới Mức IV, ranked: false}
    ranking: {order: total, stated: true, source: ...}   # or classification_then_total
    awards:                      # every group exactly once: an award, or `none:` with the reason
      - groups: [I, III, IV]
        award: Bằng khen của Chủ tịch UBND tỉnh
        classification: [Tốt]
        max_rank: 3
        ties_at_line: all_awarded   # all_awarded | none_awarded | council_decides
      - groups: [commune]
        none: Do UBND cấp huyện quyết định (QĐ 265 Điều 9)

Every problem is `file:line: message`. Section names used by level conditions are checked
against the group's rubric by `check_sections` (the regime file alone does not know them).
"""

from __future__ import annotations

from domain.awards import AwardPolicy, AwardRule, NoAward, TiesAtLine
from domain.classification import Band, BandScale, Basis, Below, Condition, Level, LevelScale, NotStated, Scale, exact
from domain.ranking import Order, RankingRule, RankingRules
from domain.rubric import Rubric
from rubrics.source import DataFileError, Node

SECTIONS = ("classification", "ranking", "awards")


def parse_ranking_rules(root: Node, group_ids: set[str]) -> RankingRules | None:
    present = [k for k in SECTIONS if root.has(k)]
    if not present:
        return None
    missing = [k for k in SECTIONS if k not in present]
    if missing:
        raise DataFileError(root.req(present[0]).where,
                            f"the regime has '{present[0]}' but not {', '.join(repr(m) for m in missing)}: state all three")
    order = tuple(str(g.req("id").value) for g in root.req("groups"))
    classification = _per_group(root.req("classification"), group_ids, "classification", _scale)
    awards = _per_group(root.req("awards"), group_ids, "awards", _award)
    for entry in root.req("awards"):
        for g in entry.req("groups"):
            _check_award_labels(str(g.value), awards[str(g.value)], classification[str(g.value)], entry)
    return RankingRules(order, classification, _ranking(root.req("ranking")), awards)


def _per_group(node: Node, group_ids: set[str], what: str, parse) -> dict:
    out: dict = {}
    for entry in node.expect_list(what):
        entry.expect_map(f"an entry of {what}")
        groups = entry.req("groups", f"an entry of {what}").expect_list("groups")
        value = parse(entry)
        for g in groups:
            gid = str(g.value)
            if gid not in group_ids:
                raise DataFileError(g.where, f"{what}: unknown group '{gid}' (known: {', '.join(sorted(group_ids))})")
            if gid in out:
                raise DataFileError(g.where, f"{what}: group '{gid}' is given twice")
            out[gid] = value
    for gid in sorted(group_ids - set(out)):
        hint = "by: not_stated with a note" if what == "classification" else "none: with the reason"
        raise DataFileError(node.where, f"{what}: group '{gid}' is not covered (say what the decision says, or {hint})")
    return out


def _scale(entry: Node) -> Scale:
    by = entry.req("by", "a classification entry").choice("by", {"points", "percent", "levels", "not_stated"})
    source = _text(entry, "source")
    if by == "not_stated":
        entry.only_keys({"groups", "by", "note", "source"}, "a not_stated classification")
        return NotStated(entry.req("note", "a not_stated classification").str("note"))
    below = _below(entry.get("below"))
    if by == "levels":
        entry.only_keys({"groups", "by", "levels", "below", "source", "note"}, "a levels classification")
        return LevelScale(_levels(entry.req("levels", "a levels classification")), below, source)
    entry.only_keys({"groups", "by", "bands", "below", "source", "note"}, "a band classification")
    basis = Basis(by)
    bands: list[Band] = []
    labels: set[str] = set()
    for b in entry.req("bands", "a band classification").expect_list("bands"):
        b.only_keys({"label", "at_least"}, "a band")
        label = b.req("label", "a band").str("label")
        if label in labels:
            raise DataFileError(b.where, f"band '{label}' is given twice")
        labels.add(label)
        top = 100 if basis is Basis.PERCENT else None
        at_least = exact(b.req("at_least", f"band {label}").number(
            "at_least (a percent of the maximum)" if top else "at_least (points)", min=0, max=top))
        if bands and at_least >= bands[-1].at_least:
            raise DataFileError(b.where, f"bands must descend: '{label}' from {float(at_least):g} is not below '{bands[-1].label}' from {float(bands[-1].at_least):g}")
        bands.append(Band(label, at_least))
    if not bands:
        raise DataFileError(entry.where, "a band classification needs at least one band")
    return BandScale(basis, tuple(bands), below, source)


def _levels(node: Node) -> tuple[Level, ...]:
    levels: list[Level] = []
    for lv in node.expect_list("levels"):
        lv.only_keys({"label", "all_of", "source"}, "a level")
        label = lv.req("label", "a level").str("label")
        if any(x.label == label for x in levels):
            raise DataFileError(lv.where, f"level '{label}' is given twice")
        conds = tuple(_condition(c, label) for c in lv.req("all_of", f"level {label}").expect_list("all_of"))
        if not conds:
            raise DataFileError(lv.where, f"level '{label}' needs at least one condition")
        levels.append(Level(label, conds))
    if not levels:
        raise DataFileError(node.where, "a levels classification needs at least one level")
    return tuple(levels)


def _condition(node: Node, level: str) -> Condition:
    node.only_keys({"section", "at_least", "at_least_percent"}, f"a condition of {level}")
    section = node.get("section")
    has = [k for k in ("at_least", "at_least_percent") if node.has(k)]
    if len(has) != 1:
        raise DataFileError(node.where, f"a condition of {level} needs exactly one of at_least, at_least_percent")
    value = node.req(has[0]).number(has[0], min=0, max=100 if has[0] == "at_least_percent" else None)
    amount = exact(value)
    return Condition(section.str("section") if section is not None else None,
                     amount if has[0] == "at_least" else None,
                     amount if has[0] == "at_least_percent" else None,
                     str(node.where))


def _below(node: Node | None) -> Below:
    if node is None:
        return Below(None, True)
    node.only_keys({"label", "ranked"}, "below")
    label = node.get("label")
    ranked = node.get("ranked")
    return Below(label.str("label") if label is not None and label.value is not None else None,
                 ranked.bool("ranked") if ranked is not None else True)


def _ranking(node: Node) -> RankingRule:
    node.only_keys({"order", "stated", "ties", "source", "note"}, "ranking")
    ties = node.get("ties")
    if ties is not None:
        ties.choice("ties", {"shared"})  # the only rule the seeds use: 1, 2, 2, 4
    order = node.req("order", "ranking").choice("order", {o.value for o in Order})
    stated = node.get("stated")
    return RankingRule(Order(order), stated.bool("stated") if stated is not None else True,
                       _text(node, "source"), _text(node, "note"))


def _award(entry: Node) -> AwardPolicy:
    if entry.has("none"):
        entry.only_keys({"groups", "none", "source"}, "an award entry with none")
        return NoAward(entry.req("none").str("none"))
    entry.only_keys({"groups", "award", "classification", "max_rank", "ties_at_line", "source", "note"}, "an award entry")
    award = entry.req("award", "an award entry (or none: with the reason)").str("award")
    labels = frozenset(x.str("classification") for x in entry.req("classification", f"award {award}").expect_list("classification"))
    return AwardRule(
        award=award,
        classifications=labels,
        max_rank=entry.req("max_rank", f"award {award}").int("max_rank", min=1),
        ties_at_line=TiesAtLine(entry.req("ties_at_line", f"award {award} (what happens to ties at the award line)")
                                .choice("ties_at_line", {t.value for t in TiesAtLine})),
        source=_text(entry, "source"),
    )


def _check_award_labels(gid: str, policy: AwardPolicy, scale: Scale, entry: Node) -> None:
    if not isinstance(policy, AwardRule):
        return
    known = labels_of(scale)
    for label in sorted(policy.classifications):
        if label not in known:
            raise DataFileError(entry.req("classification").where, f"awards for group '{gid}' require classification '{label}', "
                                            f"which its classification does not have (has: {', '.join(sorted(known)) or 'none'})")


def labels_of(scale: Scale) -> set[str]:
    if isinstance(scale, BandScale):
        out = {b.label for b in scale.bands}
    elif isinstance(scale, LevelScale):
        out = {lv.label for lv in scale.levels}
    else:
        return set()
    return out | ({scale.below.label} if scale.below.label else set())


def check_sections(rules: RankingRules, group: str, rubric: Rubric) -> None:
    """Level conditions name sections of the group's rubric; a percent needs a stated maximum."""
    scale = rules.scale(group)
    if isinstance(scale, BandScale) and scale.basis is Basis.PERCENT and not rubric.max:
        raise DataFileError(f"classification of group '{group}' ({scale.source})",
                            f"classified by percent, but rubric {rubric.id} states no maximum")
    if not isinstance(scale, LevelScale):
        return
    for level in scale.levels:
        for c in level.conditions:
            if c.section is None:
                continue
            section = rubric.section(c.section)
            if section is None:
                known = ", ".join(s.id for s in rubric.sections)
                raise DataFileError(c.where, f"{level.label}: rubric {rubric.id} has no section '{c.section}' (has: {known})")
            if c.at_least_percent is not None and not section.max:
                raise DataFileError(c.where, f"{level.label}: section '{c.section}' of {rubric.id} states no maximum for a percentage")


def _text(node: Node, key: str) -> str:
    v = node.get(key)
    return v.str(key) if v is not None and v.value is not None else ""
