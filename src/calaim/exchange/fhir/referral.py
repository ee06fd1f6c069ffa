"""A closed-loop referral as an SDOHCC ServiceRequest and its TaskForReferralManagement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from calaim.exchange.fhir import codes as c
from calaim.exchange.fhir.procedure_codes import program_coding
from calaim.exchange.fhir.resources import derived_id, instant, ref
from calaim.exchange.fhir.status_map import to_task
from calaim.ops.access.part2 import Shown
from calaim.ops.models import Referral
from calaim.ops.referrals.state import OPEN_STATUSES, ReferralStatus


def service_request_status(status: ReferralStatus, early: bool) -> str:
    """ServiceRequest.status: active while the loop is open; revoked if declined or cut short."""
    if status in OPEN_STATUSES:
        return "active"
    if status == ReferralStatus.DECLINED or early:
        return "revoked"
    return "completed"


def service_request(
    referral: Referral,
    *,
    early: bool,
    external: Sequence[tuple[str, str]] = (),
    determinations: Sequence[Shown] = (),
    priority: str | None = None,
) -> dict[str, Any]:
    """The referral as a ServiceRequest (identifier = calaim referral id, plus partners' ids)."""
    identifiers = [c.identifier(c.REFERRAL_ID, str(referral.id))]
    identifiers += [c.identifier(system, value) for system, value in external]
    out: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.id),
        "meta": {"profile": [c.PROFILES["ServiceRequest"]]},
        "identifier": identifiers,
        "status": service_request_status(ReferralStatus(referral.status), early),
        "intent": "order",
        "category": c.sdoh_categories(referral.program_id),
        "code": _code(referral),
        "subject": ref("Patient", referral.member_id),
        "authoredOn": instant(referral.received_at),
        "requester": ref("Organization", referral.referring_organization_id),
    }
    if priority:
        out["priority"] = priority
    if referral.receiving_organization_id:
        out["performer"] = [ref("Organization", referral.receiving_organization_id)]
    reasons = [{"text": referral.reason_codes}] if referral.reason_codes else []
    # The member's eligible determinations (masked for Part 2 by the ops service: a restricted
    # aggregate has no `eligible`, so it is not listed).
    reasons += [
        {**c.concept(c.PROGRAM_SYSTEM, d.program_id), "text": f"eligible as of {d.as_of}"}
        for d in determinations
        if d.eligible
    ]
    if reasons:
        out["reasonCode"] = reasons
    return out


def _code(referral: Referral) -> dict[str, Any]:
    """calaim's program coding, then the program's HCPCS code: the SDOHCC profile binds code
    (required) to US Core Procedure Codes, which calaim's own system is not part of."""
    codings = [c.coding(c.PROGRAM_SYSTEM, referral.program_id)]
    standard = program_coding(referral.program_id, referral.received_at.date())
    if standard is not None:
        codings.append(standard)
    return {"coding": codings, "text": referral.program_id}


def _performed(referral: Referral) -> list[dict[str, Any]]:
    """A completed Task's output: the activity performed (SDOHCC PerformedActivityCode)."""
    standard = program_coding(referral.program_id, referral.received_at.date())
    if standard is None:
        return []
    return [
        {
            "type": c.concept(c.SDOHCC_CODES, "resulting-activity", "Resulting Activity"),
            "valueCodeableConcept": {"coding": [standard], "text": referral.program_id},
        }
    ]


def task(referral: Referral, *, early: bool, last_step: dt.datetime) -> dict[str, Any]:
    """The Task tracking the referral: status and businessStatus from the status map."""
    state = to_task(ReferralStatus(referral.status), early)
    out: dict[str, Any] = {
        "resourceType": "Task",
        "id": derived_id(referral.id, "task"),
        "meta": {"profile": [c.PROFILES["Task"]]},
        "status": state.status,
        "businessStatus": {
            **c.concept(c.BUSINESS_STATUS_SYSTEM, state.business),
            "text": state.business,
        },
        "intent": "order",
        "code": c.concept(c.TASK_CODE, "fulfill", "Fulfill the focal request"),
        "focus": ref("ServiceRequest", referral.id),
        "for": ref("Patient", referral.member_id),
        "authoredOn": instant(referral.received_at),
        "lastModified": instant(last_step),
        "requester": ref("Organization", referral.referring_organization_id),
    }
    reason = referral.decline_reason or (referral.closure_reason if early else None)
    if reason:
        out["statusReason"] = {"text": reason}
    if referral.receiving_organization_id:
        out["owner"] = ref("Organization", referral.receiving_organization_id)
    if state.status == "completed":
        out["output"] = _performed(referral)
    return out
