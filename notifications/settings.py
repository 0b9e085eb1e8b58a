"""The mail settings, parsed from a mapping (`dtiflow.settings` passes the environment), and the
wiring that turns them into a composer, a transport and a relay.

    DTIFLOW_MAIL_TRANSPORT      maildir (default, the embedded mode) | smtp
    DTIFLOW_MAILDIR             maildir folder (default var/mail)
    DTIFLOW_SMTP_HOST / _PORT   the SMTP server (default 127.0.0.1:25)
    DTIFLOW_SMTP_SECURITY       none | starttls | tls   (DTIFLOW_SMTP_STARTTLS=1 means starttls);
                                unset: starttls when a password is given, else none
    DTIFLOW_SMTP_USERNAME / _PASSWORD   login, if the server wants one (never logged); never sent
                                over an unencrypted connection unless
    DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN=1    (a relay on the same host or a private link, said explicitly)
    DTIFLOW_MAIL_FROM           sender address (default DTIFLOW_SMTP_SENDER, else noreply@dtiflow.local)
    DTIFLOW_MAIL_FROM_NAME      sender display name (default "Sở Thông tin và Truyền thông")
    DTIFLOW_MAIL_SECRETARIAT    comma-separated addresses told about parked messages (default: the sender)
    DTIFLOW_MAIL_TEMPLATES      a province's template folder, searched before the built-in templates
    DTIFLOW_MAIL_MESSAGE_ID_DOMAIN  right-hand side of Message-IDs (default dtiflow.local)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from domain.clock import Clock
from domain.errors import InvalidInput
from notifications.mime import BadAddress, check_address
from notifications.transports import SECURITY_MODES, MaildirTransport, SmtpTransport, Transport

# Light at import (stdlib only beyond domain): `dtiflow.settings` imports this module in every CLI
# call; the composer, templates and relay are imported when built.

TRANSPORTS = ("maildir", "smtp")


class MailSettingsError(InvalidInput):
    """A mail setting that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    transport: str = "maildir"
    maildir: Path = Path("var") / "mail"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_allow_plain_login: bool = False
    sender: str = "noreply@dtiflow.local"
    sender_name: str = "Sở Thông tin và Truyền thông"
    secretariat: tuple[str, ...] = ()
    template_dir: Path | None = None
    message_id_domain: str = "dtiflow.local"

    def __repr__(self) -> str:  # the password never reaches a log line
        return (f"MailSettings(transport={self.transport}, maildir={self.maildir}, smtp={self.smtp_host}:"
                f"{self.smtp_port}/{self.smtp_security}, user={self.smtp_username!r}, sender={self.sender})")


def _address(name: str, value: str) -> str:
    try:
        return check_address(value.strip())
    except BadAddress:
        raise MailSettingsError(f"{name}='{value}' is not an e-mail address") from None


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise MailSettingsError(f"{name}='{value}' must be one of: {', '.join(allowed)}")
    return value


def _port(name: str, value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise MailSettingsError(f"{name}='{value}' is not a port number") from None
    if not 0 < port < 65536:
        raise MailSettingsError(f"{name}={port} is out of range 1..65535")
    return port


def load_mail_settings(env: Mapping[str, str]) -> MailSettings:
    d = MailSettings()
    get = lambda key: (env.get(key) or "").strip()  # noqa: E731
    password = env.get("DTIFLOW_SMTP_PASSWORD") or None  # not stripped: spaces may be part of it
    # A password goes over an encrypted connection: STARTTLS unless told otherwise.
    security = "starttls" if password else d.smtp_security
    if get("DTIFLOW_SMTP_STARTTLS").lower() in {"1", "true", "yes"}:
        security = "starttls"
    if get("DTIFLOW_SMTP_SECURITY"):
        security = _choice("DTIFLOW_SMTP_SECURITY", get("DTIFLOW_SMTP_SECURITY"), SECURITY_MODES)
    allow_plain = get("DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN").lower() in {"1", "true", "yes"}
    if security == "none" and (password or get("DTIFLOW_SMTP_USERNAME")) and not allow_plain:
        raise MailSettingsError("DTIFLOW_SMTP_SECURITY=none with a login would send the password in clear: use "
                                "starttls or tls, or set DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN=1 for a server reached only "
                                "over a trusted link")
    sender = _address("DTIFLOW_MAIL_FROM", get("DTIFLOW_MAIL_FROM") or get("DTIFLOW_SMTP_SENDER") or d.sender)
    secretariat = tuple(_address("DTIFLOW_MAIL_SECRETARIAT", a) for a in get("DTIFLOW_MAIL_SECRETARIAT").split(",")
                        if a.strip()) or (sender,)
    templates = Path(get("DTIFLOW_MAIL_TEMPLATES")) if get("DTIFLOW_MAIL_TEMPLATES") else None
    if templates is not None and not templates.is_dir():
        raise MailSettingsError(f"DTIFLOW_MAIL_TEMPLATES='{templates}' is not a folder")
    return MailSettings(
        transport=_choice("DTIFLOW_MAIL_TRANSPORT", get("DTIFLOW_MAIL_TRANSPORT") or d.transport, TRANSPORTS),
        maildir=Path(get("DTIFLOW_MAILDIR")) if get("DTIFLOW_MAILDIR") else d.maildir,
        smtp_host=get("DTIFLOW_SMTP_HOST") or d.smtp_host,
        smtp_port=_port("DTIFLOW_SMTP_PORT", get("DTIFLOW_SMTP_PORT")) if get("DTIFLOW_SMTP_PORT") else d.smtp_port,
        smtp_security=security,
        smtp_username=get("DTIFLOW_SMTP_USERNAME") or None,
        smtp_password=password,
        smtp_allow_plain_login=allow_plain,
        sender=sender,
        sender_name=get("DTIFLOW_MAIL_FROM_NAME") or d.sender_name,
        secretariat=secretariat,
        template_dir=templates,
        message_id_domain=get("DTIFLOW_MAIL_MESSAGE_ID_DOMAIN") or d.message_id_domain,
    )


def build_transport(mail: MailSettings) -> Transport:
    if mail.transport == "smtp":
        return SmtpTransport(mail.smtp_host, mail.smtp_port, mail.smtp_security, mail.smtp_username,
                             mail.smtp_password, allow_plain_login=mail.smtp_allow_plain_login)
    return MaildirTransport(mail.maildir)


def build_composer(mail: MailSettings, engine=None):
    """`engine`: the database the messages are about; a sandbox's messages say they are a test."""
    from notifications.messages import Recipient
    from notifications.outbox import Composer
    from notifications.render import Renderer
    from store.database_mode import SandboxProbe

    return Composer(Renderer(mail.template_dir), Recipient(mail.sender, mail.sender_name), mail.message_id_domain,
                    sandbox=SandboxProbe(engine) if engine is not None else None)


def build_relay(engine, mail: MailSettings, clock: Clock, **kwargs):
    """The relay as `dtiflow serve`, the flows and `dtiflow mail relay` run it."""
    from notifications.messages import Recipient
    from notifications.relay import Relay

    return Relay(engine, build_transport(mail), clock, secretariat=[Recipient(a) for a in mail.secretariat],
                 composer=build_composer(mail, engine), **kwargs)
