"""Secrets never shown: every URL's password, every secret-named pair, every known secret value."""

from __future__ import annotations

import pytest

from domain.redaction import redact, redact_url
from dtiflow.settings import environment_secrets, load_settings


@pytest.mark.parametrize("url, shown", [
    ("postgresql://dtiflow:s3cret@db.example:5432/dtiflow", "postgresql://dtiflow:***@db.example:5432/dtiflow"),
    ("postgresql+psycopg://app:p%40ss%2Fw0rd@10.0.0.5/dti", "postgresql+psycopg://app:***@10.0.0.5/dti"),
    ("postgresql://app:with@at@host/db", "postgresql://app:***@host/db"),
    ("postgresql://app@host/db", "postgresql://app@host/db"),
    ("sqlite:///var/dtiflow.db", "sqlite:///var/dtiflow.db"),
    ("smtp://mailer:hunter22@smtp.example:587", "smtp://mailer:***@smtp.example:587"),
])
def test_a_urls_password_is_masked_and_the_rest_kept(url, shown):
    assert redact_url(url) == shown
    assert redact(f"không kết nối được {url}: lỗi") == f"không kết nối được {shown}: lỗi"


@pytest.mark.parametrize("text, shown", [
    ("host=db user=app password=s3cret dbname=dti", "host=db user=app password=*** dbname=dti"),
    ("DTIFLOW_SMTP_PASSWORD='a b c' DTIFLOW_X=1", "DTIFLOW_SMTP_PASSWORD=*** DTIFLOW_X=1"),
    ("api_token: abc123, next", "api_token: ***, next"),
    ('{"secret": "x"}', '{"secret": "x"}'),  # JSON keys are quoted: masked by value (below) when known
    ("password authentication failed for user \"app\"", "password authentication failed for user \"app\""),
])
def test_a_secret_named_pair_is_masked(text, shown):
    assert redact(text) == shown


def test_a_known_secret_is_masked_wherever_it_appears():
    assert redact('{"secret": "hunter22"} hunter22!', secrets=["hunter22", None, ""]) == '{"secret": "***"} ***!'


def test_the_settings_know_the_passwords_of_both_databases_and_of_smtp():
    env = {"DTIFLOW_DATABASE_URL": "postgresql://app:p%40ss@db/dti",
           "DTIFLOW_OWNER_DATABASE_URL": "postgresql://owner:0wnerpw@db/dti",
           "DTIFLOW_SMTP_PASSWORD": "smtp-pw"}
    assert set(environment_secrets(env)) == {"p%40ss", "p@ss", "0wnerpw", "smtp-pw"}
    assert set(load_settings(env).secrets()) == {"p%40ss", "p@ss", "0wnerpw", "smtp-pw"}
