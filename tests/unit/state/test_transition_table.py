"""The generic transition-table helper both machines are built on."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.transitions import TransitionNotAllowed, TransitionTable


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"
    BRICKED = "bricked"


class Push(StrEnum):
    CLOSE = "close"
    OPEN = "open"
    FLY = "fly"


def door(**extra) -> TransitionTable[Door, Push]:
    return TransitionTable(
        machine="door", label="cửa", state_type=Door, trigger_type=Push,
        moves={(Door.OPEN, Push.CLOSE): Door.SHUT, (Door.SHUT, Push.OPEN): Door.OPEN},
        state_notes={Door.BRICKED: "cửa đã xây bít"}, **extra,
    )


def test_a_listed_move_is_taken():
    assert door().next("shut", "open") is Door.OPEN


def test_a_refusal_gives_the_state_note_and_the_allowed_sources():
    with pytest.raises(TransitionNotAllowed) as caught:
        door().next(Door.BRICKED, Push.OPEN)
    assert str(caught.value) == "cửa (door): không thể 'open' từ trạng thái 'bricked': cửa đã xây bít; 'open' chỉ hợp lệ từ: shut"


def test_a_move_allowed_from_nowhere_says_so():
    with pytest.raises(TransitionNotAllowed, match="'fly' không hợp lệ ở trạng thái nào"):
        door().next(Door.OPEN, Push.FLY)


def test_a_move_note_takes_precedence_over_the_state_note():
    table = door(move_notes={(Door.BRICKED, Push.OPEN): "gọi thợ"})
    with pytest.raises(TransitionNotAllowed, match="gọi thợ; 'open'"):
        table.next(Door.BRICKED, Push.OPEN)


def test_a_note_for_an_allowed_move_is_a_mistake_in_the_table():
    with pytest.raises(ValueError, match="a refusal note for an allowed move"):
        door(move_notes={(Door.OPEN, Push.CLOSE): "?"})


def test_a_table_naming_another_machines_state_is_a_mistake():
    with pytest.raises(ValueError):
        TransitionTable(machine="door", label="cửa", state_type=Door, trigger_type=Push,
                        moves={("ajar", Push.CLOSE): Door.SHUT})


def test_the_table_cannot_be_changed_after_it_is_built():
    with pytest.raises(TypeError):
        door().moves[(Door.BRICKED, Push.OPEN)] = Door.OPEN  # type: ignore[index]


def test_the_refused_pairs_are_every_pair_not_listed():
    assert len(door().refused_pairs()) == len(Door) * len(Push) - 2


def test_targets_and_sources_read_the_table():
    table = door()
    assert table.targets(Door.OPEN) == {Push.CLOSE: Door.SHUT}
    assert table.sources(Push.OPEN) == (Door.SHUT,)


def test_another_machines_member_is_refused_even_when_its_value_matches():
    from domain.cycle import CycleState
    from domain.sheet import SheetState, SheetTrigger, next_sheet_state

    with pytest.raises(TransitionNotAllowed, match="thuộc CycleState, không phải SheetState"):
        next_sheet_state(CycleState.LOCKED, SheetTrigger.VERIFY)
    assert next_sheet_state(SheetState.LOCKED, SheetTrigger.VERIFY) is SheetState.VERIFIED
