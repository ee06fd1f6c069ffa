"""The steps of applying one RTF row: status, acuity, care-plan dates, loop closure, contacts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from calaim.exchange.filespecs.ingest_context import IngestContext, Row
from calaim.exchange.filespecs.status_batch import batchable
from calaim.ops.audit.service import record
from calaim.ops.enrollments.reasons import reason
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import EnrollmentService, check_date, covered_on
from calaim.ops.enrollments.state import EnrollmentEvent, next_status
from calaim.ops.enrollments.step_dates import StepDates, last_step_on
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import Acuity, CarePlan, ContactField, Enrollment, MemberContactChange
from calaim.ops.models import EnrollmentStatus as S
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent, ReferralStatus

CARE_PLAN_DATES = {
    "care_plan_revised": "latest_revision_on",
    "care_conference": "last_care_conference_on",
    "assessment_started": "assessment_started_on",
    "assessment_completed": "assessment_completed_on",
}
# Columns whose steps go through the ORM; a row with none of them set only moves status.
ORM_COLUMNS = (
    "acuity",
    *CARE_PLAN_DATES,
    "loop_closure_reason",
    "new_address",
    "new_phone",
)
# How the RTF's status is reached from the plan's record (anything else is refused).
EVENTS = {S.OUTREACH: EnrollmentEvent.RECORD_OUTREACH, S.ENROLLED: EnrollmentEvent.ENROLL}


def status_only(row: Row) -> bool:
    """Whether applying the row can only move the enrollment's status forward."""
    return row.get("ecm_status") != S.DISCONTINUED and not any(row.get(c) for c in ORM_COLUMNS)


def _required(row: Row, column: str, why: str) -> dt.date | str:
    value = row.get(column)
    if value is None:
        raise InvalidRequest(f"required when {why}", field=column)
    assert isinstance(value, (dt.date, str))
    return value


def forward_move(
    row: Row, current: S, target: S, enrollment: StepDates, as_of: dt.date
) -> dt.date | None:
    """Check the RTF's move from `current` to `target` by the state rules; the enrolled date.

    The one rule for both paths: ORM enrollments (apply_status) and plain column values
    (rtf_plain.py, a row that only moves the status). Raises the ops error naming the field.
    """
    if target not in EVENTS:
        raise Conflict(
            f"the plan's record is {current.value}; an RTF cannot move it back to {target}"
        )
    next_status(current, EVENTS[target])
    if target != S.ENROLLED:
        return None
    enrolled_on = _date(_required(row, "enrollment_start", "enrolled"))
    check_date(
        enrolled_on,
        field="enrollment_start",
        not_before=last_step_on(enrollment),
        today=as_of,
    )
    return enrolled_on


def apply_status(context: IngestContext, row: Row, enrollment: Enrollment) -> None:
    """Move the enrollment to the RTF's ECM status through the state machine; set acuity."""
    target, current = S(str(row["ecm_status"])), S(enrollment.status)
    source = f"rtf:{context.file_name}"
    repository = EnrollmentRepository(context.session, context.actor)
    if target == S.DISCONTINUED and current != target:
        EnrollmentService(context.session, context.actor).end(
            enrollment,
            reason_code=str(_required(row, "discontinuation_code", "discontinued")),
            discontinued_on=_date(_required(row, "discontinued_on", "discontinued")),
            today=context.as_of,
            now=context.received_at,
            reason=str(row.get("discontinuation_reason") or "") or None,
            expected_version=None,
        )
        context.count("discontinued")
    elif target != current:
        enrolled_on = forward_move(row, current, target, enrollment, context.as_of)
        if enrolled_on is not None:
            covered_on(context.session, enrollment, enrolled_on)
        batch = context.status_batch
        if batch is not None and batchable(enrollment) and status_only(row):
            batch.move(enrollment, current, target, source, enrolled_on)
        else:
            moved_at = context.received_at
            _move(repository, enrollment, current, target, source, enrolled_on, moved_at)
        context.count(f"to_{target.value}")
    _apply_acuity(context, row, enrollment, repository)
    # No flush per row: status-only moves are batched (status_batch.py), the rest flush at the end.


def _move(
    repository: EnrollmentRepository,
    enrollment: Enrollment,
    current: S,
    target: S,
    source: str,
    enrolled_on: dt.date | None,
    moved_at: dt.datetime,
) -> None:
    # Through the ORM unit of work (rows doing more than a status move).
    if enrolled_on is not None:
        enrollment.enrolled_on = enrolled_on
    enrollment.status = target.value
    enrollment.updated_at = moved_at
    repository.history(enrollment, current, target, source, at=enrollment.updated_at)
    details = {"from": current.value, "to": target.value, "source": source}
    repository.audit(f"enrollment.{target.value}", enrollment, details)


