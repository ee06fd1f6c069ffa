"""Care plan reads: the plan of an enrollment the caller has already read through its scope.

A care plan belongs to one enrollment; the enrollment is read (scoped and audited) through
`EnrollmentRepository` first, so the plan needs no scope of its own.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import CarePlan


def care_plan_of(session: Session, enrollment_id: uuid.UUID) -> CarePlan | None:
    """The care plan of a visible enrollment, if one was written."""
    statement = select(CarePlan).where(CarePlan.enrollment_id == enrollment_id)
    return session.scalars(statement).first()
