"""Export one closed-loop referral as a Bundle, scoped to the caller, audited, Part 2 respected.

What goes in depends on who asks: the member's plan and connected providers get the Patient's
details, Coverage, CarePlan and Goals; referrers (who see no member rows) get the referral's
status only, with an opaque Patient. Part 2 consents (whose mere existence reveals substance-use
treatment) go only to those who may see the member's Part 2 information.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.fhir import codes as c
from calaim.exchange.fhir import resources as r
from calaim.exchange.fhir.referral import service_request, task
from calaim.ops.access.part2 import may_see_part2
from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import enrollment_visible, fhir_link_visible, visible_members
from calaim.ops.models import (
    CarePlan,
    Enrollment,
    FhirReferralLink,
    Member,
    Organization,
    Part2Consent,
    Referral,
    ReferralForm,
    ReferralTransition,
    User,
)
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralStatus


def export_referral(
    session: Session, actor: User, referral_id: uuid.UUID, now: dt.datetime
) -> dict[str, Any]:
    """The referral's Bundle as JSON, validated with the R4B models."""
    require(actor, Permission.FHIR_EXCHANGE)
    require(actor, Permission.REFERRAL_READ)
    service = ReferralService(session, actor)
    referral = service.get(referral_id)
    member = _visible_member(session, actor, referral.member_id)
    resources = _referral_resources(session, actor, service, referral, member, now)
    if member is not None:
        resources += _member_resources(session, actor, member, now)
    kinds = sorted({res["resourceType"] for res in resources})
    ReferralRepository(session, actor).audit("fhir.export", referral, {"resources": kinds})
    session.flush()
    return bundle_of(resources, referral.id, now)


def bundle_of(resources: list[dict[str, Any]], key: uuid.UUID, now: dt.datetime) -> dict[str, Any]:
    """A collection Bundle of `resources` (fullUrl urn:uuid:<id>), validated and dumped."""
    data = {
        "resourceType": "Bundle",
        "id": r.derived_id(key, f"bundle:{r.instant(now)}"),
        "type": "collection",
        "timestamp": r.instant(now),
        "entry": [{"fullUrl": f"urn:uuid:{res['id']}", "resource": res} for res in resources],
    }
    dumped: dict[str, Any] = json.loads(Bundle.model_validate(data).model_dump_json())
    return dumped


def _visible_member(session: Session, actor: User, member_id: uuid.UUID) -> Member | None:
    statement = visible_members(actor).where(Member.id == member_id)
    return session.scalars(statement).first()


def _referral_resources(
    session: Session,
    actor: User,
    service: ReferralService,
    referral: Referral,
    member: Member | None,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    early, last_step = _closing(session, referral)
    links = session.scalars(
        select(FhirReferralLink).where(
            FhirReferralLink.referral_id == referral.id, fhir_link_visible(actor)
        )
    )
    determinations = service.determinations_for(referral, today=now.date())
    out = [
        service_request(
            referral,
            early=early,
            external=[(link.system, link.value) for link in links],
            determinations=determinations,
            priority=_priority(session, referral),
        ),
        task(referral, early=early, last_step=last_step),
        r.patient(referral.member, details=member is not None),
    ]
    org_ids = [referral.referring_organization_id, referral.receiving_organization_id]
    if member is not None:
        org_ids.append(member.plan_organization_id)
    for org in _organizations(session, org_ids):
        made = r.organization(org)
        if org.id == referral.referring_organization_id:
            # Who referred (hospital, jail, member...), so an importer keeps the source kind.
            made["type"].append(c.concept(c.SOURCE_SYSTEM, referral.source_kind))
        out.append(made)
    return out


def _member_resources(
    session: Session, actor: User, member: Member, now: dt.datetime
) -> list[dict[str, Any]]:
    out = [r.coverage(member)]
    if may_see_part2(session, actor, member, now.date()):
        consents = session.scalars(
            select(Part2Consent)
            .where(Part2Consent.member_id == member.id)
            .order_by(Part2Consent.granted_on, Part2Consent.id)
        )
        out += [r.part2_consent(consent) for consent in consents]
    plans = session.scalars(
        select(CarePlan)
        .join(Enrollment, Enrollment.id == CarePlan.enrollment_id)
        .where(Enrollment.member_id == member.id, enrollment_visible(actor))
        .order_by(CarePlan.id)
    )
    for plan in plans:
        out += r.care_plan(plan, member.id)
    return out


def _closing(session: Session, referral: Referral) -> tuple[bool, dt.datetime]:
    """Whether the loop closed early (from accepted or in progress), and its last step's time."""
    steps = list(
        session.scalars(
            select(ReferralTransition)
            .where(ReferralTransition.referral_id == referral.id)
            .order_by(ReferralTransition.at, ReferralTransition.id)
        )
    )
    last = steps[-1] if steps else None
    early = (
        referral.status == ReferralStatus.CLOSED
        and last is not None
        and last.from_status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
    )
    return early, (last.at if last else referral.updated_at)


def _priority(session: Session, referral: Referral) -> str | None:
    form = session.scalars(
        select(ReferralForm)
        .where(ReferralForm.referral_id == referral.id)
        .order_by(ReferralForm.submitted_at, ReferralForm.id)
    ).first()
    return form.urgency if form else None


def _organizations(session: Session, ids: list[uuid.UUID | None]) -> list[Organization]:
    wanted = list(dict.fromkeys(i for i in ids if i is not None))
    found = {
        o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(wanted)))
    }
    return [found[i] for i in wanted if i in found]
