"""`/app/reentry`: reentry worklists and case pages (docs/reentry.md).

A facility's reentry staff see their residents expected for release, soonest first, open new
cases and record Medi-Cal, the release date, the supply and the release; the in-reach care
manager records the assessment, the care plan and the warm handoff; the receiving ECM
provider sees who is coming to it and when; the plan follows its members' cases. The ECM
providers of the case also fill the DHCS Transition of Care Tool for a person moving between
the plan's and the county's mental health services (scored like the API: nothing stored).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.access.scopes import is_facility
from calaim.ops.errors import Conflict, Forbidden, InvalidRequest, NotFound
from calaim.ops.models import MediCalStatus, OrganizationKind, ReentryCase, ReentryStatus, User
from calaim.ops.paging import PageRequest
from calaim.ops.reentry.repository import CaseFilter
from calaim.ops.reentry.service import ReentryService
from calaim.ops.reentry.steps import (
    CARE_TEAM,
    COORDINATORS,
    FACILITY,
    HANDOFF,
    local_day,
    parties,
    require_party,
)
from calaim.ops.referrals.intake import MemberLookup
from calaim.ops.screenings.scoring import transition
from calaim.web.forms import FormErrors, day, number, text, values_of
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.refusals import plain
from calaim.web.screenings import ROUTES, referral_link

router = page_router()
MEDI_CAL = {
    MediCalStatus.NOT_STARTED.value: N_("Not started"),
    MediCalStatus.APPLICATION_SUBMITTED.value: N_("Application submitted"),
    MediCalStatus.SUSPENDED.value: N_("Suspended during custody"),
    MediCalStatus.ACTIVE.value: N_("Active"),
}
STATUS = {
    ReentryStatus.PRE_RELEASE.value: N_("Before release"),
    ReentryStatus.RELEASED.value: N_("Released"),
    ReentryStatus.CANCELLED.value: N_("No release expected"),
}
# The Transition of Care Tool (policy data `mh_screening_tools.yaml`): the two systems a person
# moves between, and its fields (the first three required, as the service checks).
TOC_TOOL = "transition_of_care"
SYSTEMS = [
    ("plan", N_("The Medi-Cal plan (non-specialty mental health services)")),
    ("county_mhp", N_("The county mental health plan (specialty mental health services)")),
]
TOC_TEXT = ("diagnosis", "current_services", "medications", "reason")
DONE = {
    "opened": N_("The reentry case is open."),
    "saved": N_("Saved."),
}


def part(actor: User, case: ReentryCase) -> str:
    """The actor's part in the case, in words."""
    org = actor.organization_id
    if org == case.facility_organization_id:
        return N_("Facility")
    if org == case.pre_release_provider_id and org == case.post_release_provider_id:
        return N_("In-reach and receiving provider")
    if org == case.pre_release_provider_id:
        return N_("In-reach provider")
    if org == case.post_release_provider_id:
        return N_("Receiving provider after release")
    return N_("Member's plan")


def next_step(case: ReentryCase) -> str:
    """What the case waits for next, in words."""
    if case.status != ReentryStatus.PRE_RELEASE.value:
        return STATUS[case.status]
    for done, words in (
        (case.pre_release_provider_id, N_("Name the in-reach provider")),
        (case.assessed_on, N_("Needs assessment")),
        (case.care_plan_on, N_("Reentry care plan")),
        (case.handoff_held_on, N_("Warm handoff meeting")),
        (case.supply_recorded_on, N_("Medications and equipment at release")),
    ):
        if not done:
            return words
    return N_("Record the release")


@router.get("/app/reentry")
def worklist(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep, show: str = "open"
) -> Response:
    """Cases the actor may see, soonest release first."""
    require(actor, Permission.REENTRY_READ)
    service = ReentryService(session, actor)
    status = None if show == "all" else ReentryStatus.PRE_RELEASE
    page = service.repository.search(CaseFilter(status=status), PageRequest(limit=100, offset=0))
    today = local_day(now)
    rows = [
        {"case": c, "dates": service.dates(c), "part": part(actor, c), "next": next_step(c)}
        for c in page.items
    ]
    context = {
        "rows": rows,
        "total": page.total,
        "today": today,
        "show": show,
        "facility": is_facility(actor),
    }
    return render(request, "reentry/list.html", context)


