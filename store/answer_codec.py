"""A unit's answer to one criterion as JSON (the `answer.data` column) and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from domain.answers import Answer, IssuedDocument, SheetAnswers

_FIELDS = [f.name for f in dataclasses.fields(Answer) if f.name != "criterion_id"]


def answer_to_json(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(answer, name)
        if isinstance(value, IssuedDocument):
            value = {"number": value.number, "date": value.date.isoformat()}
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def answer_from_json(criterion_id: str, data: dict[str, Any]) -> Answer:
    kwargs = {k: v for k, v in data.items() if k in _FIELDS}
    doc = kwargs.get("document")
    if isinstance(doc, dict):
        kwargs["document"] = IssuedDocument(doc["number"], dt.date.fromisoformat(doc["date"]))
    if "evidence" in kwargs:
        kwargs["evidence"] = tuple(kwargs["evidence"] or ())
    return Answer(criterion_id=criterion_id, **kwargs)


def sheet_answers(unit: str, group: str, rubric_id: str, rows) -> SheetAnswers:
    """Rebuild what the unit stated from the stored answer rows."""
    return SheetAnswers(unit=unit, group=group, rubric_id=rubric_id,
                        answers={r.criterion_id: answer_from_json(r.criterion_id, r.data) for r in rows})
