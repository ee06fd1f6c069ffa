"""A referral's closed-loop steps in the order they happened, even when they share a time.

Under a fixed clock (tests, the demo) or a fast user, several steps get the same timestamp,
and the repository's tie-breaker (the random row id) would shuffle them. Steps at the same
instant are put in the order the closed loop allows them to happen: the referral is created,
then routed (received -> received), then accepted or declined, started, services received,
closed. Only identical steps at one instant are left to the row id (a stable, if arbitrary,
order).
"""

from __future__ import annotations

from collections.abc import Iterable

from calaim.ops.models import ReferralTransition
from calaim.ops.referrals.state import ReferralStatus as S

STEP = {
    S.RECEIVED: 0,
    S.ACCEPTED: 1,
    S.DECLINED: 1,
    S.IN_PROGRESS: 2,
    S.SERVICES_RECEIVED: 3,
    S.CLOSED: 4,
}


def in_step_order(history: Iterable[ReferralTransition]) -> list[ReferralTransition]:
    """`history` by time, then by the step's place in the closed loop."""
    return sorted(
        history,
        key=lambda t: (
            t.at,
            STEP.get(S(t.to_status), len(STEP)),
            t.from_status is not None,  # the creation row (no prior status) comes first
            str(t.id),
        ),
    )
