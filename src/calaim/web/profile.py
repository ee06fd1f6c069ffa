"""`/app/profile`: a provider keeps its one profile for every plan: identifiers (NPI, tax id,
Medi-Cal enrollment), who and where it serves (programs, populations, counties, languages),
capacity, licenses, insurance and staff credentials with expiry dates, sites and documents.

The page calls `ops/providers/profile.py` (the API's service); a refusal is shown through
`refusals.plain`, next to its field, in the reader's language. Only the provider's own staff
with `provider.profile` use it; anyone else gets 403.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from calaim.ops.access.permissions import Permission, require
from calaim.ops.attachments.endpoints import file_response, storage_of
from calaim.ops.capacity.repository import NoProviderProfile
from calaim.ops.members.languages import language_name
from calaim.ops.models.provider_credential import CredentialKind
from calaim.ops.providers.populations import POPULATIONS
from calaim.ops.providers.profile import (
    CredentialIn,
    ProfileChange,
    ProfileService,
    ProfileView,
    SiteIn,
)
from calaim.web.actions_common import attempt
from calaim.web.forms import FormErrors, day, text, uploaded_file, values_of
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.program_names import program_ids

router = page_router()
KINDS = {
    CredentialKind.LICENSE.value: N_("License"),
    CredentialKind.INSURANCE.value: N_("Insurance"),
    CredentialKind.MEDI_CAL_ENROLLMENT.value: N_("Medi-Cal enrollment"),
    CredentialKind.STAFF_CREDENTIAL.value: N_("Staff credential"),
    CredentialKind.CERTIFICATION.value: N_("Certification"),
}
POPULATION_LABELS = {
    "adults": N_("Adults"),
    "older_adults": N_("Older adults (65 and over)"),
    "children_youth": N_("Children and youth (under 21)"),
    "families": N_("Families"),
    "justice_involved": N_("People leaving jail or prison"),
}
DONE = {
    "profile": N_("Saved. Plans, assignment and the navigator see your profile now."),
    "credential": N_("The credential was added."),
    "removed": N_("The credential was removed."),
    "site": N_("The site was added."),
    "document": N_("The document was kept. You can attach it to a credential."),
}
DIGITS = {
    "npi": (re.compile(r"^\d{10}$"), N_("Enter the NPI: 10 digits.")),
    "tin": (re.compile(r"^\d{9}$"), N_("Enter the tax id (EIN): 9 digits, no dash.")),
}
CODE = re.compile(r"[^a-z0-9]+")


def _listed(raw: str) -> list[str]:
    """Comma- or line-separated values, each once, blanks dropped."""
    found: list[str] = []
    for part in re.split(r"[,\n]", raw):
        value = part.strip()
        if value and value not in found:
            found.append(value)
    return found


def _profile_values(view: ProfileView) -> dict[str, str]:
    p = view.profile
    return {
        "npi": p.npi or "",
        "tin": p.tin or "",
        "medi_cal_enrollment": p.medi_cal_enrollment or "",
        "phone": p.phone or "",
        "languages": ", ".join(language_name(code) for code in p.languages or []),
        "counties": ", ".join(view.organization.counties_served or []),
        "capacity": str(p.capacity),
    }


def _page(
    request: Request,
    actor: Any,
    session: Any,
    errors: FormErrors,
    *,
    values: dict[str, str] | None = None,
    checked: dict[str, list[str]] | None = None,
    status: int = 200,
    flash: str | None = None,
) -> Response:
    require(actor, Permission.PROVIDER_PROFILE)
    service = ProfileService(session, actor)
    try:
        view = service.view()
    except NoProviderProfile:
        context: dict[str, Any] = {"view": None, "errors": errors}
        return render(request, "network/profile.html", context, status=status)
    shown = _profile_values(view)
    shown.update(values or {})
    context = {
        "view": view,
        "values": shown,
        "programs": program_ids(),
        "populations": [(code, POPULATION_LABELS[code]) for code in POPULATIONS],
        "kinds": list(KINDS.items()),
        "kind_words": KINDS,
        "document_options": [(str(d.id), d.filename) for d in view.documents],
        "checked": checked
        or {
            "programs_served": list(view.profile.programs_served or []),
            "populations_served": list(view.profile.populations_served or []),
        },
        "documents": {d.id: d for d in view.documents},
        "errors": errors,
        "flash": flash,
    }
    return render(request, "network/profile.html", context, status=status)


@router.get("/app/profile")
def profile_page(
    request: Request, actor: PageActor, session: SessionDep, done: str | None = None
) -> Response:
    """The whole profile and the forms to change it."""
    return _page(request, actor, session, FormErrors(), flash=DONE.get(done or ""))


def _change(form: FormData, errors: FormErrors) -> ProfileChange:
    for name, (pattern, message) in DIGITS.items():
        value = text(form, name, 20).replace("-", "").replace(" ", "")
        if value and not pattern.match(value):
            errors.add(name, message)
    raw_capacity = text(form, "capacity", 12)
    if not raw_capacity.isdigit():
        errors.add("capacity", N_("Enter a whole number, 0 or more."))

    def digits(name: str) -> str | None:
        return text(form, name, 20).replace("-", "").replace(" ", "") or None

    return ProfileChange(
        npi=digits("npi"),
        tin=digits("tin"),
        medi_cal_enrollment=text(form, "medi_cal_enrollment", 20) or None,
        phone=text(form, "phone", 20) or None,
        languages=_listed(text(form, "languages", 400)),
        programs_served=[str(v) for v in form.getlist("programs_served")],
        populations_served=[str(v) for v in form.getlist("populations_served")],
        counties=_listed(text(form, "counties", 600)),
        capacity=int(raw_capacity) if raw_capacity.isdigit() else 0,
    )


@router.post("/app/profile")
async def save_profile(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Replace the profile's fields with the form's."""
    form, errors = await request.form(), FormErrors()
    change = _change(form, errors)
    status = attempt(lambda: ProfileService(session, actor).update(change, now=now), errors, "npi")
    if status == 303:
        return redirect("/app/profile?done=profile")
    session.rollback()
    checked = {
        "programs_served": change.programs_served,
        "populations_served": change.populations_served,
    }
    values = values_of(form)
    return _page(request, actor, session, errors, values=values, checked=checked, status=status)


