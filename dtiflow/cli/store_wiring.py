"""What the store-backed commands share: the services from the settings and the common options
(--as, --key, --json). Refusals need no handling here: `dtiflow.cli.main` shows every
`domain.errors.Refusal` as one line (exit 2) and records anything else as a defect."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from domain.redaction import redact, redact_url
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from dtiflow.settings import load_settings
from services.config import Services
from store.db import make_engine


def engine_from_settings(*, require_schema: bool = True):
    settings = load_settings()
    engine = make_engine(settings.database_url)
    if require_schema:
        try:
            tables = set(inspect(engine).get_table_names())
        except DBAPIError as exc:
            raise UserError(f"không kết nối được cơ sở dữ liệu {redact_url(settings.database_url)}: "
                            f"{redact(str(exc.orig).splitlines()[0])}") from None
        if "cycle" not in tables:
            raise UserError(f"cơ sở dữ liệu {redact_url(settings.database_url)} chưa có bảng: chạy 'dtiflow db upgrade' trước")
    return settings, engine


def build_services() -> Services:
    """The CLI's composition, through the composition root (`dtiflow.bootstrap`): settings ->
    engine -> services writing their e-mail to the outbox in the command's own transaction.
    The clock is the system clock, or DTIFLOW_NOW (a testing / demo aid, read in
    dtiflow.settings only), which a production database refuses (dtiflow.clock)."""
    from dtiflow.bootstrap import build_mail_outbox
    from dtiflow.bootstrap import build_services as compose

    settings, engine = engine_from_settings()
    return compose(engine, settings_clock(settings, engine), build_mail_outbox(settings, engine), settings)


def settings_clock(settings, engine):
    """The business clock from the settings: DTIFLOW_NOW only on a sandbox database."""
    from domain.clock import FixedClock
    from dtiflow.clock import business_clock

    return business_clock(engine, simulated=FixedClock(settings.now) if settings.now is not None else None)


def add_actor(parser: argparse.ArgumentParser, *, key: bool = True) -> None:
    parser.add_argument("--as", dest="actor", required=True, metavar="PERSON",
                        help="who is acting (a person id from the units register); checked against their roles")
    if key:
        parser.add_argument("--key", default=None, metavar="KEY",
                            help="idempotency key: repeating the command with the same key returns the first result")
    add_json(parser)


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


REPLAYED = "Lệnh này đã được thực hiện trước đó với cùng khóa --key: không thay đổi gì, kết quả là của lần đầu."


def show(args: argparse.Namespace, result: Any, text: Callable[[Any], str]) -> None:
    """The result as JSON (--json) or as the sentence `text` writes; a replayed idempotent
    command says so (nothing was done this time)."""
    if getattr(args, "json", False):
        emit_json(result)
        return
    if isinstance(result, dict) and result.get("replayed"):
        print(REPLAYED)
    print(text(result))
