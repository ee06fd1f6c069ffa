"""Reentry API: a facility's cases from the 90-day window to release, the in-reach care
manager's assessment and care plan, the warm handoff, the release supply, date changes.

Thin: parse the request, call the service, return a schema (docs/reentry.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.concurrency import IfMatchHeader, expected_version, integer_version, set_etag
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import ReentryCase, ReentryStatus
from calaim.ops.reentry.repository import CaseFilter
from calaim.ops.reentry.schemas import (
    AssessmentIn,
    CarePlanIn,
    CaseIn,
    CaseOut,
    HandoffIn,
    MediCalIn,
    ProvidersIn,
    ReleaseDateIn,
    ReleaseIn,
    SupplyIn,
    case_out,
)
from calaim.ops.reentry.service import ReentryService
from calaim.ops.reentry.steps import local_day

router = DomainRouter(
    prefix="/reentry",
    tag="reentry",
    description="Justice-involved reentry: a correctional facility's cases in the 90-day "
    "pre-release window, Medi-Cal, the in-reach care manager's needs assessment and reentry "
    "care plan, the warm handoff to the post-release ECM provider, the medications and "
    "equipment given at release, and release date changes (deadlines move with them).",
)
CASE = "/cases/{case_id}"


def _answer(response: Response, service: ReentryService, case: ReentryCase) -> CaseOut:
    body = case_out(case, service.history(case))
    set_etag(response, body.version)
    return body


@dataclass(frozen=True)
class CaseStep:
    """One step on a case: the service acting for the caller, and the version it is based on."""

    service: ReentryService
    response: Response
    if_match: str | None

    def run(self, body_version: int | None, act: Callable[[int], ReentryCase]) -> CaseOut:
        """Apply `act` (given the expected version: If-Match or the body's) and answer the case."""
        version = integer_version(expected_version(self.if_match, body_version))
        return _answer(self.response, self.service, act(version))


def case_step(
    actor: ActorDep, session: SessionDep, response: Response, if_match: IfMatchHeader = None
) -> CaseStep:
    """The request's `CaseStep` (every update below takes one)."""
    return CaseStep(ReentryService(session, actor), response, if_match)


StepDep = Annotated[CaseStep, Depends(case_step)]


@router.get("/cases", response_model=Page[CaseOut])
def list_cases(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    member_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[ReentryStatus | None, Query()] = None,
    within_days: Annotated[
        int | None, Query(ge=0, le=3650, description="Expected release within this many days")
    ] = None,
) -> Page[CaseOut]:
    """Cases the caller may see, soonest release first (the worklists)."""
    require(actor, Permission.REENTRY_READ)
    by = None
    if within_days is not None:
        by = local_day(now) + dt.timedelta(days=within_days)
    service = ReentryService(session, actor)
    filters = CaseFilter(status=status, member_id=member_id, releasing_by=by)
    return page_of(service.repository.search(filters, page), page, case_out)


@router.post("/cases", response_model=CaseOut, status_code=201)
def open_case(
    body: CaseIn, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> CaseOut:
    """A facility opens a case for a resident it expects to release."""
    service = ReentryService(session, actor)
    lookup = body.member.lookup() if body.member else None
    case = service.open(lookup, body.expected_release_on, now, member_id=body.member_id)
    return _answer(response, service, case)


@router.get(CASE, response_model=CaseOut)
def get_case(
    case_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> CaseOut:
    """One case with its history; one the caller may not see is 404, like a missing one."""
    service = ReentryService(session, actor)
    return _answer(response, service, service.get(case_id))


@router.post(f"{CASE}/medi-cal", response_model=CaseOut, responses=UPDATE_ERRORS)
def medi_cal(case_id: uuid.UUID, body: MediCalIn, step: StepDep, now: NowDep) -> CaseOut:
    """Record the pre-release Medi-Cal application or status."""
    return step.run(
        body.version,
        lambda version: step.service.medi_cal(case_id, version, body.status, body.applied_on, now),
    )


@router.post(f"{CASE}/providers", response_model=CaseOut, responses=UPDATE_ERRORS)
def providers(case_id: uuid.UUID, body: ProvidersIn, step: StepDep, now: NowDep) -> CaseOut:
    """Name the in-reach provider and care manager, and the post-release ECM provider."""
    return step.run(
        body.version,
        lambda version: step.service.providers(
            case_id,
            version,
            now,
            pre_release_provider_id=body.pre_release_provider_id,
            care_manager_user_id=body.care_manager_user_id,
            post_release_provider_id=body.post_release_provider_id,
        ),
    )


@router.post(f"{CASE}/assessment", response_model=CaseOut, responses=UPDATE_ERRORS)
def assessment(case_id: uuid.UUID, body: AssessmentIn, step: StepDep, now: NowDep) -> CaseOut:
    """The needs assessment, inside the pre-release window."""
    return step.run(
        body.version,
        lambda version: step.service.assess(
            case_id, version, body.assessed_on, list(body.needs), now
        ),
    )


@router.post(f"{CASE}/care-plan", response_model=CaseOut, responses=UPDATE_ERRORS)
def care_plan(case_id: uuid.UUID, body: CarePlanIn, step: StepDep, now: NowDep) -> CaseOut:
    """The reentry care plan's goals."""
    goals = [goal.model_dump() for goal in body.goals]
    return step.run(
        body.version,
        lambda version: step.service.plan(case_id, version, body.written_on, goals, now),
    )


@router.post(f"{CASE}/handoff", response_model=CaseOut, responses=UPDATE_ERRORS)
def handoff(case_id: uuid.UUID, body: HandoffIn, step: StepDep, now: NowDep) -> CaseOut:
    """Schedule the warm handoff meeting, or record it held."""
    return step.run(
        body.version,
        lambda version: step.service.handoff(
            case_id, version, now, meeting_at=body.meeting_at, held_on=body.held_on
        ),
    )


@router.post(f"{CASE}/release-supply", response_model=CaseOut, responses=UPDATE_ERRORS)
def release_supply(case_id: uuid.UUID, body: SupplyIn, step: StepDep, now: NowDep) -> CaseOut:
    """The days of medication and the equipment given at release."""
    return step.run(
        body.version,
        lambda version: step.service.release_supply(
            case_id, version, body.medication_days, list(body.equipment), body.note, now
        ),
    )


@router.post(f"{CASE}/release-date", response_model=CaseOut, responses=UPDATE_ERRORS)
def release_date(case_id: uuid.UUID, body: ReleaseDateIn, step: StepDep, now: NowDep) -> CaseOut:
    """A release moved earlier or later, or cancelled; the deadlines move with it."""
    return step.run(
        body.version,
        lambda version: step.service.change_release(
            case_id,
            version,
            body.reason,
            now,
            new_date=body.expected_release_on,
            cancel=body.cancel,
        ),
    )


@router.post(f"{CASE}/release", response_model=CaseOut, responses=UPDATE_ERRORS)
def release(case_id: uuid.UUID, body: ReleaseIn, step: StepDep, now: NowDep) -> CaseOut:
    """The member was released; the post-release provider and the plan are told."""
    return step.run(
        body.version,
        lambda version: step.service.release(case_id, version, body.released_on, now),
    )
