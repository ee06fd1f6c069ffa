"""ICD-10-CM diagnoses of a claim: Claim.diagnosis first, then the encounter's Conditions.

An ICD-10-CM (or ICD-10) coding is used as is; otherwise a SNOMED CT coding is mapped through
snomed.py (Synthea codes Conditions in SNOMED CT). A Condition with neither is skipped and
counted, by SNOMED CT code when it has one, so the summary lists what stays unmapped.
Conditions that are `entered-in-error` or `refuted` are skipped too. Codes are written without
the dot.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry
from calaim.exchange.fhir.synthea.references import target
from calaim.exchange.fhir.synthea.snomed import SNOMED_SYSTEM, to_icd10cm
from calaim.exchange.fhir.synthea.values import codes, icd10

MAX_DIAGNOSES = 25
NOT_DIAGNOSED = frozenset(("entered-in-error", "refuted"))


def condition_code(condition: Any) -> str | None:
    """The Condition's ICD-10-CM code, unless it was refuted or entered in error."""
    if NOT_DIAGNOSED & set(codes(condition.verificationStatus)):
        return None
    return concept_code(condition.code)


def concept_code(concept: Any) -> str | None:
    """ICD-10-CM of a CodeableConcept: its own ICD-10-CM coding, else a mapped SNOMED CT one."""
    found = icd10(concept)
    if found is not None:
        return found
    for snomed in codes(concept, frozenset((SNOMED_SYSTEM,))):
        mapped = to_icd10cm(snomed)
        if mapped is not None:
            return mapped
    return None


def unmapped_reason(condition: Any) -> str:
    """Why a Condition gave no code, naming its SNOMED CT concept when it has one."""
    if NOT_DIAGNOSED & set(codes(condition.verificationStatus)):
        return "refuted or entered in error"
    snomed = codes(condition.code, frozenset((SNOMED_SYSTEM,)))
    if not snomed:
        return "no ICD-10-CM code"
    display = next(
        (str(c.display) for c in condition.code.coding or [] if str(c.code) == snomed[0]), ""
    )
    return f"SNOMED CT {snomed[0]} {display}: not mapped".replace("  ", " ")


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
            why = unmapped_reason(condition) if code is None else "no encounter"
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
        code = concept_code(diagnosis.diagnosisCodeableConcept)
        path = f"{entry.path}.diagnosis[{index}].diagnosisReference"
        condition = target(bundle, diagnosis.diagnosisReference, path, ("Condition",))
        if code is None and condition is not None:
            code = condition_code(condition.resource)
        if code:
            listed.append(code)
    return list(dict.fromkeys(listed + noted))[:MAX_DIAGNOSES]
