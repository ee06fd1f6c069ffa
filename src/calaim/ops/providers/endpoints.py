"""Provider profile and application API: a provider keeps one profile and applies to several
plans at once; each plan decides each service in each county; the application exports in one
common form (JSON, CSV, XLSX)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import JSONResponse, Response

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.providers.applications import ApplicationService
from calaim.ops.providers.export import as_csv, as_xlsx
from calaim.ops.providers.profile import ProfileService
from calaim.ops.providers.schemas import (
    ApplicationBody,
    ApplicationOut,
    CredentialBody,
    CredentialOut,
    DecisionBody,
    ProfileIn,
    ProfileOut,
    SiteBody,
    SiteOut,
    application_out,
    credential_out,
    profile_out,
    site_out,
)

router = DomainRouter(
    prefix="/providers",
    tag="providers",
    description="One provider profile for every plan (identifiers, licenses and insurance "
    "with expiry dates, sites, languages, populations, capacity) and one application to "
    "several plans, decided by each plan per service and county.",
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.put("/profile", response_model=ProfileOut)
def put_profile(body: ProfileIn, actor: ActorDep, session: SessionDep, now: NowDep) -> ProfileOut:
    """Replace the caller's organization's profile (a provider's supervisor or staff)."""
    return profile_out(ProfileService(session, actor).update(body.change(), now=now))


@router.post("/profile/credentials", response_model=CredentialOut, status_code=201)
def add_credential(body: CredentialBody, actor: ActorDep, session: SessionDep) -> CredentialOut:
    """Add a license, insurance policy, enrollment or staff credential with its expiry."""
    return credential_out(ProfileService(session, actor).add_credential(body.given()))


@router.post("/profile/sites", response_model=SiteOut, status_code=201)
def add_site(body: SiteBody, actor: ActorDep, session: SessionDep) -> SiteOut:
    """Add a site where the provider serves people."""
    return site_out(ProfileService(session, actor).add_site(body.given()))


@router.post("/applications", response_model=ApplicationOut, status_code=201)
def submit(
    body: ApplicationBody, actor: ActorDep, session: SessionDep, now: NowDep
) -> ApplicationOut:
    """Apply to several plans at once; refused whole (422, each unmet requirement named)."""
    return application_out(ApplicationService(session, actor).submit(body.given(), now=now))


@router.get("/applications", response_model=Page[ApplicationOut])
def list_applications(actor: ActorDep, session: SessionDep, page: PageDep) -> Page[ApplicationOut]:
    """A provider's own applications, or those a plan received; newest first."""
    views, total = ApplicationService(session, actor).page(page.limit, page.offset)
    following = page.offset + len(views)
    return Page[ApplicationOut](
        items=[application_out(v) for v in views],
        limit=page.limit,
        offset=page.offset,
        total=total,
        next_offset=following if following < total else None,
    )


@router.get("/applications/{application_id}", response_model=ApplicationOut)
def get_application(
    application_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> ApplicationOut:
    """One application with the lines the caller may see (a plan: its own)."""
    return application_out(ApplicationService(session, actor).get(application_id))


@router.get("/applications/{application_id}/export", response_class=Response)
def export_application(
    application_id: uuid.UUID,
    actor: ActorDep,
    session: SessionDep,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
) -> Response:
    """The application in the common form every plan receives."""
    form = ApplicationService(session, actor).export(application_id)
    if format == "json":
        return JSONResponse(form)
    name = f"application.{format}"
    data, media = (as_csv(form).encode(), "text/csv") if format == "csv" else (as_xlsx(form), XLSX)
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media, headers=disposition)


@router.post("/applications/lines/{line_id}/decision", response_model=ApplicationOut)
def decide(
    line_id: uuid.UUID, body: DecisionBody, actor: ActorDep, session: SessionDep, now: NowDep
) -> ApplicationOut:
    """A plan approves or denies one service in one county (a denial says why)."""
    service = ApplicationService(session, actor)
    view = service.decide(line_id, body.decision, body.reason, body.version, now=now)
    return application_out(view)
