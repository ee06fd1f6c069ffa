"""Code systems, identifier systems and profiles the FHIR exchange uses.

Standard (HL7, US Core, SDOH Clinical Care IG, LOINC, v3) systems are named as published.
calaim's own systems (program ids, referral sources, internal ids) are URNs under `urn:calaim:`
and are calaim's choice (confidence: assumption): no standard code names an ECM Population of
Focus or a CalAIM Community Support, so partners must agree on these.
"""

from __future__ import annotations

from typing import Any

# --- Profiles claimed in meta.profile (SDOH Clinical Care IG STU2, US Core). Goal, Coverage and
# Consent are base R4 resources: calaim does not fill every element their profiles require.
SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
PROFILES: dict[str, str] = {
    "ServiceRequest": SDOHCC + "SDOHCC-ServiceRequest",
    "Task": SDOHCC + "SDOHCC-TaskForReferralManagement",
    "Patient": US_CORE + "us-core-patient",
    "CarePlan": US_CORE + "us-core-careplan",
    "Organization": US_CORE + "us-core-organization",
}

# --- Standard code systems ----------------------------------------------------------------------
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
SDOHCC_CODES = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
LOINC = "http://loinc.org"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ACT_ENCOUNTER = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
PART2_POLICY = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"

# --- calaim's own systems (assumption) ----------------------------------------------------------
PROGRAM_SYSTEM = "urn:calaim:fhir:CodeSystem:program"
SOURCE_SYSTEM = "urn:calaim:fhir:CodeSystem:referral-source"
BUSINESS_STATUS_SYSTEM = "urn:calaim:fhir:CodeSystem:referral-status"
REFERRAL_ID = "urn:calaim:referral-id"
ORGANIZATION_ID = "urn:calaim:organization-id"
PLAN_CODE = "urn:calaim:plan-code"
PERSON_ID = "urn:calaim:person-id"
MEMBER_REF = "urn:calaim:member-ref"
"""An opaque member reference (calaim's member id), for those who may not see member details."""
# The Medi-Cal Client Index Number; DHCS publishes no URI for it, so calaim names one.
CIN_SYSTEM = "urn:calaim:medi-cal-cin"

# The SDOH domain of each Community Support (SDOHCC temporary codes, VERIFIED in the IG's
# SDOHCC-ValueSetSDOHCategory); anything else is `sdoh-category-unspecified`.
SDOH_DOMAIN: dict[str, str] = {
    "cs.housing_transition_navigation": "homelessness",
    "cs.housing_deposits": "housing-instability",
    "cs.housing_tenancy_sustaining": "housing-instability",
    "cs.short_term_post_hospitalization_housing": "homelessness",
    "cs.recuperative_care": "homelessness",
    "cs.transitional_rent": "housing-instability",
    "cs.medically_tailored_meals": "food-insecurity",
    "cs.asthma_remediation": "inadequate-housing",
}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A Coding as JSON (display only when given)."""
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A CodeableConcept with one coding."""
    return {"coding": [coding(system, code, display)]}


def sdoh_categories(program_id: str) -> list[dict[str, Any]]:
    """ServiceRequest.category: US Core `sdoh` plus the program's SDOH domain."""
    domain = SDOH_DOMAIN.get(program_id, "sdoh-category-unspecified")
    return [concept(US_CORE_CATEGORY, "sdoh", "SDOH"), concept(SDOHCC_CODES, domain)]


def identifier(system: str, value: str) -> dict[str, str]:
    """An Identifier as JSON."""
    return {"system": system, "value": value}
