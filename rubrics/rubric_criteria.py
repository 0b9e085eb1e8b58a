"""One criterion entry of a rubric file -> `domain.rubric.Criterion` (see docs/rubrics.md)."""

from __future__ import annotations

from domain.rubric import FLAGS, Criterion, Evidence, FlagRule, Kind, Option, RatioMode, Tier
from rubrics.source import DataFileError, Node

COMMON_KEYS = {"id", "text", "heading", "max", "kind", "evidence", "rules", "note"}
KIND_KEYS: dict[Kind, set[str]] = {
    Kind.YES_NO: set(),
    Kind.DOCUMENT: set(),
    Kind.RATIO: {"threshold_percent", "tiers", "proportional", "numerator", "denominator", "numerator_may_exceed"},
    Kind.COUNT: {"at_least", "tiers"},
    Kind.CHOICE: {"options"},
    Kind.POINTS: set(),
}
KINDS = [k.value for k in Kind]


def parse_id(node: Node, what: str) -> str:
    v = node.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise DataFileError(
            node.where, f"{what} must be text: write '{v}' in quotes (YAML reads 1.10 as the number 1.1)"
        )
    return node.str(what).strip()


def parse_rule(node: Node) -> FlagRule:
    node.expect_map("a rule").only_keys({"when", "share", "source"}, "a rule")
    flag = node.req("when", "a rule").choice("rule 'when'", list(FLAGS))
    share = node.req("share", "a rule").number("rule 'share' (of the maximum)", min=0, max=1)
    source = node.req("source", "a rule").str("rule 'source' (the article that says so)")
    return FlagRule(flag, float(share), source)


def parse_criterion(node: Node, section_id: str, default_rules: tuple[FlagRule, ...]) -> Criterion:
    cid = parse_id(node.req("id", "criterion"), "criterion id")
    try:
        return _parse(node, cid, section_id, default_rules)
    except DataFileError as exc:
        # Name the criterion in every message about it.
        raise DataFileError(exc.where, f"criterion {cid}: {exc.message}") from None


def _parse(node: Node, cid: str, section_id: str, default_rules: tuple[FlagRule, ...]) -> Criterion:
    kind_node = node.req("kind", "criterion")
    if kind_node.value not in KINDS:
        raise DataFileError(kind_node.where, f"unknown kind {kind_node.value!r} (known: {', '.join(KINDS)})")
    kind = Kind(kind_node.value)
    node.only_keys(COMMON_KEYS | KIND_KEYS[kind], f"a criterion of kind {kind.value}")
    text = node.req("text", "criterion").str("criterion text")
    mx: float | None = None
    if node.get("max") is not None and node.get("max").value is not None:
        mx = float(node.req("max").number("criterion max", min=0))
        if mx <= 0:
            raise DataFileError(node.req("max").where, "max must be above 0")
    elif kind is not Kind.POINTS:
        raise DataFileError(node.where, f"a criterion of kind {kind.value} needs 'max' (only 'points' may have none)")

    rules = tuple(parse_rule(r) for r in node.get("rules") or Node([], node.where))
    flags = {r.flag for r in rules}
    if len(flags) != len(rules):
        raise DataFileError(node.req("rules").where, "a flag has two rules")
    rules += tuple(r for r in default_rules if r.flag not in flags)
    if rules and mx is None:
        raise DataFileError(node.where, "a rule scores a share of the maximum, but there is no 'max'")

    evidence = Evidence()
    ev = node.get("evidence")
    if ev is not None:
        ev.expect_map("evidence").only_keys({"required", "text"}, "evidence")
        required = ev.get("required").bool("evidence 'required'") if ev.get("required") is not None else False
        ev_text = ev.get("text").str("evidence text") if ev.get("text") is not None else ""
        evidence = Evidence(required, ev_text)

    extra: dict = {}
    if kind is Kind.RATIO:
        extra = _ratio(node, mx)
    elif kind is Kind.COUNT:
        extra = {"tiers": _tiers(node, mx, unit="", key="at_least")}
    elif kind is Kind.CHOICE:
        extra = {"options": _options(node)}

    return Criterion(
        id=cid,
        text=text,
        kind=kind,
        max=mx,
        section_id=section_id,
        rules=rules,
        evidence=evidence,
        note=node.get("note").str("note") if node.get("note") is not None else "",
        heading=node.get("heading").str("heading") if node.get("heading") is not None else "",
        **extra,
    )


