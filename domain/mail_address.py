"""Whether the mailer can send to an address: the one rule the register's import and the e-mail
headers share (notifications.mime.check_address applies it to every header it writes).

The messages go out as plain RFC 5322 headers without the SMTPUTF8 extension, so an address
must be ASCII (a Vietnamese letter in the local part, `phạm.stp@…`, is refused by the relay
at send time), have text on both sides of its last '@', and no character that would end or
split a header (line breaks, spaces, `<`, `>`, `,`).
"""

from __future__ import annotations

_FORBIDDEN = "\r\n<>, "


def address_problem(address: str) -> str | None:
    """None if the mailer can send to `address`; else what is wrong, in Vietnamese."""
    if not address:
        return "địa chỉ e-mail trống"
    if not address.isascii():
        odd = next(c for c in address if not c.isascii())
        return f"có ký tự '{odd}' ngoài bảng ASCII (máy gửi thư không gửi được tới địa chỉ có dấu)"
    bad = next((c for c in address if c in _FORBIDDEN or ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        return f"có ký tự không được phép {bad!r}"
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return "không đúng dạng ten@ten-mien.vn"
    return None
