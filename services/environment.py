"""Which kind of database the services run on: what the (future) portal shows on every page, and
what an operator's health check prints (docs/security.md, "Two kinds of database")."""

from __future__ import annotations

from typing import Any

from services.config import Services
from store.database_mode import MODE_LABELS_VI, SANDBOX_LABEL_VI, DatabaseMode


def database_mode(services: Services) -> dict[str, Any]:
    """{"mode": "production" | "sandbox" | None, "sandbox": bool, "label": Vietnamese label,
    "banner": the line a sandbox's pages and exports carry (None in production)}. Anyone may ask:
    the mode is not a secret, it is a warning."""
    with services.uow() as uow:
        mode = uow.database_mode()
    sandbox = mode is DatabaseMode.SANDBOX
    return {"mode": mode.value if mode else None, "sandbox": sandbox,
            "label": MODE_LABELS_VI[mode] if mode else None,
            "banner": f"Đây là {SANDBOX_LABEL_VI}: dữ liệu và thời gian có thể là giả lập, "
                      f"không có giá trị hành chính" if sandbox else None}
