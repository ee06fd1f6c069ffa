"""The closed-loop referral state machine, without a database."""

from __future__ import annotations

import itertools

import pytest

from calaim.ops.referrals.state import (
    TERMINAL_STATUSES,
    TRANSITIONS,
    IllegalTransition,
    ReasonRequired,
    ReferralEvent,
    ReferralStatus,
    allowed_events,
    next_status,
)

S = ReferralStatus
E = ReferralEvent

ILLEGAL = [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("current", "event"), list(TRANSITIONS))
def test_every_legal_transition_gives_its_target(current: S, event: E) -> None:
    assert next_status(current, event, "a reason") == TRANSITIONS[(current, event)]


@pytest.mark.parametrize(("current", "event"), ILLEGAL)
def test_every_illegal_transition_is_refused(current: S, event: E) -> None:
    with pytest.raises(IllegalTransition) as error:
        next_status(current, event, "a reason")
    message = str(error.value)
    assert current.value in message
    assert event.value in message
    for allowed in allowed_events(current):
        assert allowed.value in message


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATUSES))
def test_terminal_states_refuse_everything(terminal: S) -> None:
    assert allowed_events(terminal) == []
    for event in E:
        with pytest.raises(IllegalTransition, match="final"):
            next_status(terminal, event, "a reason")


@pytest.mark.parametrize(
    ("current", "event"), [(S.RECEIVED, E.DECLINE), (S.ACCEPTED, E.CLOSE), (S.IN_PROGRESS, E.CLOSE)]
)
def test_declines_and_early_closures_need_a_reason(current: S, event: E) -> None:
    for missing in (None, "", "  "):
        with pytest.raises(ReasonRequired):
            next_status(current, event, missing)


def test_a_loop_closes_after_services_without_a_reason() -> None:
    assert next_status(S.SERVICES_RECEIVED, E.CLOSE) == S.CLOSED


def test_the_table_has_exactly_the_lifecycle_steps() -> None:
    assert len(TRANSITIONS) == 7
    assert len(ILLEGAL) == len(S) * len(E) - 7
