"""How every command runs: one transaction, idempotency, the actor's role, audit and outbox.

`run_command` opens the unit of work, loads the actor and their grants from the people register,
runs the body — which checks the actor's grant for the cycle's owner or the unit first — writes
the idempotency record, and commits: the state change, its audit events and its outbox messages
are one transaction (decision records 0006 and 0007, docs/security.md). Idempotency keys belong
to the person who sent them (another person's key is another key), and a repeated key is
answered with the first result only once the permission check has passed again: a key never
reveals, nor replays, what its sender may no longer do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any, Callable

from domain.authorization import Actor, Command, Grant, NotAuthorized, Role, authorize
from domain.events import Event
from domain.instants import to_utc
from services.config import Services
from services.errors import IdempotencyConflict, InvalidRequest, NotFound
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
    # Each grant keeps its own scope: nothing is merged (a role held for one unit or owner does
    # not hold for another).
    return Actor(person_id, frozenset(Grant(Role(g.role), g.unit_code, g.owner_scope)
                                      for g in uow.people.grants(person_id)))


def scoped_key(actor_id: str | None, key: str | None) -> str | None:
    """The stored idempotency key: the sender's own (another person's same key is another key)."""
    if key is None:
        return None
    if not key.strip() or len(key) > 100:
        raise InvalidRequest(f"khóa idempotency '{key[:40]}' không hợp lệ: cần 1–100 ký tự")
    return f"{actor_id or SYSTEM_ACTOR}|{key}"


class _Replay(Exception):
    """Raised at the permission check when the key was used before: answer with that result."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result


class Tx:
    """What a command body sees: the unit of work, the actor, the time, and `emit`."""

    def __init__(self, services: Services, uow, command: Command | str, actor: Actor | None, key: str | None,
                 prior: Callable[[], dict[str, Any]] | None = None) -> None:
        self.services = services
        self.uow = uow
        self.command = command
        self.actor = actor
        self.key = key
        self.role: Role | None = None
        self.authorized = False
        self._prior = prior  # the first result of this key, answered once the check has passed
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
        if self.actor is not None:
            self.role = authorize(self.actor, self.command, cycle_owner=cycle_owner, unit_code=unit_code)
        self.authorized = True
        if self._prior is not None:
            raise _Replay(self._prior())
        return self.role

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
    stored_key = scoped_key(actor_id, key)
    try:
        return _run_once(services, command, actor_id, stored_key, fp, body)
    except (IdempotencyConflict, NotFound, NotAuthorized):
        raise
    except Exception:
        # Two requests with the same key raced: the loser's insert of the key failed (after its
        # own permission check passed). Answer with the winner's result if the parameters match;
        # otherwise the original error.
        if stored_key is not None:
            with services.uow() as uow:
                prior = uow.idempotency.get(stored_key)
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
        prior = uow.idempotency.get(key) if key is not None else None
        actor = load_actor(uow, actor_id) if actor_id is not None else None
        shown_key = key.split("|", 1)[1] if key is not None else None
        answer = (lambda: _replay(prior, command, fp, shown_key)) if prior is not None else None
        tx = Tx(services, uow, command, actor, key, prior=answer)
        try:
            if actor is None and answer is not None:
                raise _Replay(answer())  # the system's own retry: nothing to check
            result = body(tx)
            if actor is not None and not tx.authorized:
                raise AssertionError(f"command {command} ran without a permission check")  # pragma: no cover
            if key is not None:
                uow.idempotency.put(IdempotencyRow(key=key, command=str(command), fingerprint=fp,
                                                   actor_id=actor_id or SYSTEM_ACTOR, result=result,
                                                   created_at=tx.now()))
            uow.commit()
        except _Replay as replay:
            uow.rollback()
            getattr(outbox, "rolled_back", lambda: None)()
            return replay.result
        except BaseException:
            uow.rollback()
            getattr(outbox, "rolled_back", lambda: None)()
            raise
    getattr(outbox, "committed", lambda: None)()
    return result
