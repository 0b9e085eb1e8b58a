"""Secrets never shown: the one helper every output and log line goes through before a person or
a log file sees it (the command line's messages, `dtiflow db`, `dtiflow serve`'s lines).

Three kinds of secret are masked with `***`:
- the password of a URL (`postgresql://dtiflow:s3cret@db/dtiflow` -> `postgresql://dtiflow:***@db/dtiflow`);
- the value of a `key=value` or `key: value` pair whose key names a secret (password, passwd,
  pwd, secret, token; e.g. a libpq `password=...` or `DTIFLOW_SMTP_PASSWORD=...`);
- any value the caller knows to be secret (the passwords from the settings), wherever it appears.
"""

from __future__ import annotations

import re
from typing import Iterable

MASK = "***"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_PAIR = re.compile(r"(?i)\b([\w.-]*(?:password|passwd|pwd|secret|token)[\w.-]*)(\s*[=:]\s*)"
                   r"('[^']*'|\"[^\"]*\"|[^\s&;,'\"]+)")


def redact_url(url: str) -> str:
    """The URL with its password masked (the user name stays: it says who connects)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return url
    start = scheme_end + 3
    at = url.rfind("@", start)
    if at < 0:
        return url
    userinfo = url[start:at]
    if ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{url[:start]}{user}:{MASK}{url[at:]}"


def redact(text: str, *, secrets: Iterable[str | None] = ()) -> str:
    out = _URL.sub(lambda m: redact_url(m.group(0)), str(text))
    out = _PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", out)
    # Longest first: a secret that contains another is masked whole.
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        out = out.replace(secret, MASK)
    return out
