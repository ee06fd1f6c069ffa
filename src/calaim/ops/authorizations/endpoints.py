"""Authorizations API: request, list (with the overdue work queue), read, decide, reauthorize.

Thin: parse the request, call `AuthorizationService` (which checks the role), return a schema.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from calaim.ops.authorizations.schemas import (
    ApproveIn,
    AuthorizationCreate,
    AuthorizationOut,
    DenialReasonOut,
    DenyIn,
    ReauthorizeIn,
    WithdrawIn,
    authorization_out,
)
from calaim.ops.authorizations.search import AuthorizationFilter, search_authorizations
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.authorizations.terms import denial_reasons
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
from calaim.ops.models import Authorization
from calaim.ops.models.authorization import AuthorizationStatus

router = DomainRouter(
    prefix="/authorizations",
    tag="authorizations",
    description="The plan's authorization of ECM and Community Supports: requests with a "
    "decision clock, automatic and presumptive decisions, reviewer approval and denial, "
    "withdrawal, reauthorization and the overdue work queue.",
)


def _answer(response: Response, authorization: Authorization) -> AuthorizationOut:
    """The body of an authorization, with its version as the ETag."""
    body = authorization_out(authorization)
    set_etag(response, body.version)
    return body


@router.post("", response_model=AuthorizationOut, status_code=201)
def request_authorization(
    body: AuthorizationCreate, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> AuthorizationOut:
    """Request an authorization; it may come back approved or presumptive at once."""
    authorization = AuthorizationService(session, actor).request(
        member_id=body.member_id,
        program_id=body.program_id,
        now=now,
        urgency=body.urgency,
        referral_id=body.referral_id,
        provider_organization_id=body.provider_organization_id,
    )
    return _answer(response, authorization)


@router.get("", response_model=Page[AuthorizationOut])
def list_authorizations(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    status: AuthorizationStatus | None = None,
    program_id: Annotated[str | None, Query(max_length=60)] = None,
    member_id: uuid.UUID | None = None,
    overdue: Annotated[
        bool,
        Query(
            description="true: only the plan's work queue, undecided and past `decision_due_at` "
            "(most overdue first; needs `authorization.decide`). false: no filter."
        ),
    ] = False,
) -> Page[AuthorizationOut]:
    """Authorizations the caller may see (the plan's, or those naming the provider)."""
    filters = AuthorizationFilter(
        status=status, program_id=program_id, member_id=member_id, overdue=overdue
    )
    result = search_authorizations(session, actor, filters, page, now)
    return page_of(result, page, authorization_out)


@router.get("/denial-reasons", response_model=list[DenialReasonOut])
def list_denial_reasons() -> list[DenialReasonOut]:
    """The reason codes a denial may give (calaim's vocabulary)."""
    return [DenialReasonOut(code=code, label=label) for code, label in denial_reasons().items()]


@router.get("/{authorization_id}", response_model=AuthorizationOut)
def get_authorization(
    authorization_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> AuthorizationOut:
    """One authorization; one the caller may not see is 404, exactly like a missing one."""
    return _answer(response, AuthorizationService(session, actor).get(authorization_id))


@router.post(
    "/{authorization_id}/approve", response_model=AuthorizationOut, responses=UPDATE_ERRORS
)
def approve_authorization(
    authorization_id: uuid.UUID,
    body: ApproveIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AuthorizationOut:
    """Approve (utilization management), with optional dates and unit or dollar limits."""
    authorization = AuthorizationService(session, actor).approve(
        authorization_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        now=now,
        start_date=body.start_date,
        end_date=body.end_date,
        units_authorized=body.units_authorized,
        amount_authorized=body.amount_authorized,
    )
    return _answer(response, authorization)


@router.post("/{authorization_id}/deny", response_model=AuthorizationOut, responses=UPDATE_ERRORS)
def deny_authorization(
    authorization_id: uuid.UUID,
    body: DenyIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AuthorizationOut:
    """Deny (utilization management) with a reason code and a text; the member is told."""
    authorization = AuthorizationService(session, actor).deny(
        authorization_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        now=now,
        reason_code=body.reason_code,
        reason=body.reason,
    )
    return _answer(response, authorization)


@router.post(
    "/{authorization_id}/withdraw", response_model=AuthorizationOut, responses=UPDATE_ERRORS
)
def withdraw_authorization(
    authorization_id: uuid.UUID,
    body: WithdrawIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AuthorizationOut:
    """Withdraw an undecided request (the requester, or the plan)."""
    authorization = AuthorizationService(session, actor).withdraw(
        authorization_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        now=now,
        reason=body.reason,
    )
    return _answer(response, authorization)


@router.post("/{authorization_id}/reauthorize", response_model=AuthorizationOut, status_code=201)
def reauthorize(
    authorization_id: uuid.UUID,
    body: ReauthorizeIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> AuthorizationOut:
    """Request the next period of an approved authorization (a new authorization, 201)."""
    authorization = AuthorizationService(session, actor).reauthorize(
        authorization_id, now=now, urgency=body.urgency
    )
    return _answer(response, authorization)
