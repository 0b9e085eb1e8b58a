"""Rendered examples of every kind, compared with golden files (Vietnamese, diacritics intact).

Regenerate after an intended template change:  UPDATE_GOLDEN=1 .venv/bin/pytest tests/notifications
and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest

from notifications import ics
from notifications.messages import MessageKind
from notifications.render import Renderer, TemplateFolderError
from notifications.samples import every_kind

GOLDEN = Path(__file__).with_name("golden")
STAMP = dt.datetime(2019, 9, 11, 1, 0, tzinfo=dt.timezone.utc)
UID = "<golden@dtiflow.local>"


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 once"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("kind", list(MessageKind), ids=str)
def test_each_kind_renders_as_its_golden_example(kind):
    rendered = Renderer().render(every_kind()[kind], uid=UID, stamp=STAMP)
    _check(f"{kind.value}.txt", f"Subject: {rendered.subject}\n\n{rendered.text}")
    _check(f"{kind.value}.html", rendered.html)
    if rendered.ics is not None:
        _check(f"{kind.value}.ics", rendered.ics.decode("utf-8"))


@pytest.mark.parametrize("kind", list(MessageKind), ids=str)
def test_text_is_in_composed_unicode_and_names_no_missing_value(kind):
    rendered = Renderer().render(every_kind()[kind], uid=UID, stamp=STAMP)
    for text in (rendered.subject, rendered.text, rendered.html):
        assert unicodedata.is_normalized("NFC", text)
        assert "None" not in text and "{{" not in text


def test_the_deadline_event_follows_rfc_5545():
    body = ics.deadline_event(uid="x@dtiflow.local", summary="Hạn gửi Phiếu đánh giá; nhóm I, II",
                              closes_at=dt.datetime(2019, 9, 15, 17, 0, tzinfo=dt.timezone.utc), stamp=STAMP,
                              description="Nhắc hạn: còn 3 ngày làm việc để gửi Phiếu đánh giá của các cơ quan "
                                          "chuyên môn thuộc Ủy ban nhân dân tỉnh Bình Thuận")
    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert b"DTSTART;VALUE=DATE:20190915" in lines and b"DTEND;VALUE=DATE:20190916" in lines
    unfolded = body.replace(b"\r\n ", b"").decode("utf-8")
    assert "SUMMARY:Hạn gửi Phiếu đánh giá\\; nhóm I\\, II" in unfolded
    assert "Thời điểm kết thúc: 24:00 Chủ nhật\\, 15/09/2019" in unfolded


def test_a_province_overrides_one_template_and_keeps_the_others(tmp_path):
    (tmp_path / "reminder_before_due.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}{% block subject %}[Tây Ninh] Nhắc hạn {{ deadline|closing_vi }}{% endblock %}'
        "{% block body %}Kính gửi {{ unit.name }}: còn {{ working_days_left }} ngày làm việc.{% endblock %}",
        encoding="utf-8")
    renderer = Renderer(tmp_path)
    overridden = renderer.render(every_kind()[MessageKind.REMINDER_BEFORE_DUE], uid=UID, stamp=STAMP)
    assert overridden.subject == "[Tây Ninh] Nhắc hạn 24:00 Chủ nhật, 15/09/2019"
    assert overridden.text.startswith("Kính gửi Sở Tài chính: còn 3 ngày làm việc.")
    default = renderer.render(every_kind()[MessageKind.NOTICE], uid=UID, stamp=STAMP)
    assert default.subject.startswith("Triển khai đánh giá")


def test_a_template_folder_that_does_not_exist_is_named_in_the_error(tmp_path):
    with pytest.raises(TemplateFolderError, match="khong-co' does not exist"):
        Renderer(tmp_path / "khong-co")


def test_a_template_using_an_unknown_value_fails_instead_of_printing_blank(tmp_path):
    import jinja2
    (tmp_path / "notice.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}{% block subject %}{{ so_van_ban }}{% endblock %}', encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError, match="so_van_ban"):
        Renderer(tmp_path).render(every_kind()[MessageKind.NOTICE], uid=UID, stamp=STAMP)


def test_html_escapes_values():
    from dataclasses import replace
    message = every_kind()[MessageKind.LOCK_DIGEST]
    message = replace(message, context=dict(message.context, missing=["<script>x</script> & Co"]))
    html = Renderer().render(message, uid=UID, stamp=STAMP).html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html and "<script>" not in html
