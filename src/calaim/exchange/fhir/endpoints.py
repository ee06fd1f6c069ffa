"""HTTP endpoints: FHIR Bundles of closed-loop referrals in and out, Task updates, status map.

Bodies are FHIR JSON (`application/fhir+json` or `application/json`). Errors keep the app's one
error shape, with the FHIR JSON path of the faulty element in `field`.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Body, Query
from fastapi.responses import JSONResponse

from calaim.exchange.fhir.export import export_referral
from calaim.exchange.fhir.importer import import_bundle
from calaim.exchange.fhir.status_map import table
from calaim.exchange.fhir.task_resource import update_task
from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter

FHIR_JSON = "application/fhir+json"
FhirBody = Annotated[dict[str, Any], Body(media_type=FHIR_JSON)]

router = DomainRouter(
    prefix="/fhir",
    tag="fhir",
    description=(
        "FHIR R4 (SDOH Clinical Care): closed-loop referrals as ServiceRequest "
        "and Task, and Bundles in and out."
    ),
)


def fhir(content: dict[str, Any], status: int = 200) -> JSONResponse:
    """A FHIR JSON response."""
    return JSONResponse(content, status_code=status, media_type=FHIR_JSON)


@router.get("/referrals/{referral_id}/bundle", response_class=JSONResponse)
def get_referral_bundle(
    referral_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep
) -> JSONResponse:
    """The referral as a Bundle (ServiceRequest, Task, Patient, ... as the caller may see)."""
    require(actor, Permission.FHIR_EXCHANGE)
    return fhir(export_referral(session, actor, referral_id, now))


@router.post("/Bundle", response_model=dict[str, Any])
def post_bundle(
    body: FhirBody,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    dry_run: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    """Import a referral Bundle (idempotent by the ServiceRequest identifier, else by the
    sender and the resource's fullUrl); `not_kept` says what was not stored and why."""
    require(actor, Permission.FHIR_EXCHANGE)
    result = import_bundle(session, actor, body, now=now, dry_run=dry_run)
    return {
        "referral_id": result.referral_id,
        "status": result.status,
        "outcome": result.outcome,
        "events": result.events,
        "dry_run": result.dry_run,
        "sender_code": result.sender_code,
        "not_kept": result.not_kept,
    }


@router.put("/referrals/{referral_id}/task", response_class=JSONResponse)
def put_task(
    referral_id: uuid.UUID, body: FhirBody, actor: ActorDep, session: SessionDep, now: NowDep
) -> JSONResponse:
    """Apply a Task's status (accepted, rejected, in-progress, completed, cancelled...)."""
    require(actor, Permission.FHIR_EXCHANGE)
    return fhir(update_task(session, actor, referral_id, body, now))


@router.get("/status-map", response_model=list[dict[str, str | bool]])
def get_status_map(actor: ActorDep) -> list[dict[str, str | bool]]:
    """calaim referral statuses and the Task status / businessStatus each is sent as."""
    require(actor, Permission.FHIR_EXCHANGE)
    return table()
