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
from calaim.exchange.fhir.procedure_codes import program_of
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
    sender_code: str | None = None
    """The sender's standard coding of ServiceRequest.code (e.g. `HCPCS H2016`), kept as sent."""
    not_kept: tuple[str, ...] = ()
    """What the Bundle says that calaim does not store, and why (said in the response)."""


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
    program_id, sender_code = _program(sr, request.path, source)
    reasons, not_kept = _reasons(bundle, sr, request.path)
    return InboundReferral(
        identifier=_identifier(bundle, request, source),
        program_id=program_id,
        program_path=f"{request.path}.code",
        member=_lookup(patient, source),
        patient_path=patient.path,
        receiving_organization_id=_calaim_org(bundle, owner_ref, owner_path, source),
        owner_path=owner_path,
        source_kind=_source_kind(bundle, sr.requester),
        reason_codes=reasons,
        task=_task(task_entry),
        sender_code=sender_code,
        not_kept=tuple(not_kept + _requester_note(bundle, sr, request.path) + _consents(bundle)),
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


SENDER_RESOURCE = "urn:calaim:fhir:sender-resource"
"""Identifier system calaim keys a referral on when the ServiceRequest has no identifier."""


def _identifier(bundle: Bundle, request: Entry, source: str | None) -> tuple[str, str]:
    """The ServiceRequest's identifier; else (the IG does not require one) the sender plus the
    resource's fullUrl or id, so a re-sent Bundle finds the same referral."""
    sr: Any = request.resource
    for item in sr.identifier or []:
        if item.system and item.value:
            return str(item.system), str(item.value)
    key = request.full_url or (f"ServiceRequest/{sr.id}" if sr.id else None)
    if not key:
        raise FhirInputError(
            "give the referral an identifier (system and value), or the entry a fullUrl or the "
            "ServiceRequest an id, so a re-sent Bundle finds the same referral",
            field=f"{request.path}.identifier",
            source=source,
        )
    return SENDER_RESOURCE, f"{_sender(bundle, sr.requester)}|{key}"[:255]


def _sender(bundle: Bundle, requester: Any) -> str:
    """Who sent the referral: the requester's identifier, else its reference."""
    target = resolve(bundle, getattr(requester, "reference", None))
    for item in getattr(target.resource, "identifier", None) or [] if target else []:
        if item.system and item.value:
            return f"{item.system}|{item.value}"
    return str(getattr(requester, "reference", None) or "no-requester")


def _program(sr: Any, path: str, source: str | None) -> tuple[str, str | None]:
    """(program id, the sender's standard coding if that is what named it)."""
    for item in (sr.code.coding or []) if sr.code else []:
        if item.system == c.PROGRAM_SYSTEM and item.code:
            standard = program_of(sr.code)
            return str(item.code), standard.label if standard else None
    standard = program_of(sr.code)
    if standard is not None and standard.program is not None:
        return standard.program, standard.label
    if standard is not None and standard.candidates:
        listed = ", ".join(standard.candidates)
        message = (
            f"{standard.label} bills several programs ({listed}); add a coding with system "
            f"{c.PROGRAM_SYSTEM} naming the one meant"
        )
    elif standard is not None:
        message = (
            f"{standard.label} names no ECM or Community Supports program calaim knows; add a "
            f"coding with system {c.PROGRAM_SYSTEM} (`ecm` or a `cs.*` id) or use the "
            "program's HCPCS code"
        )
    else:
        message = (
            f"code needs a procedure coding (HCPCS, CPT or SNOMED CT) or a coding with system "
            f"{c.PROGRAM_SYSTEM} naming the program (`ecm` or a `cs.*` id)"
        )
    raise FhirInputError(message, field=f"{path}.code", source=source)


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


def _reasons(bundle: Bundle, sr: Any, path: str) -> tuple[str | None, list[str]]:
    """Free-text reasons and the reason Conditions' codes, as the referral's reason text.

    Coded reasonCodes in calaim's program system are calaim's determinations, recomputed on
    export; a reasonReference outside the Bundle cannot be read and is reported.
    """
    texts = [
        r.text
        for r in sr.reasonCode or []
        if r.text and not any(i.system == c.PROGRAM_SYSTEM for i in r.coding or [])
    ]
    not_kept = []
    for index, reference in enumerate(sr.reasonReference or []):
        target = resolve(bundle, reference.reference)
        where = f"{path}.reasonReference[{index}]"
        if target is None:
            not_kept.append(f"{where} ({reference.reference}): not in the Bundle, so not read")
            continue
        texts.append(_concept_text(getattr(target.resource, "code", None)) or "")
    joined = "; ".join(t for t in texts if t)
    if len(joined) > 200:
        not_kept.append(f"{path}.reasonCode: reasons beyond 200 characters were cut")
    return joined[:200] or None, not_kept


def _concept_text(concept: Any) -> str | None:
    if concept is None:
        return None
    coding = next(iter(concept.coding or []), None)
    label = concept.text or (coding.display if coding else None)
    if coding is not None and coding.code:
        system = "SNOMED CT" if coding.system == "http://snomed.info/sct" else coding.system
        return f"{label or coding.code} ({system} {coding.code})"
    return str(label) if label else None


def _requester_note(bundle: Bundle, sr: Any, path: str) -> list[str]:
    if sr.requester is None:
        return []
    target = resolve(bundle, sr.requester.reference)
    name = getattr(target.resource, "name", None) if target else None
    who = sr.requester.display or (name if isinstance(name, str) else None)
    who = who or sr.requester.reference or "the requester"
    return [
        f"{path}.requester ({who}): kept as the referral source kind only; the referring "
        "organization is the one that imports the Bundle"
    ]


def _consents(bundle: Bundle) -> list[str]:
    return [
        f"{entry.path} (Consent): not imported; calaim records consents itself (staff record "
        "42 CFR Part 2 consents in the member's record)"
        for entry in of_type(bundle, "Consent")
    ]


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
