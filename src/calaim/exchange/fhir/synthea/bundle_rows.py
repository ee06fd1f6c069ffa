"""One Synthea Bundle -> eligibility spans and claim lines (rows of contract columns).

Every Patient of the Bundle is a person (Synthea writes one per Bundle). Coverage, Claim,
ExplanationOfBenefit, Encounter and Condition entries are attached to their Patient through
their references; other resource types are skipped (counted by type).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry, entries
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.claims import Context, claim_lines, encounter_lines
from calaim.exchange.fhir.synthea.coverage import spans
from calaim.exchange.fhir.synthea.diagnoses import by_encounter
from calaim.exchange.fhir.synthea.eob_coverage import medicaid_spans, paid_claims
from calaim.exchange.fhir.synthea.patients import person_row
from calaim.exchange.fhir.synthea.references import target

USED = ("Patient", "Coverage", "Claim", "ExplanationOfBenefit", "Encounter", "Condition")
# The reference that ties each used type to its Patient.
OWNER = {
    "Coverage": "beneficiary",
    "Claim": "patient",
    "ExplanationOfBenefit": "patient",
    "Encounter": "subject",
    "Condition": "subject",
}


DIRECTORY_TYPES = frozenset(("Organization", "Location", "Practitioner", "PractitionerRole"))
DIRECTORY_FILE = (
    "file of organizations and practitioners (hospitalInformation, practitionerInformation)"
)


def _is_directory(bundle: Bundle) -> bool:
    """Synthea's hospitalInformation / practitionerInformation files: no Patient, only the
    organizations, locations and practitioners the patients' Bundles refer to."""
    kinds = {entry.resource.get_resource_type() for entry in entries(bundle)}
    return bool(kinds) and kinds <= DIRECTORY_TYPES


@dataclass(frozen=True)
class Defaults:
    """What to assume where a Bundle is silent (the importer's --county and --payer)."""

    county: str | None = None
    payer: str | None = None


@dataclass
class BundleRows:
    """What one Bundle gives: people, spans, lines, and skipped resources by type."""

    persons: list[str] = field(default_factory=list)
    eligibility: list[dict[str, str]] = field(default_factory=list)
    claim_lines: list[dict[str, str]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def bundle_rows(bundle: Bundle, defaults: Defaults) -> BundleRows:
    """The rows of every Patient of the Bundle (located errors name the entry's JSON path)."""
    rows = BundleRows()
    patients = [e for e in entries(bundle) if e.resource.get_resource_type() == "Patient"]
    if not patients and _is_directory(bundle):
        rows.skipped[DIRECTORY_FILE] = 1
        return rows
    if not patients:
        raise FhirInputError(
            "the Bundle has no Patient entry; send one Bundle per patient", field="entry"
        )
    owned = _by_patient(bundle, rows.skipped)
    for patient in patients:
        _patient_rows(bundle, patient, owned.get(patient.index, {}), defaults, rows)
    return rows


def _by_patient(bundle: Bundle, skipped: dict[str, int]) -> dict[int, dict[str, list[Entry]]]:
    """Used entries grouped by the index of their Patient, then by resource type."""
    owned: dict[int, dict[str, list[Entry]]] = {}
    for entry in entries(bundle):
        kind = entry.resource.get_resource_type()
        if kind not in USED:
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        if kind == "Patient":
            continue
        element = OWNER[kind]
        reference: Any = getattr(entry.resource, element)
        owner = target(bundle, reference, f"{entry.path}.{element}", ("Patient",))
        if owner is None:
            raise FhirInputError(
                f"the {kind} names no Patient; set {element}.reference to the Patient's fullUrl",
                field=f"{entry.path}.{element}",
            )
        owned.setdefault(owner.index, {}).setdefault(kind, []).append(entry)
    return owned


def _patient_rows(
    bundle: Bundle,
    patient: Entry,
    owned: dict[str, list[Entry]],
    defaults: Defaults,
    rows: BundleRows,
) -> None:
    """Add one Patient's spans and claim lines to `rows`."""
    person = person_row(patient, defaults.county)
    rows.persons.append(person["person_id"])
    found = spans(bundle, owned.get("Coverage", []), rows.skipped)
    for span in found:
        member_id = person["member_id"] or span.pop("subscriber_id")
        span.pop("subscriber_id", None)
        rows.eligibility.append({**person, **span, "member_id": member_id})
    first_line = len(rows.claim_lines)
    ctx = Context(
        bundle=bundle,
        person_id=person["person_id"],
        noted=by_encounter(bundle, owned.get("Condition", []), rows.skipped),
        eobs=_eobs(bundle, owned.get("ExplanationOfBenefit", [])),
        skipped=rows.skipped,
    )
    for claim in owned.get("Claim", []):
        rows.claim_lines.extend(claim_lines(ctx, claim))
    for encounter in owned.get("Encounter", []):
        if encounter.index not in ctx.claimed:
            rows.claim_lines.extend(encounter_lines(ctx, encounter))
    if not found:
        _claims_or_default_spans(person, owned, rows, first_line, defaults.payer)


def _claims_or_default_spans(
    person: dict[str, str],
    owned: dict[str, list[Entry]],
    rows: BundleRows,
    first_line: int,
    payer: str | None,
) -> None:
    """Spans from who paid the claims (eob_coverage.py), else the --payer default span."""
    paid = paid_claims(owned.get("ExplanationOfBenefit", []))
    if not paid:
        _default_span(person, rows.claim_lines[first_line:], payer, rows)
        return
    for claim in paid:
        if not claim.medicaid:
            key = f"ExplanationOfBenefit (paid by {claim.payer}: no Medi-Cal enrollment)"
            rows.skipped[key] = rows.skipped.get(key, 0) + 1
    found = medicaid_spans(paid, person["death_date"], payer)
    if not found:
        key = "Patient (no claim paid by Medicaid: not enrolled)"
        rows.skipped[key] = rows.skipped.get(key, 0) + 1
    rows.eligibility.extend({**person, **span} for span in found)


def _default_span(
    person: dict[str, str], lines: list[dict[str, str]], payer: str | None, rows: BundleRows
) -> None:
    """With --payer, a patient without Coverage is enrolled from the first claim (else birth)
    to death, open-ended; without it, the patient is counted as not enrolled."""
    if payer is None:
        rows.skipped["Patient (no Coverage: not enrolled)"] = (
            rows.skipped.get("Patient (no Coverage: not enrolled)", 0) + 1
        )
        return
    starts = [line["claim_start_date"] for line in lines if line["claim_start_date"]]
    span = {
        "enrollment_start_date": min(starts, default=person["birth_date"]),
        "enrollment_end_date": person["death_date"],
        "payer": payer,
        "plan": "",
    }
    rows.eligibility.append({**person, **span})


def _eobs(bundle: Bundle, eobs: list[Entry]) -> dict[int, Any]:
    """ExplanationOfBenefit by the entry index of the Claim it adjudicates."""
    found: dict[int, Any] = {}
    for entry in eobs:
        claim = target(bundle, entry.resource.claim, f"{entry.path}.claim", ("Claim",))  # type: ignore[attr-defined]
        if claim is not None:
            found[claim.index] = entry.resource
    return found
