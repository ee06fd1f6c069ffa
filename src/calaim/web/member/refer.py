"""A member's own request for help (a self- or family referral), through the referral
service: the member's plan receives it like any other referral, from "member or family"."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.member_portal.repository import Accounts, OwnRecord
from calaim.ops.members.contact import InvalidContact
from calaim.ops.models import ContactPreference, ReferralSource
from calaim.ops.referrals.intake import IntakeForm
from calaim.ops.referrals.service import ReferralService
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.member.auth import MemberActor
from calaim.web.member.render import OTHER_ERROR, refused, render
from calaim.web.member.words import PROGRAMS
from calaim.web.pages import page_router, redirect

router = page_router()

# What a member can ask for: ECM once, and each Community Support (program id -> name).
CHOICES = {"ecm": PROGRAMS["ecm"][0]} | {
    pid: words[0] for pid, words in PROGRAMS.items() if pid.startswith("cs.")
}
PHONE = N_("Check the phone number and try again.")
WHO = {
    "self": N_("I am asking for myself"),
    "family": N_("I am family or a helper, asking for them"),
}


def _form(request: Request, values: dict[str, str], error: str | None, status: int) -> Response:
    context = {"choices": CHOICES, "who": WHO, "values": values, "error": error}
    return render(request, "refer.html", context, status=status)


@router.get("/app/me/refer")
def refer_page(request: Request, actor: MemberActor, program: str = "", sent: int = 0) -> Response:
    """The request form (a program already chosen from the home page), or its thank-you."""
    if sent:
        return render(request, "refer_sent.html")
    values = {"program": program if program in CHOICES else "", "who": "self"}
    return _form(request, values, None, 200)


@router.post("/app/me/refer")
async def refer(request: Request, actor: MemberActor, session: SessionDep, now: NowDep) -> Response:
    """Send the request to the member's plan through the referral service."""
    form = await request.form()
    values = {k: text(form, k, 1000) for k in ("program", "who", "need", "phone", "agree")}
    if values["program"] not in CHOICES or values["who"] not in WHO or not values["agree"]:
        error = N_("Choose the help you want, say who is asking, and check the box to agree.")
        return _form(request, values, error, 422)
    member = OwnRecord(session, actor).mine()
    account = Accounts(session).of_user(actor)
    holder = account.holder if account else "self"
    intake = IntakeForm(
        member_consented=True,
        reason=values["need"] or None,
        member_phone=values["phone"] or None,
        member_contact_preference=ContactPreference.PHONE if values["phone"] else None,
        notes=f"Sent from the member pages by the {holder} ({values['who']}).",
    )
    try:
        ReferralService(session, actor).create(
            member_id=member.id, program_id=values["program"],
            source_kind=ReferralSource.MEMBER_OR_FAMILY, form=intake, now=now,
        )  # fmt: skip
    except (Conflict, InvalidRequest) as error:
        if isinstance(error, InvalidContact) or getattr(error, "field", None) == "member_phone":
            return _form(request, values, PHONE, 422)
        # Any other refusal in plain words (in a language without them: "that did not work").
        status = 409 if isinstance(error, Conflict) else 422
        return _form(request, values, refused(error, OTHER_ERROR), status)
    return redirect("/app/me/refer?sent=1")