@router.post("/app/profile/credentials")
async def add_credential(request: Request, actor: PageActor, session: SessionDep) -> Response:
    """Add a license, insurance policy, enrollment or staff credential."""
    form, errors = await request.form(), FormErrors()
    kind = text(form, "kind", 40)
    if kind not in KINDS:
        errors.add("kind", N_("Choose what kind of credential this is."))
    label = text(form, "label", 200)
    errors.require("label", label, N_("Say what it is, for example: general liability insurance."))
    expires = day(form, "expires_on", errors, required=False)
    document = text(form, "document_id", 40)
    try:
        document_id = uuid.UUID(document) if document else None
    except ValueError:
        errors.add("document_id", N_("Choose one of your documents."))
        document_id = None
    chosen = text(form, "credential_type", 60) or label
    given = CredentialIn(
        CredentialKind(kind) if kind in KINDS else CredentialKind.LICENSE,
        CODE.sub("_", chosen.lower()).strip("_")[:60] or "other",
        label,
        number=text(form, "number", 60) or None,
        holder_name=text(form, "holder_name", 200) or None,
        expires_on=expires,
        document_id=document_id,
    )
    service = ProfileService(session, actor)
    status = attempt(lambda: service.add_credential(given), errors, "label")
    if status == 303:
        return redirect("/app/profile?done=credential#credentials")
    session.rollback()
    return _page(request, actor, session, errors, values=values_of(form), status=status)


@router.post("/app/profile/credentials/{credential_id}/remove")
async def remove_credential(
    credential_id: uuid.UUID, request: Request, actor: PageActor, session: SessionDep
) -> Response:
    """Remove one of the organization's credentials."""
    await request.form()
    errors = FormErrors()
    service = ProfileService(session, actor)
    status = attempt(lambda: service.remove_credential(credential_id), errors, "credentials")
    if status == 303:
        return redirect("/app/profile?done=removed#credentials")
    session.rollback()
    return _page(request, actor, session, errors, status=status)


@router.post("/app/profile/sites")
async def add_site(request: Request, actor: PageActor, session: SessionDep) -> Response:
    """Add a site where the provider serves people."""
    form, errors = await request.form(), FormErrors()
    fields = {
        "site_name": N_("Give the site's name."),
        "address_line": N_("Give the street address."),
        "city": N_("Give the city."),
        "county": N_("Give the county."),
    }
    for name, message in fields.items():
        errors.require(name, text(form, name, 200), message)
    zip_code = text(form, "zip_code", 10)
    if not re.fullmatch(r"\d{5}(\d{4})?", zip_code):
        errors.add("zip_code", N_("Enter the ZIP code: 5 digits (or 9)."))
    given = SiteIn(
        name=text(form, "site_name", 200),
        address_line=text(form, "address_line", 200),
        city=text(form, "city", 100),
        county=text(form, "county", 60),
        zip_code=zip_code,
        phone=text(form, "site_phone", 20) or None,
        languages=_listed(text(form, "site_languages", 200)),
    )
    service = ProfileService(session, actor)

    def field_of(field: str | None) -> str | None:
        return "site_languages" if field == "languages" else None

    status = attempt(lambda: service.add_site(given), errors, "site_name", field_of=field_of)
    if status == 303:
        return redirect("/app/profile?done=site#sites")
    session.rollback()
    return _page(request, actor, session, errors, values=values_of(form), status=status)


@router.post("/app/profile/documents")
async def upload_document(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Keep a document (PDF or image) for applications and credentials."""
    errors = FormErrors()
    data, name = await uploaded_file(request, errors)
    service = ProfileService(session, actor)
    storage = storage_of(request)
    status = attempt(lambda: service.upload(name, data, storage, now=now), errors, "file")
    if status == 303:
        return redirect("/app/profile?done=document#documents")
    session.rollback()
    return _page(request, actor, session, errors, status=status)


@router.get("/app/profile/documents/{document_id}")
def download_document(
    document_id: uuid.UUID, request: Request, actor: PageActor, session: SessionDep
) -> Response:
    """One of the organization's documents (audited); anyone else's is not found."""
    row, data = ProfileService(session, actor).download(document_id, storage_of(request))
    return file_response(row.filename, row.content_type, data)
