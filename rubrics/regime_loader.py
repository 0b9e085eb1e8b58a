"""Regime files (`rubrics/regimes/*.yaml`) -> `domain.regime.Regime`, validated at load.

Every problem is reported as `file:line: message` in the terms of the file: an unknown key, a
milestone counted from something that does not exist, two milestones counting from each other,
a period of -3 days, a group whose score sheet is not named.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from domain.cycle import check_stage_drivers
from domain.errors import Unknown
from domain.periods import Closing, Period, PeriodUnit
from domain.units import UNIT_KINDS as REGISTER_UNIT_KINDS
from domain.regime import (
    After,
    FACT_ROLES,
    Fact,
    FixedDate,
    FromFact,
    Group,
    MilestoneKind,
    MilestoneRule,
    Regime,
    ReminderPolicy,
    Role,
    SetAtOpening,
    Source,
    YearSpan,
)
from rubrics import regime_rules
from rubrics.source import DATA_DIR, DataFileError, Node, load_yaml

REGIMES_DIR = DATA_DIR / "regimes"

_TOP_KEYS = {"id", "version", "title", "province", "sources", "notes", "groups", "facts", "milestones",
             "stages", "reminders", "explanation", "classification", "ranking", "awards", "years"}
_MILESTONE_KEYS = {"id", "name", "kind", "roles", "fixed", "after", "fact", "set_at_opening", "closes",
                   "source", "note", "by_group"}
_RULE_KEYS = {"fixed", "after", "fact", "set_at_opening"}
_STAGE_TRIGGERS = {"issue_notice", "start_collecting", "close_submissions", "lock", "score",
                   "start_verification", "submit_for_approval", "approve", "publish"}


class UnknownRegime(Unknown):
    pass


def list_regimes() -> list[str]:
    return sorted(p.stem for p in REGIMES_DIR.glob("*.yaml"))


def load_regime(regime_id: str) -> Regime:
    """The shipped regime with this id (rubrics/regimes/<id>.yaml)."""
    path = REGIMES_DIR / f"{regime_id}.yaml"
    if regime_id not in list_regimes():  # an id of the catalogue, never a path
        raise UnknownRegime(f"unknown regime '{regime_id}' (known: {', '.join(list_regimes())})")
    return _load_cached(str(path))


@lru_cache(maxsize=None)
def _load_cached(path: str) -> Regime:
    return load_regime_file(Path(path))


def load_regime_file(path: Path | str) -> Regime:
    root = load_yaml(path).expect_map("a regime file")
    root.only_keys(_TOP_KEYS, "the regime")
    regime_id = root.req("id", "the regime").str("id")
    if Path(path).suffix == ".yaml" and Path(path).stem != regime_id and Path(path).parent == REGIMES_DIR:
        raise DataFileError(root.req("id").where, f"id '{regime_id}' must match the file name '{Path(path).stem}'")
    groups = _groups(root.req("groups", "the regime"))
    group_ids = {g.id for g in groups}
    facts = _facts(root.get("facts"))
    milestones = _milestones(root.req("milestones", "the regime"), {f.id for f in facts}, group_ids)
    return Regime(
        id=regime_id,
        version=root.req("version", "the regime").int("version", min=1),
        title=root.req("title", "the regime").str("title"),
        sources=_sources(root.req("sources", "the regime")),
        groups=groups,
        facts=facts,
        milestones=milestones,
        reminders=_reminders(root.get("reminders"), {m.id for m in milestones}),
        explanation_working_days=_explanation(root.get("explanation")),
        stage_drivers=_stages(root.get("stages")),
        rules=regime_rules.parse_ranking_rules(root, group_ids),
        notes=tuple(n.str("note") for n in root.get("notes") or Node([], root.where)),
        file=str(path),
        years=_years(root.get("years"), str(root.where_of_key("years"))),
    )


def _years(node: Node | None, where: str) -> YearSpan | None:
    """`years: {from: 2025, until: 2027, source: ...}`: the cycle years the decision covers."""
    if node is None:
        return None
    node.expect_map("years")
    node.only_keys({"from", "until", "source"}, "years")
    first = node.req("from", "years").int("years.from", min=1990, max=2100)
    until = node.get("until")
    last = until.int("years.until", min=first, max=2100) if until is not None else None
    return YearSpan(first, last, where=where, source=_opt_str(node, "source"))


def _sources(node: Node) -> tuple[Source, ...]:
    out = []
    for item in node.expect_list("sources"):
        item.only_keys({"id", "title"}, "a source")
        out.append(Source(item.req("id", "a source").str("source id"), item.req("title", "a source").str("title")))
    return tuple(out)


def _groups(node: Node) -> tuple[Group, ...]:
    out: list[Group] = []
    seen: set[str] = set()
    for item in node.expect_list("groups"):
        item.only_keys({"id", "name", "rubric", "unit_kind", "owner", "source"}, "a group")
        gid = str(item.req("id", "a group").value)
        if gid in seen:
            raise DataFileError(item.where, f"group '{gid}' is listed twice")
        seen.add(gid)
        owner = item.get("owner")
        out.append(Group(
            id=gid,
            name=item.req("name", f"group {gid}").str("name"),
            rubric_id=item.req("rubric", f"group {gid}").str("rubric"),
            unit_kinds=_unit_kinds(item.req("unit_kind", f"group {gid}")),
            owner=owner.choice("owner", {"province", "district"}) if owner else "province",
            source=_opt_str(item, "source"),
        ))
    if not out:
        raise DataFileError(node.where, "a regime needs at least one group")
    return tuple(out)


UNIT_KINDS = set(REGISTER_UNIT_KINDS)  # the register's kinds (domain.units), special_zone and province included


def _unit_kinds(node: Node) -> tuple[str, ...]:
    """`unit_kind: department`, or a list of kinds (`[department, office]`)."""
    items = list(node) if node.is_list() else [node]
    if not items:
        raise DataFileError(node.where, "unit_kind needs at least one kind")
    return tuple(i.choice("unit_kind", UNIT_KINDS) for i in items)


def _facts(node: Node | None) -> tuple[Fact, ...]:
    if node is None or node.value is None:
        return ()
    out: list[Fact] = []
    for item in node.expect_list("facts"):
        item.only_keys({"id", "name", "source", "default_from", "role"}, "a fact")
        fid = item.req("id", "a fact").str("fact id")
        default = item.get("default_from")
        role = item.get("role")
        out.append(Fact(fid, item.req("name", f"fact {fid}").str("name"), _opt_str(item, "source"),
                        default.str("default_from") if default else None,
                        role.choice("role", set(FACT_ROLES)) if role else None))
    ids = {f.id for f in out}
    for role in FACT_ROLES:
        holders = [item for f, item in zip(out, node) if f.role == role]
        if len(holders) > 1:
            raise DataFileError(holders[1].where, f"two facts have the role '{role}'")
    for f, item in zip(out, node):
        if f.default_from and f.default_from not in ids:
            raise DataFileError(item.req("default_from").where, f"fact '{f.id}' defaults from unknown fact '{f.default_from}'")
    return tuple(out)


def _milestones(node: Node, fact_ids: set[str], group_ids: set[str]) -> tuple[MilestoneRule, ...]:
    out: list[MilestoneRule] = []
    items = list(node.expect_list("milestones"))
    all_ids = [str(i.req("id", "a milestone").value) for i in items]
    for item, mid in zip(items, all_ids):
        item.only_keys(_MILESTONE_KEYS, f"milestone {mid}")
        if all_ids.count(mid) > 1:
            raise DataFileError(item.where, f"milestone '{mid}' is listed twice")
        refs = fact_ids | set(all_ids)
        rule = _rule(item, mid, refs, fact_ids)
        by_group = {}
        if item.has("by_group"):
            for gid, sub in item.req("by_group").items():
                if gid not in group_ids:
                    raise DataFileError(sub.where, f"milestone {mid}: by_group names unknown group '{gid}' (known: {', '.join(sorted(group_ids))})")
                sub.only_keys(_RULE_KEYS, f"milestone {mid} for group {gid}")
                by_group[gid] = _rule(sub, mid, refs, fact_ids)
        roles = frozenset()
        if item.has("roles"):
            roles = frozenset(Role(r.choice("role", {x.value for x in Role})) for r in item.req("roles").expect_list("roles"))
        kind = item.req("kind", f"milestone {mid}").choice("kind", {k.value for k in MilestoneKind})
        closes = item.get("closes")
        out.append(MilestoneRule(
            id=mid,
            name=item.req("name", f"milestone {mid}").str("name"),
            kind=MilestoneKind(kind),
            rule=rule,
            roles=roles,
            closing=Closing(closes.choice("closes", {c.value for c in Closing})) if closes else Closing.END_OF_DAY,
            source=_opt_str(item, "source"),
            note=_opt_str(item, "note"),
            by_group=by_group,
        ))
    _reject_cycles(out, {m.id: i for m, i in zip(out, items)})
    for role in (Role.SUBMISSION, Role.LOCK):
        holders = [m for m in out if role in m.roles]
        if len(holders) > 1:
            raise DataFileError(items[all_ids.index(holders[1].id)].where, f"role '{role}' is held by more than one milestone")
    return tuple(out)


def _rule(node: Node, mid: str, refs: set[str], fact_ids: set[str]):
    present = [k for k in _RULE_KEYS if node.has(k)]
    if len(present) != 1:
        raise DataFileError(node.where, f"milestone {mid} must have exactly one of fixed, after, fact, set_at_opening (has: {', '.join(sorted(present)) or 'none'})")
    key = present[0]
    value = node.req(key) if key != "set_at_opening" else node.get(key)
    if key == "set_at_opening":
        if value.value is not True:
            raise DataFileError(value.where, f"milestone {mid}: set_at_opening must be true")
        return SetAtOpening()
    if key == "fact":
        fact = value.str("fact")
        if fact not in fact_ids:
            raise DataFileError(value.where, f"milestone {mid} takes its date from unknown fact '{fact}'")
        return FromFact(fact)
    if key == "fixed":
        value.only_keys({"month", "day", "year", "rolls"}, f"milestone {mid} fixed date")
        month = value.req("month", "fixed date").int("month", min=1, max=12)
        day = value.req("day", "fixed date").int("day", min=1, max=31)
        try:
            dt.date(2024, month, day)  # 2024: a leap year accepts 29/02
        except ValueError:
            raise DataFileError(value.where, f"milestone {mid}: {day}/{month} is not a day of the year") from None
        year = value.get("year")
        offset = {"previous": -1, "current": 0, "next": 1}[year.choice("year", {"previous", "current", "next"})] if year else 0
        rolls = value.get("rolls")
        return FixedDate(month, day, offset, rolls.bool("rolls") if rolls else False)
    value.only_keys({"of", "days", "working_days", "rolls"}, f"milestone {mid} period")
    ref = value.req("of", f"milestone {mid} period").str("of")
    if ref not in refs:
        raise DataFileError(value.req("of").where, f"milestone {mid} counts from unknown fact or milestone '{ref}'")
    units = [u for u in ("days", "working_days") if value.has(u)]
    if len(units) != 1:
        raise DataFileError(value.where, f"milestone {mid}: a period needs exactly one of days, working_days")
    amount = value.req(units[0]).int(units[0], min=0, max=3660)
    rolls = value.get("rolls")
    return After(ref, Period(amount, PeriodUnit(units[0]), rolls.bool("rolls") if rolls else True))


def _reject_cycles(milestones: list[MilestoneRule], where: dict[str, Node]) -> None:
    deps = {m.id: {r.ref for r in (m.rule, *m.by_group.values()) if isinstance(r, After)} for m in milestones}
    state: dict[str, int] = {}

    def visit(mid: str, path: list[str]) -> None:
        if state.get(mid) == 2 or mid not in deps:
            return
        if state.get(mid) == 1:
            loop = " -> ".join(path[path.index(mid):] + [mid])
            raise DataFileError(where[mid].where, f"milestones count from each other: {loop}")
        state[mid] = 1
        for d in deps[mid]:
            visit(d, path + [mid])
        state[mid] = 2

    for m in milestones:
        visit(m.id, [])


def _reminders(node: Node | None, milestone_ids: set[str]) -> ReminderPolicy:
    if node is None:
        return ReminderPolicy()
    node.only_keys({"local_hour", "before_due_working_days", "on_due_day", "during_grace_daily",
                    "escalate_to_head_from_grace_day", "staff_milestones", "staff_before_working_days",
                    "send_on_non_working_days", "source"}, "reminders")
    d = ReminderPolicy()

    def ints(key: str, default: tuple[int, ...]) -> tuple[int, ...]:
        n = node.get(key)
        if n is None:
            return default
        vals = tuple(i.int(key, min=1, max=60) for i in n.expect_list(key))
        return tuple(sorted(set(vals), reverse=True))

    staff = ()
    if node.get("staff_milestones") is not None:
        staff_nodes = list(node.req("staff_milestones").expect_list("staff_milestones"))
        for s in staff_nodes:
            if s.str("milestone") not in milestone_ids:
                raise DataFileError(s.where, f"reminders name unknown milestone '{s.value}'")
        staff = tuple(s.value for s in staff_nodes)
    esc = node.get("escalate_to_head_from_grace_day")
    return ReminderPolicy(
        local_hour=node.get("local_hour").int("local_hour", min=0, max=23) if node.get("local_hour") else d.local_hour,
        before_due_working_days=ints("before_due_working_days", d.before_due_working_days),
        on_due_day=node.get("on_due_day").bool("on_due_day") if node.get("on_due_day") else d.on_due_day,
        during_grace_daily=node.get("during_grace_daily").bool("during_grace_daily") if node.get("during_grace_daily") else d.during_grace_daily,
        escalate_to_head_from_grace_day=esc.int("escalate_to_head_from_grace_day", min=1, max=60) if esc and esc.value is not None else None,
        staff_milestones=staff,
        staff_before_working_days=ints("staff_before_working_days", d.staff_before_working_days),
        send_on_non_working_days=node.get("send_on_non_working_days").bool("send_on_non_working_days") if node.get("send_on_non_working_days") else False,
    )


def _explanation(node: Node | None) -> int:
    if node is None:
        return 5
    node.only_keys({"answer_within_working_days", "source"}, "explanation")
    return node.req("answer_within_working_days", "explanation").int("answer_within_working_days", min=1, max=60)


def _stages(node: Node | None) -> dict[str, str]:
    if node is None:
        return {}
    out = {}
    for key, value in node.items():
        if key not in _STAGE_TRIGGERS:
            raise DataFileError(value.where, f"unknown stage '{key}' (known: {', '.join(sorted(_STAGE_TRIGGERS))})")
        out[key] = value.choice(f"stage {key}", {"time", "person"})
        try:
            check_stage_drivers({key: out[key]})  # a clock never approves (domain.cycle.ALWAYS_PERSON)
        except ValueError as exc:
            raise DataFileError(value.where, str(exc)) from None
    return out


def _opt_str(node: Node, key: str) -> str:
    v = node.get(key)
    return v.str(key) if v is not None and v.value is not None else ""
