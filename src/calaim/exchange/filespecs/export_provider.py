"""Files an ECM provider sends a plan: the RTF (status of each member) and the OTF (outreach).

Rows come from the provider's own enrollments with that plan (ops/access/scopes.py). The RTF's
New Address / New Phone Number indicators are set from contact changes effective in the period.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.lookups import (
    HOMELESS_PROGRAMS,
    PERSON_KEY,
    eligible_programs,
    first_pof,
)
from calaim.exchange.filespecs.lookups import profiles as load_profiles
from calaim.exchange.filespecs.period import Period
from calaim.exchange.filespecs.values import Value
from calaim.ops.access.scopes import enrollment_visible, member_id_visible
from calaim.ops.models import (
    CarePlan,
    Enrollment,
    EnrollmentStatus,
    Member,
    MemberContactChange,
    Organization,
    OutreachAttempt,
    User,
)
from calaim.ops.referrals.state import ReferralStatus

Row = dict[str, Value]


def _enrollments(
    session: Session, actor: User, plan: Organization, period: Period
) -> list[tuple[Enrollment, Member, CarePlan | None, User | None]]:
    query = (
        select(Enrollment, Member, CarePlan, User)
        .join(Member, Member.id == Enrollment.member_id)
        .outerjoin(CarePlan, CarePlan.enrollment_id == Enrollment.id)
        .outerjoin(User, User.id == Enrollment.lead_care_manager_user_id)
        .where(
            enrollment_visible(actor),
            Enrollment.provider_organization_id == actor.organization_id,
            Enrollment.plan_organization_id == plan.id,
            Enrollment.assigned_on <= period.end,
            or_(Enrollment.discontinued_on.is_(None), Enrollment.discontinued_on >= period.start),
        )
        .order_by(Member.last_name, Member.first_name, Member.id)
    )
    return [tuple(row) for row in session.execute(query).all()]  # type: ignore[misc]


def _changed_contacts(
    session: Session, actor: User, member_ids: list[uuid.UUID], period: Period
) -> dict[uuid.UUID, set[str]]:
    changed: dict[uuid.UUID, set[str]] = defaultdict(set)
    for start in range(0, len(member_ids), 5000):
        rows = session.execute(
            select(MemberContactChange.member_id, MemberContactChange.field).where(
                member_id_visible(actor, MemberContactChange.member_id),
                MemberContactChange.member_id.in_(member_ids[start : start + 5000]),
                MemberContactChange.effective_on.between(period.start, period.end),
            )
        )
        for member_id, field in rows:
            changed[member_id].add(field)
    return changed


def loop_closure_reason(enrollment: Enrollment) -> str | None:
    """What the provider reports for the referral loop: services received, or why it ended."""
    if enrollment.status == EnrollmentStatus.DISCONTINUED:
        return enrollment.discontinuation_reason_code
    if enrollment.status == EnrollmentStatus.ENROLLED:
        return ReferralStatus.SERVICES_RECEIVED.value
    return None


def rtf_rows(session: Session, actor: User, period: Period, plan: Organization) -> Iterator[Row]:
    """The provider's RTF rows for one plan: every member assigned to it in the period."""
    records = _enrollments(session, actor, plan, period)
    member_ids = [member.id for _, member, _, _ in records]
    programs = eligible_programs(session, member_ids, period.end)
    changed = _changed_contacts(session, actor, member_ids, period)
    provider = actor.organization
    profile = load_profiles(session, [provider.id]).get(provider.id)
    for enrollment, member, care_plan, manager in records:
        eligible = programs.get(member.id, set())
        pof = first_pof(eligible)
        yield {
            "mcp_id": plan.plan_code,
            "mcp_name": plan.name,
            "member_cin": member.cin or member.person_id,
            PERSON_KEY: member.person_id,
            "member_last_name": member.last_name,
            "member_first_name": member.first_name,
            "new_address": "address" in changed.get(member.id, ()),
            "homeless": bool(eligible & HOMELESS_PROGRAMS),
            "address_line": member.address_line,
            "city": member.city,
            "state": "CA" if member.address_line else None,
            "zip_code": member.zip_code,
            "new_phone": "phone" in changed.get(member.id, ()),
            "phone": member.phone,
            "pof_indicator": pof is not None,
            "pof": pof,
            "ecm_status": enrollment.status,
            "acuity": enrollment.acuity,
            "enrollment_start": enrollment.enrolled_on,
            "enrollment_end": enrollment.discontinued_on,
            "care_plan_revised": care_plan.latest_revision_on if care_plan else None,
            "care_conference": care_plan.last_care_conference_on if care_plan else None,
            "assessment_started": care_plan.assessment_started_on if care_plan else None,
            "assessment_completed": care_plan.assessment_completed_on if care_plan else None,
            "lcm_name": manager.name if manager else None,
            "lcm_email": manager.email if manager else None,
            "discontinued_on": enrollment.discontinued_on,
            "discontinuation_code": enrollment.discontinuation_reason_code,
            "discontinuation_reason": enrollment.discontinuation_reason,
            "reporting_period": period.text,
            "provider_name": provider.name,
            "provider_npi": profile.npi if profile else None,
            "provider_tin": profile.tin if profile else None,
            "provider_phone": profile.phone if profile else None,
            "loop_closure_reason": loop_closure_reason(enrollment),
        }


def otf_rows(session: Session, actor: User, period: Period, plan: Organization) -> Iterator[Row]:
    """The provider's OTF rows for one plan: every outreach attempt made in the period."""
    provider = actor.organization
    profile = load_profiles(session, [provider.id]).get(provider.id)
    query = (
        select(OutreachAttempt, Member)
        .join(Enrollment, Enrollment.id == OutreachAttempt.enrollment_id)
        .join(Member, Member.id == Enrollment.member_id)
        .where(
            enrollment_visible(actor),
            Enrollment.provider_organization_id == provider.id,
            Enrollment.plan_organization_id == plan.id,
            OutreachAttempt.attempted_on.between(period.start, period.end),
        )
        .order_by(OutreachAttempt.attempted_on, Member.last_name, OutreachAttempt.id)
    )
    for attempt, member in session.execute(query):
        yield {
            "mcp_id": plan.plan_code,
            "mcp_name": plan.name,
            "provider_name": provider.name,
            "provider_npi": profile.npi if profile else None,
            "provider_tin": profile.tin if profile else None,
            "client_name": f"{member.first_name} {member.last_name}",
            "member_cin": member.cin or member.person_id,
            PERSON_KEY: member.person_id,
            "provider_type": provider.kind,
            "attempted_on": attempt.attempted_on,
            "method": attempt.method,
            "successful": attempt.successful,
            "minutes": attempt.minutes,
        }
