"""When an ECM care plan is due for revision: one rule for the task clock and the workspace.

A care plan is revised at least every `REVISION_EVERY` (six months, the demo plans' policy)
from its latest revision, else from its assessment; a member enrolled without a dated plan is
due on the enrolled day. Plans due within `REVISION_HORIZON` are shown as due soon.
"""

from __future__ import annotations

import datetime as dt

from calaim.ops.models import CarePlan, Enrollment

REVISION_EVERY = dt.timedelta(days=182)
REVISION_HORIZON = dt.timedelta(days=30)


def last_revised(care_plan: CarePlan | None) -> dt.date | None:
    """The plan's latest revision day, else its assessment day (None without a plan)."""
    if care_plan is None:
        return None
    return care_plan.latest_revision_on or care_plan.assessment_completed_on


def revision_due_on(enrollment: Enrollment, care_plan: CarePlan | None, today: dt.date) -> dt.date:
    """The day the enrolled member's care plan is due (written or revised)."""
    revised = last_revised(care_plan)
    if revised is not None:
        return revised + REVISION_EVERY
    return enrollment.enrolled_on or today


def revision_due_soon(due_on: dt.date, today: dt.date) -> bool:
    """Whether a plan due on `due_on` is due, or due within the horizon, on `today`."""
    return due_on <= today + REVISION_HORIZON
