"""`dtiflow mail ...`: the outbox and its relay, for ops.

    dtiflow mail relay [--wait]          send what is due now (--wait: until nothing is left)
    dtiflow mail outbox [--json]         counts by status, and every parked message with its error
    dtiflow mail requeue MESSAGE_ID      send a parked message again (after the cause is fixed)
    dtiflow mail preview KIND [--html|--ics]
                                         a sample message of KIND through the templates in use
    dtiflow mail devserver [--port N] [--maildir DIR]
                                         a loopback SMTP server that keeps what it gets (demo, tests)

Transport, sender and templates come from DTIFLOW_MAIL_* / DTIFLOW_SMTP_* (docs/notifications.md).
"""

from __future__ import annotations

import argparse

from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from dtiflow.cli.store_wiring import settings_clock


def register(subparsers: argparse._SubParsersAction) -> None:
    mail = subparsers.add_parser("mail", help="the e-mail outbox and its relay", description=__doc__.splitlines()[0])
    sub = mail.add_subparsers(dest="mail_command", metavar="ACTION", parser_class=type(mail))
    sub.required = True

    p = sub.add_parser("relay", help="send the queued messages that are due now (exit 1 when none could go)")
    p.add_argument("--wait", action="store_true", help="wait out back-offs until the outbox is empty")
    _json(p)
    p.set_defaults(handler=_relay)

    p = sub.add_parser("outbox", help="counts by status, the parked messages and those waiting to be retried")
    _json(p)
    p.set_defaults(handler=_outbox)

    p = sub.add_parser("requeue", help="queue a parked message again")
    p.add_argument("message_id", metavar="MESSAGE_ID", help="as shown by 'dtiflow mail outbox', with <>")
    _json(p)
    p.set_defaults(handler=_requeue)

    p = sub.add_parser("preview", help="render a sample message of KIND with the templates in use")
    p.add_argument("kind", metavar="KIND", help="one of: " + ", ".join(_kinds()))
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--html", action="store_true", help="print the HTML part instead of the text")
    shown.add_argument("--ics", action="store_true", help="print the .ics attachment instead of the text")
    shown.add_argument("--json", action="store_true", help="subject, text, HTML and .ics as JSON")
    p.set_defaults(handler=_preview)

    p = sub.add_parser("devserver", help="a loopback SMTP server storing every message in a maildir")
    p.add_argument("--port", type=int, default=2525, help="port on 127.0.0.1 (default 2525)")
    p.add_argument("--maildir", default="var/devmail", help="where messages are kept (default var/devmail)")
    _json(p, "print one JSON line when listening and one per message received")
    p.set_defaults(handler=_devserver)


def _json(p: argparse.ArgumentParser, text: str = "print JSON instead of text") -> None:
    p.add_argument("--json", action="store_true", help=text)


def _settings():
    from dtiflow.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        raise UserError(str(exc)) from None


def _engine(settings):
    from notifications.relay import relay_engine
    from store.outbox import create_outbox_table

    engine = relay_engine(settings.database_url)
    create_outbox_table(engine)  # no-op when the migrations made it
    return engine


def _relay(args: argparse.Namespace) -> int:
    from notifications.settings import build_relay

    settings = _settings()
    engine = _engine(settings)
    relay = build_relay(engine, settings.mail, settings_clock(settings, engine))
    if args.wait:
        report = relay.drain()
    else:
        from notifications.relay import RelayReport
        report = RelayReport()
        try:
            while True:
                batch = relay.run_once()
                report.add(batch)
                if not batch.claimed:
                    break
        finally:
            relay.transport.close()
    result = {"sent": report.sent, "retry_later": report.retried + report.released, "parked": report.parked,
              "errors": list(report.errors)}
    if args.json:
        emit_json(result)
    else:
        print(_relay_text(report))
    return 1 if report.failed else 0


def _relay_text(report) -> str:
    later = report.retried + report.released
    if report.failed:
        head = f"Không gửi được thư nào: {later} thư sẽ gửi lại sau, {report.parked} thư dừng gửi."
    elif not (report.sent or later or report.parked):
        return "Không có thư nào đến hạn gửi."
    else:
        head = f"Đã gửi {report.sent} thư; {later} thư sẽ gửi lại sau; {report.parked} thư dừng gửi."
    return "\n".join([head, *(f"Lý do: {reason}" for reason in report.errors)])


