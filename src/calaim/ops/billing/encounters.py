"""ECM encounters: services to an enrolled member (date, mode, staff type, minutes), recorded
by the member's ECM provider so ECM can be billed (policy-facts §4.1)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import ecm_encounter_visible
from calaim.ops.audit.service import record
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import NotTheProvider, check_date
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import Enrollment, User
from calaim.ops.models.billing import EcmEncounter, EncounterMode, StaffKind


class NotEnrolled(Conflict):
    """ECM services are recorded only while the member is enrolled."""


@dataclass(frozen=True)
class Encounter:
    """What the provider reports about one ECM service."""

    service_date: dt.date
    mode: EncounterMode
    staff_kind: StaffKind
    minutes: int
    note: str | None = None


def _check(enrollment: Enrollment, encounter: Encounter, today: dt.date) -> None:
    """Only while enrolled (enrollment to discontinuation), never in the future, some minutes."""
    if enrollment.enrolled_on is None:
        raise NotEnrolled(
            "the member is not enrolled in ECM yet; record outreach attempts until they enroll"
        )
    if encounter.minutes <= 0:
        raise InvalidRequest("minutes must be more than 0", field="minutes")
    check_date(
        encounter.service_date,
        field="service_date",
        not_before=enrollment.enrolled_on,
        today=today,
    )
    ended = enrollment.discontinued_on
    if ended is not None and encounter.service_date > ended:
        raise NotEnrolled(
            f"ECM ended on {ended.isoformat()}; an encounter after it cannot be recorded"
        )


class EncounterService:
    """Recording and listing ECM encounters on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def record(
        self, enrollment_id: uuid.UUID, encounter: Encounter, *, today: dt.date, now: dt.datetime
    ) -> EcmEncounter:
        """Record one ECM service by the enrolled member's provider (recorded at `now`)."""
        require(self.actor, Permission.OUTREACH_RECORD)
        enrollment = EnrollmentRepository(self.session, self.actor).get(enrollment_id)
        if self.actor.organization_id != enrollment.provider_organization_id:
            raise NotTheProvider("only staff of the member's ECM provider may record encounters")
        _check(enrollment, encounter, today)
        row = EcmEncounter(
            enrollment_id=enrollment.id,
            member_id=enrollment.member_id,
            provider_organization_id=enrollment.provider_organization_id,
            service_date=encounter.service_date,
            mode=EncounterMode(encounter.mode).value,
            staff_kind=StaffKind(encounter.staff_kind).value,
            minutes=encounter.minutes,
            note=encounter.note,
            recorded_by_user_id=self.actor.id,
            recorded_at=now,
        )
        self.session.add(row)
        self.session.flush()
        record(
            self.session,
            self.actor,
            "ecm_encounter.create",
            enrollment.member,
            details={"encounter_id": str(row.id), "service_date": row.service_date.isoformat()},
        )
        return row

    def list(self, enrollment_id: uuid.UUID) -> list[EcmEncounter]:
        """An enrollment's encounters the actor may see, by date (a read of member data)."""
        require(self.actor, Permission.ENROLLMENT_READ)
        enrollment = EnrollmentRepository(self.session, self.actor).get(enrollment_id)
        rows = self.session.scalars(
            select(EcmEncounter)
            .where(EcmEncounter.enrollment_id == enrollment.id, ecm_encounter_visible(self.actor))
            .order_by(EcmEncounter.service_date, EcmEncounter.recorded_at)
        ).all()
        record(
            self.session,
            self.actor,
            "ecm_encounter.list",
            enrollment.member,
            details={"enrollment_id": str(enrollment.id), "count": len(rows)},
        )
        return list(rows)
