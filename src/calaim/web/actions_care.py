"""Workspace actions of care: outreach, enrollment, care plans, Community Supports episodes."""

from __future__ import annotations

import uuid
from decimal import Decimal

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from calaim.ops.access.permissions import Permission, require
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models.enrollment import Acuity
from calaim.ops.models.outreach import OutreachMethod, OutreachOutcome
from calaim.ops.services.caps import CapExceeded
from calaim.ops.services.service import EpisodeService
from calaim.web.actions_common import attempt, finish, member_of, version
from calaim.web.caps import CapRefused, cap_refusal
from calaim.web.care_plan_form import form_field, read_care_plan
from calaim.web.forms import FormErrors, day, number, text
from calaim.web.i18n import N_, gettext_for
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router

router = page_router()
P = Permission


@router.post("/app/enrollments/{enrollment_id}/outreach")
async def outreach(
    request: Request, enrollment_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Record one outreach attempt with its outcome; a member who agreed can be enrolled too."""
    form, errors = await request.form(), FormErrors()
    member_id = member_of(form)
    on = day(form, "attempted_on", errors)
    method = text(form, "method", 20)
    if method not in set(OutreachMethod):
        errors.add("method", N_("Choose how you tried to reach the member."))
    outcome = _outcome(form, errors)
    minutes = number(form, "minutes", errors)
    if minutes is not None and minutes != int(minutes):
        errors.add("minutes", N_("Enter whole minutes."))
    acuity = text(form, "enroll_acuity", 10)
    if acuity and (acuity not in set(Acuity) or outcome != OutreachOutcome.REACHED_AGREED):
        errors.add("enroll_acuity", N_("Enroll only a member who agreed; leave this empty."))
    today = local_today(now)

    def record() -> None:
        OutreachService(session, actor).record(
            enrollment_id,
            Attempt(
                attempted_on=on or today,
                method=OutreachMethod(method),
                successful=outcome.reached if outcome else False,
                minutes=int(minutes or 0),
                note=text(form, "note", 2000) or None,
                outcome=outcome,
            ),
            today=today,
            now=now,
        )
        if acuity:
            service = EnrollmentService(session, actor)
            current = EnrollmentRepository(session, actor).get(enrollment_id).version
            service.enroll(
                enrollment_id,
                expected_version=current,
                lead_care_manager_user_id=actor.id,
                acuity=Acuity(acuity),
                enrolled_on=on or today,
                today=today,
                now=now,
            )

    status = attempt(record, errors, "attempted_on")
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"outreach-{enrollment_id}", done="outreach_enrolled" if acuity else "outreach",
        errors=errors, form=form,
    )  # fmt: skip


def _outcome(form: FormData, errors: FormErrors) -> OutreachOutcome | None:
    """The attempt's outcome (older forms sent only "did you reach the member": yes/no)."""
    chosen = text(form, "outcome", 20)
    if chosen in set(OutreachOutcome):
        return OutreachOutcome(chosen)
    errors.add("outcome", N_("Say what came of the attempt."))
    return None


@router.post("/app/enrollments/{enrollment_id}/enroll")
async def enroll(
    request: Request, enrollment_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Enroll the member with the signed-in lead care manager and an acuity level."""
    require(actor, P.ENROLLMENT_ACT)
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    on = day(form, "enrolled_on", errors)
    acuity = text(form, "acuity", 10)
    if acuity not in set(Acuity):
        errors.add("acuity", N_("Choose the member's acuity."))
    status = attempt(
        lambda: EnrollmentService(session, actor).enroll(
            enrollment_id,
            expected_version=expected,
            lead_care_manager_user_id=actor.id,
            acuity=Acuity(acuity),
            enrolled_on=on or local_today(now),
            today=local_today(now),
            now=now,
        ),
        errors,
        "enrolled_on",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"enroll-{enrollment_id}", done="enrolled", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/enrollments/{enrollment_id}/care-plan")
async def care_plan(
    request: Request, enrollment_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Write or revise the care plan: the assessment by domain, goals, steps and care team."""
    form, errors = await request.form(), FormErrors()
    member_id = member_of(form)
    expected = version(form, errors) if text(form, "version") else None
    content = read_care_plan(form, errors)
    status = attempt(
        lambda: CarePlanService(session, actor).save(
            enrollment_id, content, expected_version=expected, today=local_today(now), now=now
        ),
        errors,
        "goal-0-description",
        field_of=form_field,
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"care-plan-{enrollment_id}", done="care_plan", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/authorizations/{authorization_id}/episode")
async def start_episode(
    request: Request,
    authorization_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Start a Community Supports episode under an approved authorization."""
    form, errors = await request.form(), FormErrors()
    member_id = member_of(form)
    on = day(form, "started_on", errors)
    status = attempt(
        lambda: EpisodeService(session, actor).open(
            authorization_id, started_on=on or local_today(now), now=now
        ),
        errors,
        "started_on",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"episode-{authorization_id}", done="episode", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/episodes/{episode_id}/deliveries")
async def record_delivery(
    request: Request, episode_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Record units delivered on a date (refused, with what remains, over any cap)."""
    form, errors = await request.form(), FormErrors()
    member_id = member_of(form)
    on = day(form, "service_date", errors)
    units = number(form, "units", errors)
    if units is not None and units <= 0:
        errors.add("units", N_("Enter more than zero units."))
    amount = number(form, "amount", errors, required=False)

    def record() -> object:
        try:
            return EpisodeService(session, actor).record(
                episode_id,
                service_date=on or local_today(now),
                units=units or Decimal(0),
                now=now,
                amount=amount,
                note=text(form, "note", 500) or None,
            )
        except CapExceeded as error:  # said in plain words, in the reader's language
            raise CapRefused(cap_refusal(error, gettext_for(request).gettext)) from error

    status = attempt(record, errors, "units")
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"delivery-{episode_id}", done="delivery", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/episodes/{episode_id}/close")
async def close_episode(
    request: Request, episode_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Close an open episode on a date, with a reason."""
    form, errors = await request.form(), FormErrors()
    member_id, expected = member_of(form), version(form, errors)
    on = day(form, "ended_on", errors)
    reason = text(form, "reason", 500)
    errors.require("reason", reason, N_("Say why the episode ends."))
    status = attempt(
        lambda: EpisodeService(session, actor).close(
            episode_id,
            expected_version=expected,
            ended_on=on or local_today(now),
            reason=reason,
            now=now,
        ),
        errors,
        "ended_on",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key=f"close-{episode_id}", done="closed", errors=errors, form=form,
    )  # fmt: skip