def _outbox(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select
    from sqlmodel import Session

    from store.outbox import PARKED, QUEUED, OutboxMessage as O

    settings = _settings()
    with Session(_engine(settings)) as session:
        counts = dict(session.execute(select(O.status, func.count()).group_by(O.status)).all())
        parked = session.execute(select(O.message_id, O.kind, O.recipients, O.subject, O.last_error)
                                 .where(O.status == PARKED).order_by(O.id)).all()
        # Queued again after a failure: the stored reason says why it has not gone yet.
        waiting = session.execute(select(O.message_id, O.kind, O.recipients, O.attempts, O.next_attempt_at,
                                         O.last_error)
                                  .where(O.status == QUEUED, O.last_error.is_not(None)).order_by(O.id).limit(50)).all()
    if args.json:
        emit_json({"counts": counts, "parked": [dict(r._mapping) for r in parked],
                   "waiting": [{**dict(r._mapping), "next_attempt_at": _aware(r.next_attempt_at).isoformat()}
                               for r in waiting]})
        return 0
    from dtiflow.cli import present

    labels = {"queued": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "parked": "dừng gửi"}
    print("; ".join(f"{labels.get(k, k)}: {v}" for k, v in sorted(counts.items())) or "Hộp thư đi trống.")
    for r in parked:
        print(f"Dừng gửi: {r.message_id} ({r.kind}) → {r.recipients}: {r.last_error}")
    for r in waiting:
        print(f"Chờ gửi lại lúc {present.moment(_aware(r.next_attempt_at))} (đã thử {r.attempts} lần): "
              f"{r.message_id} ({r.kind}) → {r.recipients}: {r.last_error}")
    return 0


def _aware(instant):
    """SQLite hands back naive UTC from an aggregate-free select on some drivers."""
    import datetime as dt

    return instant if instant.tzinfo is not None else instant.replace(tzinfo=dt.timezone.utc)


def _requeue(args: argparse.Namespace) -> int:
    from sqlalchemy import update
    from sqlmodel import Session

    from store.outbox import PARKED, QUEUED, OutboxMessage as O

    settings = _settings()
    engine = _engine(settings)
    now = settings_clock(settings, engine).now()
    with Session(engine) as session, session.begin():
        done = session.execute(update(O).where(O.message_id == args.message_id, O.status == PARKED)
                               .values(status=QUEUED, attempts=0, next_attempt_at=now)).rowcount
    if not done:
        raise UserError(f"không có thư đang dừng gửi với Message-ID {args.message_id}")
    if args.json:
        emit_json({"message_id": args.message_id, "status": QUEUED})
    else:
        print(f"Đã đưa {args.message_id} vào hàng đợi gửi lại.")
    return 0


def _kinds() -> list[str]:
    from notifications.messages import MessageKind

    return [k.value for k in MessageKind]


def _preview(args: argparse.Namespace) -> int:
    import datetime as dt

    from jinja2 import TemplateError

    from notifications.render import Renderer, TemplateFolderError
    from notifications.samples import every_kind

    if args.kind not in _kinds():
        raise UserError(f"'{args.kind}' không phải một loại thư; các loại: {', '.join(_kinds())}")
    settings = _settings()
    message = every_kind()[args.kind]
    try:
        rendered = Renderer(settings.mail.template_dir).render(
            message, uid="<preview@dtiflow.local>", stamp=dt.datetime(2019, 9, 11, 1, tzinfo=dt.timezone.utc))
    except (TemplateError, TemplateFolderError) as exc:
        where = f" ({exc.filename}:{exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise UserError(f"mẫu thư '{args.kind}'{where}: {exc}") from None
    if args.json:
        emit_json({"kind": args.kind, "subject": rendered.subject, "text": rendered.text, "html": rendered.html,
                   "ics": rendered.ics.decode("utf-8") if rendered.ics is not None else None})
        return 0
    if args.ics:
        if rendered.ics is None:
            raise UserError(f"thư loại '{args.kind}' không có tệp .ics đính kèm")
        print(rendered.ics.decode("utf-8").replace("\r\n", "\n"), end="")
    else:
        print(rendered.html if args.html else f"Tiêu đề: {rendered.subject}\n\n{rendered.text}", end="")
    return 0


def _devserver(args: argparse.Namespace) -> int:
    from notifications import testing_smtp

    return testing_smtp.main(["--port", str(args.port), "--maildir", args.maildir] + (["--json"] if args.json else []))
