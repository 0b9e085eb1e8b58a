"""A password never crosses the network in clear: with a password the mailer uses STARTTLS
unless told otherwise, and it refuses to log in over an unencrypted connection unless that is
allowed explicitly. Proven against a real aiosmtpd server on 127.0.0.1 that would accept a
plain login (auth_require_tls=False) and records every login attempt it receives."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from notifications.settings import MailSettingsError, build_transport, load_mail_settings
from notifications.testing_smtp import MailSink, free_port
from notifications.transports import ConnectionFailure, SmtpTransport

RAW = b"From: a@x.vn\r\nTo: b@x.vn\r\nSubject: t\r\nMessage-ID: <1@x.vn>\r\n\r\nxin chao\r\n"


class Recorder:
    def __init__(self) -> None:
        self.logins: list[tuple[str, str]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


@pytest.fixture
def server():
    """An SMTP server without TLS that offers AUTH PLAIN/LOGIN in clear and records logins."""
    recorder = Recorder()
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), authenticator=recorder,
                            auth_require_tls=False)
    controller.start()
    try:
        yield controller, recorder, sink
    finally:
        controller.stop()


def _env(controller, **extra) -> dict[str, str]:
    return {"DTIFLOW_MAIL_TRANSPORT": "smtp", "DTIFLOW_SMTP_HOST": "127.0.0.1",
            "DTIFLOW_SMTP_PORT": str(controller.port), **extra}


def test_a_password_without_a_security_setting_means_starttls(server):
    controller, recorder, sink = server
    mail = load_mail_settings(_env(controller, DTIFLOW_SMTP_USERNAME="stttt", DTIFLOW_SMTP_PASSWORD="bí mật"))
    assert mail.smtp_security == "starttls"
    transport = build_transport(mail)
    with pytest.raises(ConnectionFailure, match="STARTTLS"):  # this server cannot encrypt: nothing is sent
        transport.send("a@x.vn", ["b@x.vn"], RAW)
    assert recorder.logins == [] and sink.received == []


def test_plain_login_over_an_unencrypted_connection_is_refused_in_the_settings(server):
    controller, _, _ = server
    with pytest.raises(MailSettingsError, match="password in clear.*DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN"):
        load_mail_settings(_env(controller, DTIFLOW_SMTP_SECURITY="none", DTIFLOW_SMTP_USERNAME="stttt",
                                DTIFLOW_SMTP_PASSWORD="bí mật"))


def test_the_transport_itself_never_sends_a_password_in_clear(server):
    controller, recorder, sink = server
    transport = SmtpTransport("127.0.0.1", controller.port, "none", "stttt", "bí mật")
    with pytest.raises(ConnectionFailure, match="unencrypted"):
        transport.send("a@x.vn", ["b@x.vn"], RAW)
    assert recorder.logins == [] and sink.received == []


def test_plain_login_explicitly_allowed_logs_in(server):
    controller, recorder, sink = server
    mail = load_mail_settings(_env(controller, DTIFLOW_SMTP_SECURITY="none", DTIFLOW_SMTP_USERNAME="stttt",
                                   DTIFLOW_SMTP_PASSWORD="bi mat", DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN="1"))
    transport = build_transport(mail)
    transport.send("a@x.vn", ["b@x.vn"], RAW)
    transport.close()
    assert recorder.logins == [("stttt", "bi mat")] and len(sink.received) == 1


def test_no_login_needs_no_encryption(server):
    controller, recorder, sink = server
    mail = load_mail_settings(_env(controller))
    assert mail.smtp_security == "none"
    transport = build_transport(mail)
    transport.send("a@x.vn", ["b@x.vn"], RAW)
    transport.close()
    assert recorder.logins == [] and len(sink.received) == 1
