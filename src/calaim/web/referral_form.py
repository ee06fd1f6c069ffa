"""`/app/referrals/new`: the standardized referral form, for anyone who may refer."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import ReferralSource, ReferralUrgency
from calaim.ops.referrals.intake import IntakeForm, MemberLookup
from calaim.ops.referrals.programs import referable_programs
from calaim.ops.referrals.service import ReferralService
from calaim.web.forms import FormErrors, day, text, values_of
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.referral_prefill import Prefill, prefill

router = page_router()


def _programs() -> list[tuple[str, str]]:
    names = sorted(referable_programs())
    return [(p, "ECM" if p == "ecm" else p.removeprefix("cs.").replace("_", " ")) for p in names]


def _page(
    request: Request, values: dict[str, str], errors: FormErrors, status: int,
    chosen: Prefill | None = None,
) -> Response:  # fmt: skip
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "programs": _programs(),
        "sources": [(s.value, s.value.replace("_", " ")) for s in ReferralSource],
        "chosen": chosen or Prefill(),
    }
    return render(request, "referrals/new.html", context, status=status)


@router.get("/app/referrals/new")
def new_referral(
    request: Request,
    actor: PageActor,
    session: SessionDep,
    member_id: str | None = None,
    program_id: str | None = None,
    provider_id: str | None = None,
    cin: str | None = None,
) -> Response:
    """The referral form; from the navigator, with the member, program and provider filled in."""
    require(actor, Permission.REFERRAL_CREATE)
    chosen = prefill(session, actor, member_id, program_id, provider_id)
    values = {"urgency": "routine", "program_id": chosen.program_id or "",
              "cin": (cin or "")[:20]}  # fmt: skip
    return _page(request, values, FormErrors(), 200, chosen)


def _lookup(form: FormData, errors: FormErrors) -> MemberLookup | None:
    born = day(form, "birth_date", errors)
    cin, last, first = (
        text(form, "cin", 20),
        text(form, "last_name", 100),
        text(form, "first_name", 100),
    )
    if not cin and not (last and first):
        errors.add("cin", N_("Give the member's CIN, or their last and first names."))
    return MemberLookup(born, cin or None, last or None, first or None) if born else None


def _intake(form: FormData, errors: FormErrors) -> IntakeForm:
    if text(form, "member_consented") != "yes":
        errors.add("member_consented", N_("The member must agree to the referral."))
    urgent = text(form, "urgency") == "urgent"
    return IntakeForm(
        member_consented=True,
        urgency=ReferralUrgency.URGENT if urgent else ReferralUrgency.ROUTINE,
        reason=text(form, "reason", 4000) or None,
        referrer_contact_name=text(form, "referrer_contact_name", 200) or None,
        referrer_contact_phone=text(form, "referrer_contact_phone", 20) or None,
        member_phone=text(form, "member_phone", 20) or None,
    )


@router.post("/app/referrals/new")
async def send_referral(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Check the form and send the referral (or join the member's open one)."""
    require(actor, Permission.REFERRAL_CREATE)
    form, errors = await request.form(), FormErrors()
    program = text(form, "program_id", 60)
    errors.require("program_id", program, N_("Choose what you are referring the member to."))
    source = text(form, "source_kind", 30)
    if source not in set(ReferralSource):
        errors.add("source_kind", N_("Choose who is referring."))
    chosen = prefill(
        session, actor, text(form, "member_id", 40) or None, program,
        text(form, "provider_id", 40) or None,
    )  # fmt: skip
    lookup = None if chosen.member else _lookup(form, errors)
    intake = _intake(form, errors)
    if not errors and (lookup is not None or chosen.member is not None):
        try:
            made = ReferralService(session, actor).create(
                program_id=program, source_kind=ReferralSource(source), member=lookup,
                member_id=chosen.member.id if chosen.member else None,
                receiving_organization_id=chosen.provider_id, form=intake, now=now,
            )  # fmt: skip
        except NotFound:
            errors.add("cin", N_("No single member matches. Check the CIN or names and birth "
                                 "date as they appear on the Medi-Cal card."))  # fmt: skip
        except InvalidRequest as error:
            errors.from_ops(error, "program_id")
        else:
            done = "created" if made.created else "joined"
            return redirect(f"/app/referrals/{made.referral.id}?done={done}")
    session.rollback()
    return _page(request, values_of(form), errors, 422, chosen)
