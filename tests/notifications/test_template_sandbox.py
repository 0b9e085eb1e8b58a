"""A province's template folder is rendered in Jinja2's sandbox: a hostile template cannot reach
Python's internals (classes, globals, the process's environment)."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from domain.instants import UTC
from notifications.messages import MessageKind
from notifications.render import Renderer
from notifications.samples import every_kind

UID = "<sandbox@dtiflow.test>"
STAMP = dt.datetime(2019, 9, 1, tzinfo=UTC)


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__[1].__subclasses__()",
    "unit.__class__.__init__.__globals__",
    "cycler.__init__.__globals__.os.environ",
    "lipsum.__globals__['os'].popen('id').read()",
    "date_vi.__globals__",
])
def test_a_hostile_province_template_cannot_reach_python_internals(tmp_path, expression):
    (tmp_path / "notice.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}{% block subject %}x{% endblock %}{% block body %}{{ ' + expression
        + ' }}{% endblock %}', encoding="utf-8")
    with pytest.raises(jinja2.TemplateError):  # SecurityError, or an attribute the sandbox hides
        Renderer(tmp_path).render(every_kind()[MessageKind.NOTICE], uid=UID, stamp=STAMP)


def test_a_harmless_province_template_still_renders_in_the_sandbox(tmp_path):
    (tmp_path / "reminder_before_due.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}{% block subject %}[Tỉnh] {{ unit.name|upper }}{% endblock %}'
        "{% block body %}Hạn {{ deadline|closing_vi }}{% endblock %}", encoding="utf-8")
    rendered = Renderer(tmp_path).render(every_kind()[MessageKind.REMINDER_BEFORE_DUE], uid=UID, stamp=STAMP)
    assert rendered.subject == "[Tỉnh] SỞ TÀI CHÍNH" and rendered.text.startswith("Hạn 24:00 Chủ nhật, 15/09/2019")
