"""Each criterion's scoring rule and input guidance in Vietnamese, worded from its data (per
KIND, never per criterion), for the template's «Cách chấm» and «Hướng dẫn nhập» columns."""

from __future__ import annotations

from domain.rubric import Criterion, Kind, RatioMode
from domain.scoring_text import num
from workbooks.layout import FLAG_LABELS, NO, YES


def _p(x: float) -> str:
    return f"{num(x)} điểm"


def rule_text(c: Criterion) -> str:
    """How the points are computed, in the order the engine applies the rules
    (`domain.scoring_codegen`): flags, evidence, then the kind."""
    parts: list[str] = []
    for r in c.rules:
        share = "điểm tối đa" if r.share == 1 else f"{num(r.share * 100)}% điểm tối đa"
        parts.append(f"{FLAG_LABELS[r.flag]}: {share} ({_p(c.max * r.share)})")
    if c.evidence.required:
        parts.append("Không có tài liệu chứng minh: 0 điểm")
    parts.append(_kind_rule(c))
    return "\n".join(parts)


def _kind_rule(c: Criterion) -> str:
    k = c.kind
    if k is Kind.YES_NO:
        return f"{YES}: {_p(c.max)}; {NO}: 0 điểm"
    if k is Kind.DOCUMENT:
        return f"Có số và ngày ban hành văn bản: {_p(c.max)}; thiếu: 0 điểm"
    if k is Kind.POINTS:
        return "Nhập điểm" + (f" từ 0 đến {num(c.max)}" if c.max is not None else " (quyết định không nêu điểm tối đa)")
    if k is Kind.CHOICE:
        return "; ".join(f"{o.text}: {_p(c.max * o.share)}" for o in c.options)
    if k is Kind.COUNT:
        tiers = [f"từ {num(t.at_least)} trở lên: {_p(t.points)}" for t in reversed(c.tiers)]
        return "Số lượng " + "; ".join(tiers) + "; thấp hơn: 0 điểm"
    ratio = "Tỷ lệ = tử số/mẫu số"
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        return (f"{ratio}; từ {num(c.full_at_percent)}% trở lên: {_p(c.max)}; thấp hơn: "
                f"{num(c.max)} × tỷ lệ/{num(c.full_at_percent)}%")
    tiers = [f"từ {num(t.at_least)}% trở lên: {_p(t.points)}" for t in reversed(c.tiers)]
    return f"{ratio}; " + "; ".join(tiers) + "; thấp hơn: 0 điểm"


def help_text(c: Criterion) -> str:
    """What to type where, and what evidence the decision asks for."""
    k = c.kind
    if k is Kind.YES_NO:
        lines = [f"Chọn {YES} hoặc {NO}."]
    elif k is Kind.DOCUMENT:
        lines = ["Ghi số văn bản (cột E) và ngày ban hành dd/mm/yyyy (cột F)."]
    elif k is Kind.RATIO:
        num_label = c.numerator_label or "tử số"
        den_label = c.denominator_label or "mẫu số"
        lines = [f"Tử số (cột E): {num_label}. Mẫu số (cột F): {den_label}."]
        if not c.numerator_may_exceed:
            lines.append("Tử số không lớn hơn mẫu số.")
    elif k is Kind.COUNT:
        lines = ["Ghi số lượng (số nguyên)."]
    elif k is Kind.CHOICE:
        lines = ["Chọn một phương án trong danh sách."]
    else:
        lines = ["Ghi điểm" + (f" từ 0 đến {num(c.max)}." if c.max is not None else " (không âm).")]
    if c.rules:
        lines.append("Cột G: chọn " + " hoặc ".join(f"«{FLAG_LABELS[r.flag]}»" for r in c.rules) + " nếu đúng với đơn vị.")
    if c.evidence.text:
        lines.append(c.evidence.text)
    if c.evidence.required:
        lines.append("Bắt buộc ghi tài liệu chứng minh (cột H).")
    return "\n".join(lines)
