"""How every command runs: one transaction, idempotency, the actor's role, audit and outbox.

`run_command` opens the unit of work, answers a repeated idempotency key with the first result
(and refuses a reused key whose parameters differ), loads the actor from the people register,
runs the body, writes the idempotency record, and commits — so the state change, its audit
events and its outbox messages are one transaction (decision records 0006 and 0007).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any, Callable

from domain.authorization import Actor, Command, NotAuthorized, Role, authorize
from domain.events import Event
from domain.instants import to_utc
from services.config import Services
from services.errors import IdempotencyConflict, NotFound
from services.ports import MessageRequest, Recipient
from store.log_rows import IdempotencyRow

# The tick's time-driven moves are the system's, not a person's: the audit records them under an
# actor id no person can have (register ids have no ':') in the role 'system' (docs/security.md).
SYSTEM_ACTOR = "system:tick"
SYSTEM_ROLE = "system"

_COMMON = {f.name for f in dataclasses.fields(Event)} | {"unit_code"}


def fingerprint(command: str, actor_id: str | None, params: dict[str, Any]) -> str:
    text = json.dumps({"command": command, "actor": actor_id, "params": params}, sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_actor(uow, person_id: str) -> Actor:
    person = uow.people.get(person_id)
    if person is None or not person.active:
        raise NotFound(f"không có người '{person_id}' trong danh sách người dùng")
    grants = uow.people.grants(person_id)
    unit = next((g.unit_code for g in grants if g.unit_code), None)
    owner = next((g.owner_scope for g in grants if g.owner_scope), None)
    return Actor(person_id, frozenset(Role(g.role) for g in grants), unit, owner)


class Tx:
    """What a command body sees: the unit of work, the actor, the time, and `emit`."""

    def __init__(self, services: Services, uow, command: Command | str, actor: Actor | None, key: str | None) -> None:
        self.services = services
        self.uow = uow
        self.command = command
        self.actor = actor
        self.key = key
        self.role: Role | None = None
        self._now: dt.datetime | None = None
        self._contacts: dict[str, tuple[Recipient, ...]] | None = None
        self._seq = 0
        # What the e-mail of this command's events needs beyond the event (e.g. each unit's
        # published result); handed to the outbox with every request.
        self.mail_context: dict[str, Any] = {}

    # --- time: read once, AFTER the body took its locks (the submission's own instant) -----
    def now(self) -> dt.datetime:
        if self._now is None:
            self._now = to_utc(self.services.clock.now())
        return self._now

    # --- authorization -------------------------------------------------------------------
    def authorize(self, cycle_owner: str, unit_code: str | None = None) -> Role | None:
        """Check the actor (None = the system, allowed only for time-driven moves) and remember
        the role they act in, for the audit entry."""
        if self.actor is None:
            return None
        authorize(self.actor, self.command, cycle_owner=cycle_owner, unit_code=unit_code)
        for role in sorted(self.actor.roles):
            try:
                authorize(dataclasses.replace(self.actor, roles=frozenset({role})), self.command,
                          cycle_owner=cycle_owner, unit_code=unit_code)
            except NotAuthorized:
                continue
            self.role = role
            return role
        raise AssertionError("authorize passed but no single role does")  # pragma: no cover

    @property
    def actor_id(self) -> str | None:
        return self.actor.person_id if self.actor else None

    # --- events: audit row + outbox message, same transaction ----------------------------
    def event(self, cls: type[Event], **fields: Any) -> Event:
        fields.setdefault("at", self.now())
        if self.actor is not None:
            fields.setdefault("actor", self.actor.person_id)
            fields.setdefault("role", self.role)
        return cls(**fields)

    def emit(self, *events: Event, notify: bool = True) -> None:
        rows = [self._audit_row(e) for e in events]
        self.uow.audit.append_many(rows)
        if notify:
            for e in events:
                self._enqueue(e)

    def _audit_row(self, e: Event) -> dict[str, Any]:
        payload = e.payload()
        return {
            "cycle_id": e.cycle_id,
            "unit_code": getattr(e, "unit_code", None),
            "actor_id": e.actor or SYSTEM_ACTOR,
            "role": str(e.role) if e.role else SYSTEM_ROLE,
            "at": e.at,
            "command": str(self.command),
            "event": e.name,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "reason": e.reason,
            "details": {k: v for k, v in payload.items() if k not in _COMMON},
        }

    def _enqueue(self, e: Event) -> None:
        unit = getattr(e, "unit_code", None)
        contacts = self.contacts()
        if unit is not None:
            recipients = contacts.get(unit, ())
        else:
            recipients = tuple(r for code in self.uow.sheets.unit_codes(e.cycle_id) for r in contacts.get(code, ()))
        self._seq += 1
        base = self.key or f"{e.name}:{e.at.isoformat()}"
        key = f"{e.cycle_id}:{e.name}:{unit or '*'}:{base}:{self._seq}"
        self.services.outbox.enqueue(getattr(self.uow, "session", None),
                                     MessageRequest(event=e, recipients=recipients, idempotency_key=key,
                                                    context=dict(self.mail_context)))

    def contacts(self) -> dict[str, tuple[Recipient, ...]]:
        """Each unit's focal person and head (who the e-mails go to), loaded once."""
        if self._contacts is None:
            out: dict[str, list[Recipient]] = {}
            for code, pid, email, role in self.uow.units.contacts():
                out.setdefault(code, []).append(Recipient(pid, email, role, code))
            self._contacts = {code: tuple(rs) for code, rs in out.items()}
        return self._contacts


def run_command(services: Services, command: Command | str, *, actor_id: str | None, key: str | None,
                params: dict[str, Any], body: Callable[[Tx], dict[str, Any]]) -> dict[str, Any]:
    fp = fingerprint(str(command), actor_id, params)
    try:
        return _run_once(services, command, actor_id, key, fp, body)
    except (IdempotencyConflict, NotFound, NotAuthorized):
        raise
    except Exception:
        # Two requests with the same key raced: the loser's insert of the key failed. Answer
        # with the winner's result if the parameters match; otherwise the original error.
        if key is not None:
            with services.uow() as uow:
                prior = uow.idempotency.get(key)
                if prior is not None:
                    return _replay(prior, command, fp, key)
        raise


def _replay(prior: IdempotencyRow, command: Command, fp: str, key: str) -> dict[str, Any]:
    if prior.fingerprint != fp:
        raise IdempotencyConflict(
            f"khóa idempotency '{key}' đã được dùng cho lệnh '{prior.command}' với tham số khác; "
            f"dùng khóa mới cho một yêu cầu mới")
    return dict(prior.result, replayed=True)


def _run_once(services: Services, command: Command, actor_id: str | None, key: str | None, fp: str,
              body: Callable[[Tx], dict[str, Any]]) -> dict[str, Any]:
    outbox = services.outbox
    with services.uow() as uow:
        if key is not None:
            prior = uow.idempotency.get(key)
            if prior is not None:
                return _replay(prior, command, fp, key)
        actor = load_actor(uow, actor_id) if actor_id is not None else None
        tx = Tx(services, uow, command, actor, key)
        try:
            result = body(tx)
            if key is not None:
                uow.idempotency.put(IdempotencyRow(key=key, command=str(command), fingerprint=fp,
                                                   actor_id=actor_id or SYSTEM_ACTOR, result=result,
                                                   created_at=tx.now()))
            uow.commit()
        except BaseException:
            uow.rollback()
            getattr(outbox, "rolled_back", lambda: None)()
            raise
    getattr(outbox, "committed", lambda: None)()
    return result