def _bounded(node: Node, what: str, top: float | None) -> float:
    """A number in [0, top] ([0, ∞) when top is None), with a message that says which."""
    v = node.number(what)
    if v < 0 or (top is not None and v > top):
        bound = f"be between 0 and {top:g}" if top is not None else "not be negative"
        raise DataFileError(node.where, f"{what} must {bound}, got {v:g}")
    return v


def _ratio(node: Node, mx: float) -> dict:
    may_exceed = node.get("numerator_may_exceed")
    may_exceed = may_exceed.bool("numerator_may_exceed") if may_exceed is not None else False
    top = None if may_exceed else 100
    ways = [k for k in ("threshold_percent", "tiers", "proportional") if node.get(k) is not None]
    if len(ways) != 1:
        raise DataFileError(node.where, "a ratio needs exactly one of threshold_percent, tiers, proportional")
    out: dict = {
        "numerator_label": node.req("numerator", "a ratio").str("numerator (what is counted)"),
        "denominator_label": node.req("denominator", "a ratio").str("denominator (out of what)"),
        "numerator_may_exceed": may_exceed,
    }
    if ways[0] == "proportional":
        p = node.req("proportional").expect_map("proportional")
        p.only_keys({"full_at_percent"}, "proportional")
        full = _bounded(p.req("full_at_percent", "proportional"), "full_at_percent", top)
        if full <= 0:
            raise DataFileError(p.where, "full_at_percent must be above 0")
        return {**out, "ratio_mode": RatioMode.PROPORTIONAL, "full_at_percent": float(full)}
    if ways[0] == "threshold_percent":
        t = _bounded(node.req("threshold_percent"), "threshold_percent", top)
        if t <= 0:
            raise DataFileError(node.req("threshold_percent").where, "threshold_percent must be above 0 (0% is always reached: use yes_no or points)")
        return {**out, "ratio_mode": RatioMode.TIERS, "tiers": (Tier(float(t), mx),)}
    return {**out, "ratio_mode": RatioMode.TIERS, "tiers": _tiers(node, mx, unit="%", key="at_least_percent", top=top)}


def _tiers(node: Node, mx: float, *, unit: str, key: str, top: float | None = None) -> tuple[Tier, ...]:
    if node.get("tiers") is None:
        # count: the one-threshold shorthand `at_least: 3` earns the maximum.
        n = node.req(key, "a count").number(key)
        if n <= 0:
            raise DataFileError(node.req(key).where, f"{key} must be above 0 (0 is always reached: use yes_no or points)")
        return (Tier(float(n), mx),)
    if node.get("at_least") is not None and key == "at_least":
        raise DataFileError(node.req("at_least").where, "give either at_least or tiers, not both")
    tiers: list[Tier] = []
    for t in node.req("tiers").expect_list("tiers"):
        t.expect_map("a tier").only_keys({key, "points"}, "a tier")
        at = _bounded(t.req(key, "a tier"), key, top)
        p = t.req("points", "a tier").number("tier points", min=0, max=mx)
        if not tiers and at <= 0:
            raise DataFileError(t.where, f"the first tier's {key} must be above 0 (0 is always reached)")
        if tiers and (at <= tiers[-1].at_least or p <= tiers[-1].points):
            raise DataFileError(t.where, f"tiers must rise: {key} and points above the previous tier's")
        tiers.append(Tier(float(at), float(p)))
    if not tiers:
        raise DataFileError(node.req("tiers").where, "tiers is empty")
    return tuple(tiers)


def _options(node: Node) -> tuple[Option, ...]:
    opts: list[Option] = []
    for o in node.req("options", "a choice").expect_list("options"):
        o.expect_map("an option").only_keys({"key", "text", "share"}, "an option")
        key = parse_id(o.req("key", "an option"), "option key")
        if any(x.key == key for x in opts):
            raise DataFileError(o.where, f"option '{key}' is listed twice")
        share = o.req("share", "an option").number("option share (of the maximum)", min=0, max=1)
        opts.append(Option(key, o.req("text", "an option").str("option text"), float(share)))
    if len(opts) < 2:
        raise DataFileError(node.req("options").where, "a choice needs at least two options")
    return tuple(opts)
