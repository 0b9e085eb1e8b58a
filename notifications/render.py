"""Templates -> subject, plain text, HTML and the .ics of one message.

One template pair per message kind, `templates/<kind>.txt.j2` (its `subject` and `body` blocks)
and `templates/<kind>.html.j2`. A province overrides any of them by putting a file of the same
name in its own folder (setting `DTIFLOW_MAIL_TEMPLATES`): that folder is searched first.
Undefined variables are errors, never blanks, and HTML is autoescaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from domain.errors import InvalidInput
from domain.instants import as_local, format_closing_vi, format_date_vi, local_date, weekday_vi
from notifications import ics
from notifications.messages import Message

DEFAULT_TEMPLATES = Path(__file__).parent / "templates"


class TemplateFolderError(InvalidInput):
    """The province's template folder setting names something that is not a folder."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    ics: bytes | None


def _day(value: dt.date | dt.datetime) -> dt.date:
    return local_date(value) if isinstance(value, dt.datetime) else value


def date_vi(value: dt.date | dt.datetime) -> str:
    """dd/mm/yyyy (a datetime is shown as its local date)."""
    return format_date_vi(_day(value))


def weekday_date_vi(value: dt.date | dt.datetime) -> str:
    day = _day(value)
    return f"{weekday_vi(day)}, {format_date_vi(day)}"


def moment_vi(instant: dt.datetime) -> str:
    """'09:30 Thứ Hai, 16/09/2019' — a receipt time, local wall clock."""
    local = as_local(instant)
    return f"{local:%H:%M} {weekday_vi(local.date())}, {format_date_vi(local.date())}"


def lower_first(text: str) -> str:
    """A title used inside a sentence: 'Đánh giá, xếp hạng ...' -> 'đánh giá, xếp hạng ...'."""
    return text[:1].lower() + text[1:]


def build_environment(override_dir: str | Path | None = None) -> Environment:
    loaders = []
    if override_dir:
        folder = Path(override_dir)
        if not folder.is_dir():
            raise TemplateFolderError(f"mail template folder '{folder}' does not exist or is not a folder")
        loaders.append(FileSystemLoader(folder))
    loaders.append(FileSystemLoader(DEFAULT_TEMPLATES))
    # A province's folder holds templates we did not write: they run sandboxed (no attribute
    # starting with "_", no unsafe call), so `{{ ''.__class__.__mro__ }}` cannot reach Python's
    # internals, the settings or the password. The shipped templates alone need no sandbox.
    environment = SandboxedEnvironment if override_dir else Environment
    env = environment(
        loader=ChoiceLoader(loaders),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(date_vi=date_vi, weekday_date_vi=weekday_date_vi, closing_vi=format_closing_vi,
                       moment_vi=moment_vi, lower_first=lower_first)
    return env


class Renderer:
    def __init__(self, override_dir: str | Path | None = None) -> None:
        self.env = build_environment(override_dir)

    def render(self, message: Message, *, uid: str, stamp: dt.datetime) -> Rendered:
        """`uid` names the .ics event (the Message-ID is a good one); `stamp` is its DTSTAMP."""
        ctx = dict(message.context, kind=message.kind.value)
        text_t = self.env.get_template(f"{message.kind.value}.txt.j2")
        html_t = self.env.get_template(f"{message.kind.value}.html.j2")
        subject = " ".join("".join(text_t.blocks["subject"](text_t.new_context(ctx))).split())
        text = text_t.render(ctx)
        html = html_t.render(dict(ctx, subject=subject))
        event = None
        if message.deadline is not None:
            event = ics.deadline_event(uid=uid.strip("<>"), summary=message.deadline.summary,
                                       closes_at=message.deadline.closes_at, stamp=stamp,
                                       description=subject)
        return Rendered(subject, text, html, event)
