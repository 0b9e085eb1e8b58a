"""`dtiflow serve`: the embedded mode — one process ticks the cycles and sends the mail.

    dtiflow serve [--interval SECONDS] [--lease SECONDS] [--passive]

Reads DTIFLOW_DATABASE_URL and the DTIFLOW_SMTP_* settings. Stops cleanly on SIGTERM or Ctrl-C
(the tick in progress finishes, the scheduler lease is given back). Only one `serve` runs per
database: a second one refuses (exit 2, naming the holder), or with --passive waits as a
standby and takes over when the first stops or its lease runs out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal

from dtiflow.cli.errors import UserError

DEFAULT_INTERVAL = 60.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải một số giây") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' phải là một số giây lớn hơn 0")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="the embedded mode: tick and send mail in one process (no Prefect server)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--interval", type=_seconds, default=DEFAULT_INTERVAL, metavar="SECONDS",
                   help=f"seconds between ticks (default {DEFAULT_INTERVAL:g})")
    p.add_argument("--lease", type=_seconds, default=None, metavar="SECONDS",
                   help="how long the scheduler lease lasts unless renewed (default: 3 intervals, at least 30 s); "
                        "a standby takes over this long after the holder dies")
    p.add_argument("--passive", action="store_true",
                   help="if another serve holds this database, wait as a standby instead of refusing")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per line ({\"at\": ISO instant, \"message\": ...}) instead of text")
    p.set_defaults(handler=run)


def _json_line(message: str) -> None:
    import json

    print(json.dumps({"at": dt.datetime.now(dt.timezone.utc).isoformat(), "message": message}, ensure_ascii=False),
          flush=True)


def run(args: argparse.Namespace) -> int:
    from dtiflow.bootstrap import current_app
    from dtiflow.serve import EmbeddedScheduler, LeaseHeld, ServeConfig
    from dtiflow.settings import SettingsError

    lease = args.lease if args.lease is not None else max(3 * args.interval, 30.0)
    try:
        config = ServeConfig(dt.timedelta(seconds=args.interval), dt.timedelta(seconds=lease), args.passive)
        app = current_app()
    except (ValueError, SettingsError) as exc:
        raise UserError(str(exc)) from None
    scheduler = EmbeddedScheduler(app, config, say=_json_line) if args.json else EmbeddedScheduler(app, config)
    previous = {sig: signal.signal(sig, lambda *_: scheduler.stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return scheduler.run()
    except LeaseHeld as exc:
        raise UserError(str(exc)) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
