"""Workspace actions on referrals, authorizations and assignment (plans, providers)."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.assignments.service import AssignmentService
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.models.authorization import Urgency
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent
from calaim.web.actions_common import attempt, finish, member_of, version
from calaim.web.forms import FormErrors, identifier, text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router

router = page_router()
P = Permission


@router.post("/app/referrals/{referral_id}/event")
async def referral_event(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Accept, decline, start, record services on or close a referral."""
    require(actor, P.REFERRAL_ACT)
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    chosen = text(form, "event", 30)
    if chosen not in set(ReferralEvent):
        errors.add("reason", N_("Choose what to do with the referral."))
    event = ReferralEvent(chosen) if chosen in set(ReferralEvent) else ReferralEvent.ACCEPT
    reason = text(form, "reason", 500) or None
    status = attempt(
        lambda: ReferralService(session, actor).transition(
            referral_id, event, expected_version=expected, reason=reason, now=now
        ),
        errors,
        "reason",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"referral-{referral_id}", done="referral", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/referrals/{referral_id}/route")
async def route_referral(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Send a received referral to a provider."""
    require(actor, P.REFERRAL_ACT)
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    field = "receiving_organization_id"
    provider = identifier(form, field, errors, N_("Choose a provider."))
    status = attempt(
        lambda: ReferralService(session, actor).route(
            referral_id, provider or uuid.UUID(int=0), expected_version=expected, now=now
        ),
        errors,
        field,
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"route-{referral_id}", done="referral", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/authorizations/{authorization_id}/approve")
async def approve(
    request: Request,
    authorization_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Approve a pending authorization with the plan's default terms."""
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    status = attempt(
        lambda: AuthorizationService(session, actor).approve(
            authorization_id, expected_version=expected, now=now
        ),
        errors,
        "reason_code",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"decide-{authorization_id}", done="approved", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/authorizations/{authorization_id}/deny")
async def deny(
    request: Request,
    authorization_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Deny a pending authorization with a coded reason and an explanation."""
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    code, reason = text(form, "reason_code", 60), text(form, "reason", 2000)
    errors.require("reason_code", code, N_("Choose a denial reason."))
    errors.require("reason", reason, N_("Explain the denial for the member's notice."))
    status = attempt(
        lambda: AuthorizationService(session, actor).deny(
            authorization_id, expected_version=expected, now=now, reason_code=code, reason=reason
        ),
        errors,
        "reason_code",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"decide-{authorization_id}", done="denied", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/members/{member_id}/authorizations")
async def request_authorization(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Request an authorization for the member (optionally for one of their referrals)."""
    form, errors = await request.form(), FormErrors()
    program = text(form, "program_id", 60)
    errors.require("program_id", program, N_("Choose a program."))
    referral = (
        identifier(form, "referral_id", FormErrors(), "") if text(form, "referral_id") else None
    )
    urgency = Urgency.EXPEDITED if text(form, "urgency") == "expedited" else Urgency.ROUTINE
    status = attempt(
        lambda: AuthorizationService(session, actor).request(
            member_id=member_id, program_id=program, now=now, urgency=urgency, referral_id=referral
        ),
        errors,
        "program_id",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key="request", done="requested", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/members/{member_id}/assign")
async def assign(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Assign the best-ranked ECM provider (the plan's care coordination)."""
    require(actor, P.ASSIGNMENT_MANAGE)
    form, errors = await request.form(), FormErrors()
    chosen = text(form, "authorization_id")
    authorization = (
        identifier(form, "authorization_id", errors, N_("Choose an authorization."))
        if chosen
        else None
    )
    override = text(form, "authorization_override_reason") or None
    status = attempt(
        lambda: AssignmentService(session, actor).assign(
            member_id,
            today=local_today(now),
            now=now,
            authorization_id=authorization,
            authorization_override_reason=override,
        ),
        errors,
        "authorization_id",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key="assign", done="assigned", errors=errors, form=form,
    )  # fmt: skip
