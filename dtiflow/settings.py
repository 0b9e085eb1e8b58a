"""The one module that reads the environment (cosmicpython `config.py`).

Everything else receives its settings as arguments, so tests never need to patch `os.environ`
beyond what they pass to the CLI.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from urllib.parse import unquote
from pathlib import Path
from typing import Mapping

from domain.clock import Clock, FixedClock
from domain.errors import InvalidInput
from dtiflow.clock import SystemClock
from notifications.settings import MailSettings, MailSettingsError, load_mail_settings
from services.evidence import FileLimits

DEFAULT_DATABASE_URL = "sqlite:///var/dtiflow.db"
DEFAULT_FILES_DIR = Path("var") / "files"


class SettingsError(InvalidInput):
    """An environment variable holds a value we cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Who runs `dtiflow db upgrade`: the owner of the tables (PostgreSQL), when the application
    # connects as a role that may not alter them (docs/security.md). Default: database_url.
    owner_database_url: str | None = None
    # A testing / demo aid only: pins the CLI's clock so that a 2019 cycle can be driven today.
    now: dt.datetime | None = None
    # Transport (maildir | smtp, with the DTIFLOW_SMTP_* settings), sender, secretariat,
    # template folder: read by notifications/settings.py, the one parser of those variables.
    mail: MailSettings = MailSettings()
    # The file store of evidence (DTIFLOW_FILES_DIR) and its caps in MB (DTIFLOW_FILES_MAX_FILE_MB,
    # DTIFLOW_FILES_MAX_SHEET_MB): docs/security.md, "Tệp từ bên ngoài".
    files_dir: Path = DEFAULT_FILES_DIR
    file_limits: FileLimits = field(default_factory=FileLimits)

    def clock(self) -> Clock:
        """The clock as the settings say, unchecked: the composition root guards a simulated
        clock with the database's mode (dtiflow.clock.business_clock)."""
        return FixedClock(self.now) if self.now is not None else SystemClock()

    @property
    def migration_url(self) -> str:
        return self.owner_database_url or self.database_url

    def secrets(self) -> tuple[str, ...]:
        """Values never to print (domain.redaction): the databases' and the SMTP passwords."""
        found = [self.mail.smtp_password]
        for url in (self.database_url, self.owner_database_url):
            found += list(url_passwords(url))
        return tuple(s for s in found if s)


def _parse_now(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SettingsError(f"DTIFLOW_NOW='{text}' is not an ISO instant (e.g. 2019-09-13T02:00:00Z)") from None
    if instant.tzinfo is None:
        raise SettingsError(f"DTIFLOW_NOW='{text}' has no time zone: add Z or +07:00")
    return instant.astimezone(dt.timezone.utc)


def url_passwords(url: str | None) -> tuple[str, ...]:
    """The password of a database URL, as written and percent-decoded."""
    if not url or "://" not in url:
        return ()
    userinfo = url.split("://", 1)[1].rpartition("@")[0]
    if ":" not in userinfo:
        return ()
    raw = userinfo.split(":", 1)[1]
    return tuple({raw, unquote(raw)})


def environment_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The secrets the environment holds, read without parsing anything else (an error message
    about a bad setting must still be redacted)."""
    env = os.environ if environ is None else environ
    found = [env.get("DTIFLOW_SMTP_PASSWORD")]
    for key in ("DTIFLOW_DATABASE_URL", "DTIFLOW_OWNER_DATABASE_URL"):
        found += list(url_passwords(env.get(key)))
    return tuple(s for s in found if s)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    now_text = env.get("DTIFLOW_NOW", "").strip()
    return Settings(
        database_url=env.get("DTIFLOW_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        owner_database_url=env.get("DTIFLOW_OWNER_DATABASE_URL", "").strip() or None,
        now=_parse_now(now_text) if now_text else None,
        mail=_mail(env),
        files_dir=Path(env.get("DTIFLOW_FILES_DIR", "").strip() or DEFAULT_FILES_DIR),
        file_limits=FileLimits(max_file=_megabytes(env, "DTIFLOW_FILES_MAX_FILE_MB", FileLimits.max_file),
                               max_sheet=_megabytes(env, "DTIFLOW_FILES_MAX_SHEET_MB", FileLimits.max_sheet)),
    )


def load_incident_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where defects are written down (`dtiflow.incidents`): DTIFLOW_INCIDENT_DIR or var/incidents."""
    env = os.environ if environ is None else environ
    return Path(env.get("DTIFLOW_INCIDENT_DIR", "").strip() or "var/incidents")


def _megabytes(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        mb = float(text)
    except ValueError:
        raise SettingsError(f"{name}='{text}' không phải một số MB") from None
    if not 0 < mb <= 10_000:
        raise SettingsError(f"{name}={text} phải lớn hơn 0 và không quá 10000 MB")
    return int(mb * 1024 * 1024)


def _mail(env: Mapping[str, str]) -> MailSettings:
    try:
        return load_mail_settings(env)
    except MailSettingsError as exc:
        raise SettingsError(str(exc)) from None
