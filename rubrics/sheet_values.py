"""The values of a sheet answer, one field at a time: numbers, dates, documents, evidence, flags.

Each check returns the value to store or raises `BadAnswer(field, message)`; messages are
Vietnamese, as units read them. Fast cases are tested first (a plain int, an ISO date).
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any

from domain.answers import IssuedDocument
from domain.errors import InvalidInput
from domain.limits import MAX_QUANTITY, MAX_POINTS_UNSTATED
from domain.scoring_text import num

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_fromisoformat = dt.date.fromisoformat


_SHOW = reprlib.Repr()
_SHOW.maxlevel, _SHOW.maxstring, _SHOW.maxother, _SHOW.maxlist, _SHOW.maxdict = 2, 60, 60, 4, 4


def shown(v: Any) -> str:
    """A value quoted in a message: short whatever it is (a 50 MB text, a list nested 500 deep)."""
    if type(v) is int and abs(v) > 10**30:  # str() of a 5,000-digit int is refused by Python itself
        return f"một số có khoảng {int(abs(v).bit_length() * 0.30103) + 1} chữ số"
    return _SHOW.repr(v)


class BadAnswer(InvalidInput):
    def __init__(self, field: str | None, message: str) -> None:
        self.field = field  # "numerator", "document.date"; None for the answer as a whole
        self.message = message
        super().__init__(message)



def number(v: Any, field: str, *, whole: bool = False) -> float | int:
    """A finite, non-negative number up to MAX_QUANTITY (YAML int or float; never a bool or text)."""
    t = type(v)
    if t is int and 0 <= v <= MAX_QUANTITY:
        return v
    if t is not int and t is not float:
        raise BadAnswer(field, f"phải là số, nhận được {shown(v)}")
    if t is float and v - v != 0:  # NaN and ±inf: inf - inf is NaN
        raise BadAnswer(field, f"phải là số hữu hạn, nhận được {v!r}")
    if v < 0:
        raise BadAnswer(field, "không được âm, nhận được " + (num(v) if t is float or v > -10**15 else shown(v)))
    if v > MAX_QUANTITY:
        raise BadAnswer(field, f"quá lớn: {shown(v)} (giới hạn {num(MAX_QUANTITY)})")
    if whole and v != int(v):
        raise BadAnswer(field, f"phải là số nguyên, nhận được {v!r}")
    return v


def points_within(v: Any, field: str, mx: float | None) -> float | int:
    """Points from 0 to the criterion's maximum or, where the rubric states none, to
    MAX_POINTS_UNSTATED (domain.limits)."""
    t = type(v)
    if t is not int and t is not float:
        raise BadAnswer(field, f"phải là số, nhận được {shown(v)}")
    if t is float and v - v != 0:
        raise BadAnswer(field, f"phải là số hữu hạn, nhận được {v!r}")
    if v < 0:
        raise BadAnswer(field, "không được âm, nhận được " + (num(v) if t is float or v > -10**15 else shown(v)))
    if mx is not None and v > mx:
        raise BadAnswer(field, f"{_big(v)} vượt điểm tối đa {num(mx)}")
    if mx is None and v > MAX_POINTS_UNSTATED:
        raise BadAnswer(field, f"{_big(v)} vượt giới hạn {num(MAX_POINTS_UNSTATED)} điểm của tiêu chí không ghi điểm tối đa")
    return v


def _big(v: float | int) -> str:
    return num(v) if v < 10**15 else shown(v)


def parse_date(v: Any, field: str) -> dt.date:
    """YYYY-MM-DD, or dd/mm/yyyy as Vietnamese documents write dates."""
    if type(v) is str and len(v) == 10 and v[4] == "-":
        try:
            return _fromisoformat(v)
        except ValueError:
            pass
    elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    elif isinstance(v, str):
        m = _DMY.fullmatch(v.strip())
        try:
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return _fromisoformat(v.strip())
        except ValueError:
            pass
    raise BadAnswer(field, f"ngày {shown(v)} không hợp lệ (viết YYYY-MM-DD hoặc dd/mm/yyyy)")


_DOC_KEYS = frozenset(("number", "date"))


def document(v: Any) -> IssuedDocument:
    if type(v) is dict and v.keys() == _DOC_KEYS and type(v["number"]) is str and v["number"].strip():
        return IssuedDocument(v["number"], parse_date(v["date"], "document.date"))
    if type(v) is not dict:
        raise BadAnswer("document", "phải có dạng {number: ..., date: ...}")
    for key in v:
        if key not in ("number", "date"):
            raise BadAnswer(f"document.{key}", "văn bản chỉ có number (số) và date (ngày ban hành)")
    number_ = v.get("number")
    if number_ is None or (isinstance(number_, str) and not number_.strip()):
        raise BadAnswer("document.number", "thiếu số văn bản")
    if type(number_) is int:
        number_ = str(number_)
    elif not isinstance(number_, str):
        raise BadAnswer("document.number", f"số văn bản phải là chữ, nhận được {shown(number_)}")
    if v.get("date") is None:
        raise BadAnswer("document.date", "thiếu ngày ban hành")
    return IssuedDocument(number_, parse_date(v["date"], "document.date"))


def evidence(v: Any) -> tuple[str, ...]:
    if type(v) is list:
        for x in v:
            if type(x) is not str or not x.strip():
                break
        else:
            return tuple(v)
    raise BadAnswer("evidence", "phải là danh sách tài liệu chứng minh, ví dụ [\"Quyết định số 12/QĐ-UBND\"]")


def flag(v: Any, field: str) -> bool:
    if v is not True and v is not False:
        raise BadAnswer(field, f"phải là true hoặc false, nhận được {shown(v)}")
    return v
