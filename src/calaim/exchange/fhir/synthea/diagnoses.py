"""ICD-10-CM diagnoses of a claim: Claim.diagnosis first, then the encounter's Conditions.

Only ICD-10-CM (or ICD-10) codings count; Synthea codes Conditions in SNOMED CT, and calaim
does not map SNOMED CT to ICD-10-CM (such Conditions are skipped and counted). Conditions that
are `entered-in-error` or `refuted` are skipped too. Codes are written without the dot.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry
from calaim.exchange.fhir.synthea.references import target
from calaim.exchange.fhir.synthea.values import codes, icd10

MAX_DIAGNOSES = 25
NOT_DIAGNOSED = frozenset(("entered-in-error", "refuted"))


def condition_code(condition: Any) -> str | None:
    """The Condition's ICD-10-CM code, unless it was refuted or entered in error."""
    if NOT_DIAGNOSED & set(codes(condition.verificationStatus)):
        return None
    return icd10(condition.code)


def by_encounter(
    bundle: Bundle, conditions: list[Entry], skipped: dict[str, int]
) -> dict[int, list[str]]:
    """ICD-10-CM codes of the Conditions, by the index of the Encounter they were noted at."""
    found: dict[int, list[str]] = {}
    for entry in conditions:
        condition: Any = entry.resource
        code = condition_code(condition)
        encounter = target(bundle, condition.encounter, f"{entry.path}.encounter", ("Encounter",))
        if code is None or encounter is None:
            why = "no ICD-10-CM code" if code is None else "no encounter"
            skipped[f"Condition ({why})"] = skipped.get(f"Condition ({why})", 0) + 1
            continue
        found.setdefault(encounter.index, []).append(code)
    return found


def claim_codes(bundle: Bundle, entry: Entry, noted: list[str]) -> list[str]:
    """The claim's diagnoses in sequence order, then `noted` ones; distinct, at most 25."""
    claim: Any = entry.resource
    listed: list[str] = []
    ordered = sorted(enumerate(claim.diagnosis or []), key=lambda pair: pair[1].sequence or 0)
    for index, diagnosis in ordered:
        code = icd10(diagnosis.diagnosisCodeableConcept)
        path = f"{entry.path}.diagnosis[{index}].diagnosisReference"
        condition = target(bundle, diagnosis.diagnosisReference, path, ("Condition",))
        if code is None and condition is not None:
            code = condition_code(condition.resource)
        if code:
            listed.append(code)
    return list(dict.fromkeys(listed + noted))[:MAX_DIAGNOSES]
