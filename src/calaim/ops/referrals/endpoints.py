"""Referrals API: intake (201 new, 200 the open duplicate), list, read, lifecycle events.

Thin: parse the request, check the role, call `ReferralService`, return a schema. This module
is the example to copy for a new domain (see docs/api.md).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.concurrency import (
    IfMatchHeader,
    expected_version,
    integer_version,
    set_etag,
)
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.referrals.schemas import (
    IntakeOut,
    ReferralCreate,
    ReferralDetailOut,
    ReferralEventIn,
    ReferralOut,
    RouteIn,
    intake_out,
    referral_detail_out,
    referral_out,
)
from calaim.ops.referrals.search import ReferralFilter, search_referrals
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralStatus

router = DomainRouter(
    prefix="/referrals",
    tag="referrals",
    description="Closed-loop referrals to ECM and Community Supports (DHCS Closed Loop "
    "Referrals): intake with duplicate detection, then accept, decline, start, close.",
)


@router.post(
    "",
    response_model=IntakeOut,
    status_code=201,
    responses={200: {"model": IntakeOut, "description": "the open referral it duplicates"}},
)
def create_referral(
    body: ReferralCreate, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> IntakeOut:
    """Refer a member: 201 with a new referral, or 200 with the open one it duplicates."""
    require(actor, Permission.REFERRAL_CREATE)
    intake = ReferralService(session, actor).create(
        member_id=body.member_id,
        member=body.lookup(),
        form=body.intake_form(),
        program_id=body.program_id,
        source_kind=body.source_kind,
        receiving_organization_id=body.receiving_organization_id,
        reason_codes=body.reason_codes,
        now=now,
    )
    if not intake.created:
        response.status_code = 200
    created = intake_out(intake.referral, intake.joined, intake.determinations)
    set_etag(response, created.version)
    return created


@router.get("", response_model=Page[ReferralOut])
def list_referrals(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    status: ReferralStatus | None = None,
    program_id: Annotated[str | None, Query(max_length=60)] = None,
    member_id: uuid.UUID | None = None,
) -> Page[ReferralOut]:
    """Referrals the caller is party to (plans: also their members'), newest first."""
    require(actor, Permission.REFERRAL_READ)
    filters = ReferralFilter(status=status, program_id=program_id, member_id=member_id)
    return page_of(search_referrals(session, actor, filters, page), page, referral_out)


@router.get("/{referral_id}", response_model=ReferralDetailOut)
def get_referral(
    referral_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> ReferralDetailOut:
    """One referral with its parties and closed-loop history; 404 unless party to it."""
    require(actor, Permission.REFERRAL_READ)
    body = referral_detail_out(*ReferralService(session, actor).detail(referral_id))
    set_etag(response, body.version)
    return body


@router.post("/{referral_id}/events", response_model=ReferralOut, responses=UPDATE_ERRORS)
def act_on_referral(
    referral_id: uuid.UUID,
    body: ReferralEventIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> ReferralOut:
    """Move the referral along its closed loop (409 for a step not allowed from its status)."""
    require(actor, Permission.REFERRAL_ACT)
    version = integer_version(expected_version(if_match, body.version))
    referral = ReferralService(session, actor).transition(
        referral_id, body.event, expected_version=version, reason=body.reason, now=now
    )
    updated = referral_out(referral)
    set_etag(response, updated.version)
    return updated


@router.post("/{referral_id}/route", response_model=ReferralOut, responses=UPDATE_ERRORS)
def route_referral(
    referral_id: uuid.UUID,
    body: RouteIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> ReferralOut:
    """Send a received referral to a provider (or to another one)."""
    require(actor, Permission.REFERRAL_ACT)
    version = integer_version(expected_version(if_match, body.version))
    referral = ReferralService(session, actor).route(
        referral_id, body.receiving_organization_id, expected_version=version, now=now
    )
    updated = referral_out(referral)
    set_etag(response, updated.version)
    return updated
