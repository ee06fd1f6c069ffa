"""The SDOH Clinical Care IG's constraints on what calaim exports, written from the IG's
profile sources (HL7/fhir-sdoh-clinicalcare, input/fsh/profiles/SDOHCCServiceRequest.fsh and
SDOHCCTaskForReferralManagement.fsh, STU3 ballot source read 2026-12) and US Core 7.0.0
Patient / Organization. Each check returns the violations as "Type.element: what is wrong".
"""

from __future__ import annotations

from typing import Any

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
SDOHCC_CODES = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
# US Core Procedure Codes 7.0.0: SNOMED CT procedures, CPT, HCPCS Level II, ICD-10-PCS, CDT, LOINC.
PROCEDURE_SYSTEMS = {
    "http://snomed.info/sct",
    "http://www.ama-assn.org/go/cpt",
    "urn:oid:2.16.840.1.113883.6.285",
    "http://www.cms.gov/Medicare/Coding/ICD10",
    "http://ada.org/cdt",
    "http://loinc.org",
}
# SDOHCC-ValueSetSDOHCategory (the SDOHCC temporary codes for SDOH domains).
SDOH_CATEGORIES = {
    "food-insecurity", "housing-instability", "homelessness", "inadequate-housing",
    "transportation-insecurity", "financial-insecurity", "material-hardship",
    "educational-attainment", "employment-status", "veteran-status", "stress",
    "social-connection", "intimate-partner-violence", "elder-abuse", "personal-health-literacy",
    "health-insurance-coverage-status", "medical-cost-burden", "digital-literacy",
    "digital-access", "utility-insecurity", "incarceration-status", "language-access",
    "sdoh-category-unspecified",
}  # fmt: skip
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _profiles(resource: dict[str, Any]) -> list[str]:
    return list(resource.get("meta", {}).get("profile", []))


def _systems(concept: dict[str, Any] | None) -> set[str]:
    return {coding.get("system", "") for coding in (concept or {}).get("coding", [])}


def service_request(resource: dict[str, Any]) -> list[str]:
    found = []
    if SDOHCC + "SDOHCC-ServiceRequest" not in _profiles(resource):
        found.append("ServiceRequest.meta.profile: SDOHCC-ServiceRequest not claimed")
    for element in ("status", "intent", "code", "subject"):
        if element not in resource:
            found.append(f"ServiceRequest.{element}: required (US Core ServiceRequest)")
    if not _systems(resource.get("code")) & PROCEDURE_SYSTEMS:
        found.append("ServiceRequest.code: no coding from US Core Procedure Codes (required)")
    codes = {
        coding.get("code")
        for concept in resource.get("category", [])
        for coding in concept.get("coding", [])
        if coding.get("system") == SDOHCC_CODES
    }
    if codes - SDOH_CATEGORIES:
        found.append(f"ServiceRequest.category: {codes - SDOH_CATEGORIES} not SDOH categories")
    return found


def task(resource: dict[str, Any]) -> list[str]:
    found = []
    if SDOHCC + "SDOHCC-TaskForReferralManagement" not in _profiles(resource):
        found.append("Task.meta.profile: SDOHCC-TaskForReferralManagement not claimed")
    for element in ("code", "focus", "for", "authoredOn", "requester"):
        if element not in resource:
            found.append(f"Task.{element}: 1.. in SDOHCC-TaskForReferralManagement")
    if "statusReason" in resource and not resource["statusReason"].get("text"):
        found.append("Task.statusReason.text: 1.. when statusReason is sent")
    if resource.get("status") == "completed":
        outputs = [
            o
            for o in resource.get("output", [])
            if {"code": "resulting-activity", "system": SDOHCC_CODES}.items()
            <= (o.get("type", {}).get("coding") or [{}])[0].items()
        ]
        if not outputs:
            found.append("Task.output: a completed referral Task reports its resulting activity")
        for output in outputs:
            concept = output.get("valueCodeableConcept")
            if concept is not None and not _systems(concept) & PROCEDURE_SYSTEMS:
                found.append("Task.output.valueCodeableConcept: not a US Core Procedure Code")
    return found


def _present_or_absent(resource: dict[str, Any], element: str) -> bool:
    if resource.get(element):
        return True
    underscore = resource.get(f"_{element}", {})
    return any(e.get("url") == DATA_ABSENT for e in underscore.get("extension", []))


def patient(resource: dict[str, Any]) -> list[str]:
    found = []
    if US_CORE + "us-core-patient" not in _profiles(resource):
        found.append("Patient.meta.profile: us-core-patient not claimed")
    if not resource.get("identifier"):
        found.append("Patient.identifier: 1..* (US Core Patient)")
    names = resource.get("name", [])
    if not names or not all(
        n.get("family")
        or n.get("given")
        or any(e.get("url") == DATA_ABSENT for e in n.get("extension", []))
        for n in names
    ):
        found.append("Patient.name: family or given, or a data-absent-reason (us-core-6)")
    if not _present_or_absent(resource, "gender"):
        found.append("Patient.gender: 1..1 (US Core Patient)")
    return found


def organization(resource: dict[str, Any]) -> list[str]:
    found = []
    if US_CORE + "us-core-organization" not in _profiles(resource):
        found.append("Organization.meta.profile: us-core-organization not claimed")
    if not resource.get("name"):
        found.append("Organization.name: 1..1 (US Core Organization)")
    return found


CHECKS = {
    "ServiceRequest": service_request,
    "Task": task,
    "Patient": patient,
    "Organization": organization,
}


def violations(bundle: dict[str, Any]) -> list[str]:
    """Every constraint the Bundle's resources break (empty when they conform)."""
    found = []
    for entry in bundle["entry"]:
        check = CHECKS.get(entry["resource"]["resourceType"])
        if check is not None:
            found += check(entry["resource"])
    return found