@router.get("/app/reentry/new")
def new_case(request: Request, actor: PageActor) -> Response:
    """The form a facility opens a case with."""
    require(actor, Permission.REENTRY_WRITE)
    return render(request, "reentry/new.html", {"values": {}, "errors": FormErrors()})


@router.post("/app/reentry/new")
async def open_case(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Open the case, or show the form again with what to fix."""
    form, errors = await request.form(), FormErrors()
    born = day(form, "birth_date", errors)
    release = day(form, "expected_release_on", errors)
    cin = text(form, "cin", 20)
    errors.require("cin", cin, N_("Give the person's Medi-Cal CIN."))
    if not errors and born and release:
        try:
            case = ReentryService(session, actor).open(MemberLookup(born, cin), release, now)
        except NotFound:
            errors.add("cin", N_("No single member matches. Check the CIN and birth date."))
        except (InvalidRequest, Conflict, Forbidden) as error:
            errors.add("cin", plain(error))
        else:
            return redirect(f"/app/reentry/{case.id}?done=opened")
    session.rollback()
    context = {"values": values_of(form), "errors": errors}
    return render(request, "reentry/new.html", context, status=422)


def _case_page(
    request: Request, actor: User, service: ReentryService, case: ReentryCase,
    errors: FormErrors, status: int = 200, done: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    who = actor.organization_id
    may = {
        name: who in parties(case, group)
        for name, group in (("facility", FACILITY), ("coordinator", COORDINATORS),
                            ("care_team", CARE_TEAM), ("handoff", HANDOFF))
    }  # fmt: skip
    may["transition"] = may["handoff"] and allowed(actor, Permission.SCREENING_SCORE)
    named = {case.pre_release_provider_id, case.post_release_provider_id, case.care_manager_user_id}
    context: dict[str, Any] = {
        "case": case,
        "dates": service.dates(case),
        "history": service.history(case),
        "names": service.repository.names({n for n in named if n}),
        "providers": [(str(o.id), o.name) for o in service.repository.ecm_providers()],
        "staff": [(str(u.id), u.name) for u in service.repository.colleagues()]
        if who == case.pre_release_provider_id else [],
        "may": may,
        "open": case.status == ReentryStatus.PRE_RELEASE.value,
        "part": part(actor, case),
        "medi_cal": MEDI_CAL,
        "status_words": STATUS,
        "errors": errors,
        "values": {},
        "flash": DONE.get(done or ""),
        "systems": SYSTEMS,
        "routes": ROUTES,
        "toc": None,
        "toc_link": None,
        "toc_values": {},
        "toc_errors": FormErrors(),
        **(extra or {}),
    }  # fmt: skip
    return render(request, "reentry/case.html", context, status=status)


@router.get("/app/reentry/{case_id}")
def case_page(
    request: Request, case_id: uuid.UUID, actor: PageActor, session: SessionDep,
    done: str | None = None,
) -> Response:  # fmt: skip
    """One case: its dates, parties, history and the steps the actor may take."""
    service = ReentryService(session, actor)
    return _case_page(request, actor, service, service.get(case_id), FormErrors(), done=done)


def _lines(form: FormData, name: str) -> list[str]:
    return [line.strip() for line in text(form, name, 4000).splitlines() if line.strip()]


def _uuid(form: FormData, name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text(form, name, 40)) if text(form, name, 40) else None
    except ValueError:
        return None


def _medi_cal(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
              now: dt.datetime) -> None:  # fmt: skip
    raw = text(f, "medi_cal_status", 30)
    chosen = MediCalStatus(raw) if raw in set(MediCalStatus) else MediCalStatus.NOT_STARTED
    s.medi_cal(cid, v, chosen, day(f, "applied_on", e, required=False), now)


def _providers(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
               now: dt.datetime) -> None:  # fmt: skip
    s.providers(cid, v, now, pre_release_provider_id=_uuid(f, "pre_release_provider_id"),
                care_manager_user_id=_uuid(f, "care_manager_user_id"),
                post_release_provider_id=_uuid(f, "post_release_provider_id"))  # fmt: skip


def _assessment(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
                now: dt.datetime) -> None:  # fmt: skip
    on = day(f, "assessed_on", e)
    if on:
        s.assess(cid, v, on, _lines(f, "needs"), now)


def _care_plan(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
               now: dt.datetime) -> None:  # fmt: skip
    on = day(f, "written_on", e)
    goals = [{"description": line, "need": None} for line in _lines(f, "goals")]
    if on:
        s.plan(cid, v, on, goals, now)


def _handoff(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
             now: dt.datetime) -> None:  # fmt: skip
    held = day(f, "held_on", e, required=False)
    meeting = day(f, "meeting_on", e, required=False)
    at = dt.datetime.combine(meeting, dt.time(17), tzinfo=dt.UTC) if meeting else None
    s.handoff(cid, v, now, meeting_at=None if held else at, held_on=held)


def _supply(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
            now: dt.datetime) -> None:  # fmt: skip
    days = number(f, "medication_days", e)
    if days is not None:
        s.release_supply(cid, v, int(days), _lines(f, "equipment"), text(f, "note", 500) or None,
                         now)  # fmt: skip


def _release_date(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
                  now: dt.datetime) -> None:  # fmt: skip
    cancel = text(f, "cancel") == "yes"
    new = None if cancel else day(f, "expected_release_on", e)
    if cancel or new:
        s.change_release(cid, v, text(f, "reason", 500), now, new_date=new, cancel=cancel)


def _release(s: ReentryService, cid: uuid.UUID, v: int, f: FormData, e: FormErrors,
             now: dt.datetime) -> None:  # fmt: skip
    on = day(f, "released_on", e)
    if on:
        s.release(cid, v, on, now)


STEPS = {
    "medi-cal": _medi_cal,
    "providers": _providers,
    "assessment": _assessment,
    "care-plan": _care_plan,
    "handoff": _handoff,
    "release-supply": _supply,
    "release-date": _release_date,
    "release": _release,
}


def _toc_fields(form: FormData, errors: FormErrors) -> dict[str, str]:
    """The tool's fields from the form, with what is missing named in words."""
    fields = {name: text(form, name, 500) for name in ("current_system", "receiving_system")}
    fields |= {name: text(form, name, 500) for name in TOC_TEXT}
    known = {value for value, _words in SYSTEMS}
    for name in ("current_system", "receiving_system"):
        if fields[name] not in known:
            errors.add(name, N_("Choose the Medi-Cal plan or the county mental health plan."))
    if not errors and fields["current_system"] == fields["receiving_system"]:
        errors.add("receiving_system", N_("The person moves to the other system: choose it."))
    errors.require("reason", fields["reason"], N_("Say why the person moves to the other system."))
    return fields


@router.post("/app/reentry/{case_id}/transition-of-care")
async def transition_of_care(
    request: Request, case_id: uuid.UUID, actor: PageActor, session: SessionDep
) -> Response:
    """The Transition of Care Tool for this case's member: the receiving system and why, and
    the referral to the county when the county receives (nothing is stored, as in the API)."""
    require(actor, Permission.SCREENING_SCORE)
    service = ReentryService(session, actor)
    case = service.get(case_id)
    require_party(actor, case, HANDOFF)
    form, errors = await request.form(), FormErrors()
    fields = _toc_fields(form, errors)
    result = None
    if not errors:
        try:
            result = transition(TOC_TOOL, fields)
        except InvalidRequest as error:
            errors.add("reason", plain(error))
    link = None
    if result is not None and result.route == "county_mhp":
        link = referral_link(session, actor, case.member, "county.specialty_mental_health",
                             OrganizationKind.COUNTY_MHP)  # fmt: skip
    extra = {"toc": result, "toc_link": link, "toc_values": fields, "toc_errors": errors}
    return _case_page(request, actor, service, case, FormErrors(), status=422 if errors else 200,
                      extra=extra)  # fmt: skip


@router.post("/app/reentry/{case_id}/{step}")
async def take_step(
    request: Request, case_id: uuid.UUID, step: str, actor: PageActor, session: SessionDep,
    now: NowDep,
) -> Response:  # fmt: skip
    """Record one step, then back to the case (or the case again with what to fix)."""
    form, errors = await request.form(), FormErrors()
    service = ReentryService(session, actor)
    version = int(text(form, "version", 12) or 0)
    if step not in STEPS:
        raise NotFound(f"no reentry step {step!r}")
    try:
        STEPS[step](service, case_id, version, form, errors, now)
    except (InvalidRequest, Conflict, Forbidden) as error:
        errors.add("step", plain(error))
    if not errors:
        return redirect(f"/app/reentry/{case_id}?done=saved")
    session.rollback()
    return _case_page(request, actor, service, service.get(case_id), errors, status=422)
