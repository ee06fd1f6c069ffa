"""The enrollment state machine: every allowed step, every other step refused."""

from __future__ import annotations

import itertools

import pytest

from calaim.ops.enrollments.reasons import (
    PROVIDER_CHANGE,
    UNABLE_TO_REACH,
    UnknownReasonCode,
    discontinuation_reasons,
    reason,
)
from calaim.ops.enrollments.state import (
    TRANSITIONS,
    EnrollmentEvent,
    IllegalEnrollmentTransition,
    allowed_events,
    next_status,
)
from calaim.ops.models import EnrollmentStatus

S = EnrollmentStatus
E = EnrollmentEvent
ILLEGAL = [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("current", "event"), list(TRANSITIONS))
def test_allowed_steps(current: EnrollmentStatus, event: EnrollmentEvent) -> None:
    assert next_status(current, event) == TRANSITIONS[(current, event)]


@pytest.mark.parametrize(("current", "event"), ILLEGAL)
def test_every_other_step_is_refused(current: EnrollmentStatus, event: EnrollmentEvent) -> None:
    with pytest.raises(IllegalEnrollmentTransition) as caught:
        next_status(current, event)
    assert current.value in str(caught.value)


def test_the_lifecycle_and_its_refusals() -> None:
    assert next_status(S.ASSIGNED, E.RECORD_OUTREACH) == S.OUTREACH
    assert next_status(S.OUTREACH, E.ENROLL) == S.ENROLLED
    assert allowed_events(S.DISCONTINUED) == []
    assert {s for s in S if (s, E.DISCONTINUE) in TRANSITIONS} == {
        S.ASSIGNED,
        S.OUTREACH,
        S.ENROLLED,
    }
    with pytest.raises(IllegalEnrollmentTransition, match="record an outreach attempt first"):
        next_status(S.ASSIGNED, E.ENROLL)
    with pytest.raises(IllegalEnrollmentTransition, match="it is final"):
        next_status(S.DISCONTINUED, E.RECORD_OUTREACH)


def test_reason_codes_are_data_with_recalled_flags() -> None:
    reasons = discontinuation_reasons()
    assert set(reasons) == {
        "goals_met",
        "lower_level_of_care",
        "declined",
        "unable_to_reach",
        "lost_eligibility",
        "excluded_program",
        "moved_out_of_area",
        "died",
        "provider_change",
    }
    assert reason(UNABLE_TO_REACH).recalled
    assert not reason(PROVIDER_CHANGE).recalled  # members may change provider: verified
    assert reason(PROVIDER_CHANGE).initiated_by_member
    # The RTF column holds at most 20 characters.
    assert all(len(code) <= 20 for code in reasons)
    with pytest.raises(UnknownReasonCode) as caught:
        reason("bored")
    assert caught.value.field == "reason_code"
