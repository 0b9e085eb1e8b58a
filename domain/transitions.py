"""The shared refusal of a state machine, and the one generic transition-table helper.

Each machine (cycle, sheet) states its moves as ONE table of data: ``(state, trigger) -> state``.
A move that is not in the table is refused with `TransitionNotAllowed`, which says which
machine, which move, from which state and why ("illegal moves raise
TransitionNotAllowed that says why"). The "why" is data too: a note per state (a terminal
state, a locked stage) and, always, the states the move *is* allowed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

from domain.errors import Conflict

S = TypeVar("S", bound=StrEnum)
T = TypeVar("T", bound=StrEnum)


class TransitionNotAllowed(Conflict):
    """An illegal move. ``str()``: ``"<machine label> (<machine>): không thể '<trigger>' từ
    trạng thái '<state>': <reason>"`` — Vietnamese prose, English ids, so a user reads it and a
    developer can grep it."""

    def __init__(self, machine: str, state: str, trigger: str, reason: str, *, label: str | None = None) -> None:
        self.machine = machine
        self.state = str(state)
        self.trigger = str(trigger)
        self.reason = reason
        self.label = label or machine
        super().__init__(str(self))

    def __str__(self) -> str:
        who = self.label if self.label == self.machine else f"{self.label} ({self.machine})"
        return f"{who}: không thể '{self.trigger}' từ trạng thái '{self.state}': {self.reason}"

    def __reduce__(self):  # keep the attributes through pickling (Prefect, multiprocessing)
        return (_rebuild, (self.machine, self.state, self.trigger, self.reason, self.label))


def _rebuild(machine: str, state: str, trigger: str, reason: str, label: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(machine, state, trigger, reason, label=label)


@dataclass(frozen=True)
class TransitionTable(Generic[S, T]):
    """A machine's moves as data, plus the words used to refuse a move.

    ``state_notes`` explains why a state refuses (most) moves, e.g. ``locked: "kỳ đánh giá đã
    khóa"``; ``move_notes`` explains one specific refused pair when the general rule would mislead
    (e.g. locking a sheet that was never submitted: mark it not evaluated instead).
    """

    machine: str
    label: str
    state_type: type[S]
    trigger_type: type[T]
    moves: Mapping[tuple[S, T], S]
    state_notes: Mapping[S, str] = field(default_factory=dict)
    move_notes: Mapping[tuple[S, T], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "moves", MappingProxyType(dict(self.moves)))
        object.__setattr__(self, "state_notes", MappingProxyType(dict(self.state_notes)))
        object.__setattr__(self, "move_notes", MappingProxyType(dict(self.move_notes)))
        for (state, trigger), target in self.moves.items():
            # A table that names a state or trigger of another machine is a programming error.
            self.state_type(state), self.trigger_type(trigger), self.state_type(target)
        for pair in self.move_notes:
            if pair in self.moves:
                raise ValueError(f"{self.machine}: a refusal note for an allowed move {pair}")

    def refuse(self, state: object, trigger: object, reason: str) -> TransitionNotAllowed:
        return TransitionNotAllowed(self.machine, str(state), str(trigger), reason, label=self.label)

    def coerce(self, state: object, trigger: object) -> tuple[S, T]:
        """Accept the enum or its string value (a stored row); anything else is refused by name.
        Another machine's member is refused even when its value matches (sheet 'locked' is not
        cycle 'locked')."""
        for value, own, what in ((state, self.state_type, "trạng thái"), (trigger, self.trigger_type, "thao tác")):
            if isinstance(value, Enum) and not isinstance(value, own):
                raise self.refuse(state, trigger, f"{what} '{value}' thuộc {type(value).__name__}, không phải {own.__name__}")
        try:
            s = self.state_type(state)
        except ValueError:
            raise self.refuse(state, trigger, f"trạng thái không xác định; trạng thái hợp lệ: {_names(self.state_type)}") from None
        try:
            t = self.trigger_type(trigger)
        except ValueError:
            raise self.refuse(state, trigger, f"thao tác không xác định; thao tác hợp lệ: {_names(self.trigger_type)}") from None
        return s, t

    def sources(self, trigger: T) -> tuple[S, ...]:
        """The states `trigger` is allowed from, in the enum's order."""
        return tuple(s for s in self.state_type if (s, trigger) in self.moves)

    def targets(self, state: S) -> dict[T, S]:
        return {t: self.moves[(state, t)] for t in self.trigger_type if (state, t) in self.moves}

    def why_not(self, state: S, trigger: T) -> str:
        """The reason a refused pair is refused, from the notes and the table itself."""
        parts: list[str] = []
        if (state, trigger) in self.move_notes:
            parts.append(self.move_notes[(state, trigger)])
        elif state in self.state_notes:
            parts.append(self.state_notes[state])
        allowed = self.sources(trigger)
        if allowed:
            parts.append(f"'{trigger}' chỉ hợp lệ từ: {', '.join(allowed)}")
        else:
            parts.append(f"'{trigger}' không hợp lệ ở trạng thái nào")
        return "; ".join(parts)

    def next(self, state: object, trigger: object) -> S:
        s, t = self.coerce(state, trigger)
        try:
            return self.moves[(s, t)]
        except KeyError:
            raise self.refuse(s, t, self.why_not(s, t)) from None

    def refused_pairs(self) -> list[tuple[S, T]]:
        """Every (state, trigger) pair not in the table: what the tests generate from."""
        return [(s, t) for s in self.state_type for t in self.trigger_type if (s, t) not in self.moves]


def _names(enum_type: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum_type)
