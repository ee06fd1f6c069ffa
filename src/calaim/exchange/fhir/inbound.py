"""Reading an inbound referral Bundle: the ServiceRequest, its Task and Patient, as plain values."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir import codes as c
from calaim.exchange.fhir.bundle import Entry, of_type, resolve
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.status_map import from_task
from calaim.ops.referrals.intake import MemberLookup


@dataclass(frozen=True)
class TaskState:
    """The Task's status as sent, and where it was in the Bundle."""

    status: str
    business: str | None
    reason: str | None
    path: str


@dataclass(frozen=True)
class InboundReferral:
    """What a referral Bundle says, checked and located."""

    identifier: tuple[str, str]
    program_id: str
    program_path: str
    member: MemberLookup
    patient_path: str
    receiving_organization_id: uuid.UUID | None
    owner_path: str
    source_kind: str | None
    reason_codes: str | None
    task: TaskState | None


def read_referral(bundle: Bundle, source: str | None = None) -> InboundReferral:
    """The referral a Bundle carries, or a located error naming the element to fix."""
    request = _one(bundle, "ServiceRequest", source, required=True)
    assert request is not None
    sr: Any = request.resource
    task_entry = _one(bundle, "Task", source, required=False)
    patient = _referenced(bundle, sr.subject, f"{request.path}.subject", "Patient", source)
    owner_ref = task_entry.resource.owner if task_entry else None  # type: ignore[attr-defined]
    owner_ref = owner_ref or (sr.performer[0] if sr.performer else None)
    owner_path = f"{task_entry.path}.owner" if task_entry else f"{request.path}.performer[0]"
    return InboundReferral(
        identifier=_identifier(sr, request.path, source),
        program_id=_program(sr, request.path, source),
        program_path=f"{request.path}.code",
        member=_lookup(patient, source),
        patient_path=patient.path,
        receiving_organization_id=_calaim_org(bundle, owner_ref, owner_path, source),
        owner_path=owner_path,
        source_kind=_source_kind(bundle, sr.requester),
        reason_codes=_reasons(sr),
        task=_task(task_entry),
    )


def _one(bundle: Bundle, kind: str, source: str | None, *, required: bool) -> Entry | None:
    found = of_type(bundle, kind)
    if len(found) > 1:
        raise FhirInputError(
            f"the Bundle holds {len(found)} {kind} resources; send one referral per Bundle",
            field=found[1].path,
            source=source,
        )
    if not found and required:
        raise FhirInputError(
            f"the Bundle has no {kind}; a referral Bundle holds one ServiceRequest (with its "
            "Task and Patient)",
            field="entry",
            source=source,
        )
    return found[0] if found else None


def _referenced(bundle: Bundle, reference: Any, path: str, kind: str, source: str | None) -> Entry:
    target = resolve(bundle, getattr(reference, "reference", None))
    if target is None or target.resource.get_resource_type() != kind:
        raise FhirInputError(
            f"must reference a {kind} entry of this Bundle (by its fullUrl or {kind}/id)",
            field=path,
            source=source,
        )
    return target


def _identifier(sr: Any, path: str, source: str | None) -> tuple[str, str]:
    for item in sr.identifier or []:
        if item.system and item.value:
            return str(item.system), str(item.value)
    raise FhirInputError(
        "give the referral an identifier with a system and a value (it makes re-imports safe)",
        field=f"{path}.identifier",
        source=source,
    )


def _program(sr: Any, path: str, source: str | None) -> str:
    for item in (sr.code.coding or []) if sr.code else []:
        if item.system == c.PROGRAM_SYSTEM and item.code:
            return str(item.code)
    raise FhirInputError(
        f"code needs a coding with system {c.PROGRAM_SYSTEM} naming the program "
        "(`ecm` or a `cs.*` id)",
        field=f"{path}.code",
        source=source,
    )


def _lookup(patient: Entry, source: str | None) -> MemberLookup:
    resource: Any = patient.resource
    if resource.birthDate is None or not isinstance(resource.birthDate, dt.date):
        raise FhirInputError(
            "the Patient needs a birthDate (with the CIN or the names) to find the member",
            field=f"{patient.path}.birthDate",
            source=source,
        )
    cin = next((i.value for i in resource.identifier or [] if i.system == c.CIN_SYSTEM), None)
    name = (resource.name or [None])[0]
    given = (name.given or [None])[0] if name else None
    lookup = MemberLookup(
        birth_date=resource.birthDate,
        cin=cin,
        last_name=name.family if name else None,
        first_name=given,
    )
    if not (cin or (lookup.last_name and lookup.first_name)):
        raise FhirInputError(
            f"name the member by an identifier with system {c.CIN_SYSTEM} (the CIN) or by "
            "name.family and name.given",
            field=f"{patient.path}.identifier",
            source=source,
        )
    return lookup


def _calaim_org(bundle: Bundle, reference: Any, path: str, source: str | None) -> uuid.UUID | None:
    """A calaim organization id from a referenced Organization's identifier, if it has one."""
    target = resolve(bundle, getattr(reference, "reference", None))
    if target is None or target.resource.get_resource_type() != "Organization":
        return None
    org: Any = target.resource
    for item in org.identifier or []:
        if item.system == c.ORGANIZATION_ID and item.value:
            try:
                return uuid.UUID(str(item.value))
            except ValueError:
                raise FhirInputError(
                    f"identifier {item.value!r} (system {c.ORGANIZATION_ID}) is not a calaim "
                    "organization id; leave it out and the member's plan routes the referral",
                    field=f"{target.path}.identifier",
                    source=source,
                ) from None
    return None


def _source_kind(bundle: Bundle, requester: Any) -> str | None:
    target = resolve(bundle, getattr(requester, "reference", None))
    if target is None or target.resource.get_resource_type() != "Organization":
        return None
    org: Any = target.resource
    for concept in org.type or []:
        for item in concept.coding or []:
            if item.system == c.SOURCE_SYSTEM and item.code:
                return str(item.code)
    return None


def _reasons(sr: Any) -> str | None:
    # Free-text reasons only: coded ones are calaim's determinations, recomputed on export.
    texts = [r.text for r in sr.reasonCode or [] if r.text and not r.coding]
    joined = "; ".join(texts)
    return joined[:200] or None


def _task(entry: Entry | None) -> TaskState | None:
    if entry is None:
        return None
    resource: Any = entry.resource
    business = None
    if resource.businessStatus is not None:
        codes = [i.code for i in resource.businessStatus.coding or [] if i.code]
        business = codes[0] if codes else resource.businessStatus.text
    reason = resource.statusReason.text if resource.statusReason else None
    # Checked before anything is written, so a bad status never reaches the intake.
    from_task(str(resource.status), business, f"{entry.path}.status")
    return TaskState(str(resource.status), business, reason, entry.path)
