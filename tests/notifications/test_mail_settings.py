"""Mail settings come from the environment; a bad value is named, never guessed."""

from __future__ import annotations

import pytest

from notifications.settings import MailSettingsError, build_transport, load_mail_settings
from notifications.transports import MaildirTransport, SmtpTransport


def test_the_embedded_default_is_a_maildir_folder():
    mail = load_mail_settings({})
    assert (mail.transport, str(mail.maildir)) == ("maildir", "var/mail")
    assert isinstance(build_transport(mail), MaildirTransport)
    assert mail.secretariat == (mail.sender,)


def test_smtp_settings_are_read_with_security_and_login():
    mail = load_mail_settings({
        "DTIFLOW_MAIL_TRANSPORT": "smtp", "DTIFLOW_SMTP_HOST": "mail.binhthuan.gov.vn", "DTIFLOW_SMTP_PORT": "465",
        "DTIFLOW_SMTP_SECURITY": "tls", "DTIFLOW_SMTP_USERNAME": "stttt", "DTIFLOW_SMTP_PASSWORD": "mật khẩu ",
        "DTIFLOW_MAIL_FROM": "noreply@stttt.binhthuan.gov.vn",
        "DTIFLOW_MAIL_SECRETARIAT": "stttt@binhthuan.gov.vn, hangttl@stttt.binhthuan.gov.vn"})
    transport = build_transport(mail)
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port, transport.security) == ("mail.binhthuan.gov.vn", 465, "tls")
    assert mail.smtp_password == "mật khẩu "
    assert mail.secretariat == ("stttt@binhthuan.gov.vn", "hangttl@stttt.binhthuan.gov.vn")
    assert "mật khẩu" not in repr(mail) and "mật khẩu" not in repr(transport)


def test_the_older_starttls_flag_still_means_starttls():
    assert load_mail_settings({"DTIFLOW_SMTP_STARTTLS": "1"}).smtp_security == "starttls"


@pytest.mark.parametrize("env, message", [
    ({"DTIFLOW_MAIL_TRANSPORT": "sendmail"}, "DTIFLOW_MAIL_TRANSPORT='sendmail' must be one of: maildir, smtp"),
    ({"DTIFLOW_SMTP_SECURITY": "ssl"}, "DTIFLOW_SMTP_SECURITY='ssl' must be one of: none, starttls, tls"),
    ({"DTIFLOW_SMTP_PORT": "cổng"}, "DTIFLOW_SMTP_PORT='cổng' is not a port number"),
    ({"DTIFLOW_SMTP_PORT": "0"}, "out of range"),
    ({"DTIFLOW_MAIL_FROM": "sở tt&tt"}, "DTIFLOW_MAIL_FROM='sở tt&tt' is not an e-mail address"),
    ({"DTIFLOW_MAIL_SECRETARIAT": "a@b.vn,khong-phai-dia-chi"}, "DTIFLOW_MAIL_SECRETARIAT='khong-phai-dia-chi'"),
    ({"DTIFLOW_MAIL_TEMPLATES": "/khong/co/thu/muc"}, "DTIFLOW_MAIL_TEMPLATES='/khong/co/thu/muc' is not a folder"),
])
def test_a_bad_mail_setting_is_named_in_the_error(env, message):
    with pytest.raises(MailSettingsError, match=message.replace("(", r"\(")):
        load_mail_settings(env)
