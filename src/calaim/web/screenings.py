"""`/app/screenings`: the DHCS mental health screening tools as a form, and "no wrong door".

Whoever the person reached (the plan or the county), the answers give the same route: the
plan, the county mental health plan, or crisis services now. From a county route the page
offers the referral to the county serving the member (the closed loop then runs as any other).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import Member, OrganizationKind, User
from calaim.ops.screenings.repository import county_organization
from calaim.ops.screenings.scoring import Result, score
from calaim.ops.screenings.tools import screening_tools
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.pages import PageActor, SessionDep, page_router, render

router = page_router()
SCORED = ("adult", "youth")
ROUTES = {
    "plan": N_("The Medi-Cal plan (non-specialty mental health services)"),
    "county_mhp": N_("The county mental health plan (specialty mental health services)"),
    "crisis": N_("Crisis or emergency services now: call or text 988, or 911"),
}


def _member(session: SessionDep, actor: User, member_id: str | None) -> Member | None:
    if not member_id or not allowed(actor, Permission.MEMBER_READ):
        return None
    try:
        return MemberRepository(session, actor).get(uuid.UUID(member_id))
    except (ValueError, NotFound):
        return None


def referral_link(
    session: SessionDep, actor: User, member: Member | None, program: str, kind: OrganizationKind
) -> str | None:
    if not allowed(actor, Permission.REFERRAL_CREATE):
        return None
    county = county_organization(session, kind, member.county if member else None)
    query = f"program_id={program}"
    query += f"&provider_id={county.id}" if county else ""
    query += f"&member_id={member.id}" if member else ""
    return f"/app/referrals/new?{query}"


def _page(request: Request, tool: str, member: Member | None, **extra: Any) -> Response:
    context = {"tool": screening_tools()[tool], "tools": SCORED, "member": member,
               "routes": ROUTES, "answers": {}, "result": None, "problem": None,
               "county_link": None, "dmc_link": None, **extra}  # fmt: skip
    return render(
        request, "screenings/form.html", context, status=422 if extra.get("problem") else 200
    )


@router.get("/app/screenings")
def screening_form(
    request: Request, actor: PageActor, session: SessionDep, tool: str = "adult",
    member_id: str | None = None,
) -> Response:  # fmt: skip
    """The tool's questions (safety first)."""
    require(actor, Permission.SCREENING_SCORE)
    return _page(request, tool if tool in SCORED else "adult", _member(session, actor, member_id))


@router.post("/app/screenings")
async def score_form(request: Request, actor: PageActor, session: SessionDep) -> Response:
    """Score the answers and show the route (and the referral to make)."""
    require(actor, Permission.SCREENING_SCORE)
    form = await request.form()
    tool = text(form, "tool", 20)
    tool = tool if tool in SCORED else "adult"
    member = _member(session, actor, text(form, "member_id", 40) or None)
    found = screening_tools()[tool]
    answers = {q.id: text(form, q.id, 3) == "yes" for q in (*found.safety, *found.items)
               if text(form, q.id, 3) in ("yes", "no")}  # fmt: skip
    try:
        result: Result = score(tool, answers)
    except InvalidRequest as error:
        return _page(request, tool, member, answers=answers, problem=str(error))
    links = {
        "county_link": referral_link(session, actor, member, "county.specialty_mental_health",
                                      OrganizationKind.COUNTY_MHP)
        if result.route == "county_mhp" else None,
        "dmc_link": referral_link(session, actor, member, "county.drug_medi_cal",
                                   OrganizationKind.COUNTY_DMC)
        if "county_dmc" in result.also_offer else None,
    }  # fmt: skip
    return _page(request, tool, member, answers=answers, result=result, **links)
