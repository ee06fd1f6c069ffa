"""Care management pages: the member's contact details, the printable care plan, the caseload.

- POST `/app/members/{id}/contact`: the plan or the assigned ECM provider updates the phone,
  address or best time to reach (ops `ContactService`: recorded for the RTF and audited).
- GET `/app/enrollments/{id}/care-plan/print`: the care plan as a printable page in the
  member's language (or `?lang=`), for the member and their care team.
- GET `/app/caseload`: an ECM provider's active members by lead care manager, with the care
  plans missing or due for revision (for supervisors balancing caseloads).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.care_plans.revision import last_revised, revision_due_on, revision_due_soon
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.members.contact import Contact, ContactService
from calaim.ops.models import Acuity, CarePlan, Enrollment, EnrollmentStatus, Organization
from calaim.web.actions_common import attempt, finish
from calaim.web.care_choices import needs_found
from calaim.web.forms import FormErrors, text
from calaim.web.i18n import LANGUAGES, translations
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, render

router = page_router()


@router.post("/app/members/{member_id}/contact")
async def update_contact(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Save the member's phone, address and best time to reach."""
    form, errors = await request.form(), FormErrors()
    contact = Contact(
        phone=text(form, "phone", 20),
        address_line=text(form, "address_line", 200),
        city=text(form, "city", 100),
        zip_code=text(form, "zip_code", 10),
        best_time_to_reach=text(form, "best_time_to_reach", 100),
    )
    status = attempt(
        lambda: ContactService(session, actor).update(
            member_id, contact, today=local_today(now), now=now
        ),
        errors,
        "phone",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key="contact", done="contact", errors=errors, form=form,
    )  # fmt: skip


def member_language(code: str | None) -> str:
    """The workspace language closest to a member's recorded language (English otherwise)."""
    text_code = (code or "").strip().lower()
    for language, name in LANGUAGES.items():
        if text_code in (language, name.lower()) or text_code.startswith(language + "-"):
            return language
    aliases = {"spa": "es", "spanish": "es", "eng": "en", "english": "en"}
    return aliases.get(text_code, "en")


@router.get("/app/enrollments/{enrollment_id}/care-plan/print")
def print_care_plan(
    request: Request,
    enrollment_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    lang: str | None = None,
) -> Response:
    """The care plan to print, in the member's language unless `lang` names another."""
    care_plan = CarePlanService(session, actor).get(enrollment_id)
    enrollment = EnrollmentRepository(session, actor).get(enrollment_id)
    language = lang if lang in LANGUAGES else member_language(enrollment.member.language)
    gettext = translations(language).gettext
    context = {
        "_": gettext,
        "language": language,
        "plan": care_plan,
        "enrollment": enrollment,
        "member": enrollment.member,
        "provider": _name(session.get(Organization, enrollment.provider_organization_id)),
        "needs": needs_found(care_plan, language),
        "printed_on": local_today(now),
    }
    return render(request, "member/care_plan_print.html", context)


def _name(organization: Organization | None) -> str:
    return organization.name if organization else ""


@router.get("/app/caseload")
def caseload(request: Request, actor: PageActor, session: SessionDep, now: NowDep) -> Response:
    """Active members by lead care manager, with care plans missing or due soon."""
    require(actor, Permission.OUTREACH_RECORD)
    require(actor, Permission.ENROLLMENT_ACT)
    today = local_today(now)
    rows = EnrollmentRepository(session, actor).caseload()
    return render(request, "caseload.html", {"loads": _loads(rows, today), "today": today})


def _loads(
    rows: list[tuple[Enrollment, CarePlan | None, str | None]], today: dt.date
) -> list[dict[str, Any]]:
    loads: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"enrolled": 0, "high": 0, "missing": 0, "due": 0, "outreach": 0}
    )
    for enrollment, care_plan, name in rows:
        if enrollment.status != EnrollmentStatus.ENROLLED:
            loads[""]["outreach"] += 1
            continue
        load = loads[name or ""]
        load["enrolled"] += 1
        load["high"] += enrollment.acuity == Acuity.HIGH
        if care_plan is None:
            load["missing"] += 1
            continue
        if last_revised(care_plan) is None or revision_due_soon(
            revision_due_on(enrollment, care_plan, today), today
        ):
            load["due"] += 1
    return [
        {"name": name, **counts}
        for name, counts in sorted(loads.items(), key=lambda item: (item[0] == "", item[0]))
    ]
