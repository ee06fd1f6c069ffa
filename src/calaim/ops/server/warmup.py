"""Load every once-per-process table before the first request, not during it.

Without this, the first requests after start-up each pay for loading the policy, and under
concurrent load several threads load it at once (the caches do not lock), so early requests
wait seconds instead of milliseconds.
"""

from __future__ import annotations

from calaim.ops.authorizations.terms import denial_reasons
from calaim.ops.calendar.holidays import california_holidays
from calaim.ops.enrollments.reasons import discontinuation_reasons
from calaim.ops.policy import shipped_policy
from calaim.ops.referrals.attached import ecm_programs
from calaim.ops.referrals.programs import referable_programs
from calaim.ops.services.caps_data import cap_table


def warm_caches() -> None:
    """Load the policy and the reference tables the workflows read."""
    shipped_policy()
    referable_programs()
    ecm_programs()
    denial_reasons()
    discontinuation_reasons()
    cap_table()
    california_holidays()