def _date(value: dt.date | str) -> dt.date:
    assert isinstance(value, dt.date)
    return value


def _apply_acuity(
    context: IngestContext, row: Row, enrollment: Enrollment, repository: EnrollmentRepository
) -> None:
    # Acuity belongs to enrolled members (ops set_acuity); on other rows it is informational.
    acuity = row.get("acuity")
    if acuity is None or enrollment.status != S.ENROLLED or acuity == enrollment.acuity:
        return
    details = {"from": enrollment.acuity, "to": str(acuity), "source": f"rtf:{context.file_name}"}
    enrollment.acuity = Acuity(str(acuity)).value
    repository.audit("enrollment.acuity", enrollment, details)
    context.count("acuity_changed")


def apply_care_plan(context: IngestContext, row: Row, enrollment: Enrollment) -> None:
    """Record the care-plan and assessment dates the provider reports (enrolled members)."""
    given: dict[str, dt.date] = {}
    for column in CARE_PLAN_DATES:
        value = row.get(column)
        if isinstance(value, dt.date):
            given[column] = value
    if not given:
        return
    if enrollment.enrolled_on is None:
        raise Conflict(
            "care plan dates need an enrolled member; the plan's record is " + enrollment.status
        )
    care_plan = context.session.scalars(
        select(CarePlan).where(CarePlan.enrollment_id == enrollment.id)
    ).first()
    if care_plan is None:
        care_plan = CarePlan(enrollment_id=enrollment.id, goals=[], interventions=[], care_team=[])
        context.session.add(care_plan)
    changed = {}
    for column, value in given.items():
        check_date(value, field=column, not_before=enrollment.enrolled_on, today=context.as_of)
        if getattr(care_plan, CARE_PLAN_DATES[column]) != value:
            setattr(care_plan, CARE_PLAN_DATES[column], value)
            changed[column] = str(value)
    if changed:
        care_plan.updated_at = context.received_at
        EnrollmentRepository(context.session, context.actor).audit(
            "care_plan.dates",
            enrollment,
            {"changed": changed, "source": f"rtf:{context.file_name}"},
        )
        context.count("care_plans_updated")


def apply_loop_closure(context: IngestContext, row: Row, enrollment: Enrollment) -> None:
    """Close the referral loop the RTF reports closed (policy-facts §5.5), via the referrals."""
    code = row.get("loop_closure_reason")
    if code is None or enrollment.referral_id is None:
        return
    service = ReferralService(context.session, context.actor)
    referral = service.get(enrollment.referral_id)
    if referral.status == ReferralStatus.CLOSED:
        return
    why = (
        "services received (confirmed in the RTF)"
        if code == ReferralStatus.SERVICES_RECEIVED
        else reason(str(code)).label
    )
    service.transition(
        referral.id,
        ReferralEvent.CLOSE,
        expected_version=referral.version,
        reason=why,
        now=context.received_at,
    )
    context.count("loops_closed")


def apply_contacts(context: IngestContext, row: Row, enrollment: Enrollment) -> None:
    """A flagged new address or phone updates the member and records the change."""
    member = enrollment.member
    changes: dict[str, str | None] = {}
    if row.get("new_address") and row.get("address_line"):
        address = (row.get("address_line"), row.get("city"), row.get("zip_code"))
        before = (member.address_line, member.city, member.zip_code)
        if address != before:
            _record(context, enrollment, ContactField.ADDRESS, _join(before), str(_join(address)))
            changes.update(
                address_line=str(address[0]), city=_text(address[1]), zip_code=_text(address[2])
            )
    if row.get("new_phone") and row.get("phone") and row["phone"] != member.phone:
        _record(context, enrollment, ContactField.PHONE, member.phone, str(row["phone"]))
        changes["phone"] = str(row["phone"])
    if changes:
        # The ops member repository keeps contact fields read-only; a provider's RTF is one of
        # the two sources allowed to change them (with rosters), recorded above and audited.
        earlier = {name: getattr(member, name) for name in changes}
        for name, value in changes.items():
            setattr(member, name, value)
        details = {"before": earlier, "after": changes, "source": f"rtf:{context.file_name}"}
        record(context.session, context.actor, "member.contact_change", member, details=details)
        context.count("contacts_changed")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _join(parts: tuple[object, ...]) -> str | None:
    text = ", ".join(str(part) for part in parts if part)
    return text or None


def _record(
    context: IngestContext, enrollment: Enrollment, field: ContactField, old: str | None, new: str
) -> None:
    assert context.period is not None
    context.session.add(
        MemberContactChange(
            member_id=enrollment.member_id,
            # The organization whose file reported the change: the provider.
            organization_id=enrollment.provider_organization_id,
            field=field.value,
            old_value=old,
            new_value=new,
            effective_on=context.period.end,
            source=f"rtf:{context.file_name}"[:200],
        )
    )
