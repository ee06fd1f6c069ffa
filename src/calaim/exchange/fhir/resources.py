"""calaim rows -> FHIR R4 resources as JSON dicts (validated later as one R4B Bundle)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from calaim.exchange.fhir import codes as c
from calaim.ops.members.languages import language_name
from calaim.ops.models import CarePlan, Member, Organization, Part2Consent

# Stable ids for resources calaim has no row for (Coverage, Goal): derived from the row's id.
_NAMESPACE = uuid.UUID("6f0f1d2e-8c1a-4c55-9a57-2f3b8c0d4e11")
_SEX = {"F": "female", "M": "male", "U": "unknown", "X": "other"}


def derived_id(base: uuid.UUID, kind: str) -> str:
    """A stable id for a resource derived from a calaim row."""
    return str(uuid.uuid5(_NAMESPACE, f"{base}:{kind}"))


def ref(resource_type: str, resource_id: object) -> dict[str, str]:
    """A Reference to an entry of the same Bundle (by its urn:uuid fullUrl)."""
    return {"reference": f"urn:uuid:{resource_id}", "type": resource_type}


def instant(moment: dt.datetime) -> str:
    """A FHIR dateTime in UTC (SQLite returns naive datetimes, which calaim stores as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def meta(resource_type: str) -> dict[str, Any]:
    """`meta.profile` for resource types calaim claims a profile for."""
    profile = c.PROFILES.get(resource_type)
    return {"meta": {"profile": [profile]}} if profile else {}


def organization(org: Organization) -> dict[str, Any]:
    """An Organization, known by calaim's id (and a plan's code)."""
    identifiers = [c.identifier(c.ORGANIZATION_ID, str(org.id))]
    if org.plan_code:
        identifiers.append(c.identifier(c.PLAN_CODE, org.plan_code))
    return {
        "resourceType": "Organization",
        "id": str(org.id),
        **meta("Organization"),
        "identifier": identifiers,
        "active": True,
        "name": org.name,
        "type": [{"text": org.kind}],
    }


def patient(member: Member, *, details: bool) -> dict[str, Any]:
    """A Patient; without `details` (referrers see no member rows) an opaque one that still
    meets US Core Patient: an opaque identifier, and name and gender marked masked."""
    if not details:
        masked = {"extension": [{"url": c.DATA_ABSENT_REASON, "valueCode": "masked"}]}
        return {
            "resourceType": "Patient",
            "id": str(member.id),
            **meta("Patient"),
            "identifier": [c.identifier(c.MEMBER_REF, str(member.id))],
            "name": [masked],
            "_gender": masked,
        }
    out: dict[str, Any] = {"resourceType": "Patient", "id": str(member.id), **meta("Patient")}
    out["identifier"] = [c.identifier(c.PERSON_ID, member.person_id)]
    if member.cin:
        out["identifier"].append(c.identifier(c.CIN_SYSTEM, member.cin))
    out["name"] = [{"family": member.last_name, "given": [member.first_name]}]
    if member.phone:
        out["telecom"] = [{"system": "phone", "value": member.phone}]
    out["gender"] = _SEX.get((member.sex or "").upper(), "unknown")
    out["birthDate"] = member.birth_date.isoformat()
    address: dict[str, Any] = {"district": member.county, "state": "CA"}
    if member.address_line:
        address["line"] = [member.address_line]
    address.update({k: v for k, v in (("city", member.city), ("postalCode", member.zip_code)) if v})
    out["address"] = [address]
    if member.language:
        # The stored ISO 639 code as a BCP 47 coding, with the name people read.
        name = language_name(member.language)
        coding = {"system": "urn:ietf:bcp:47", "code": member.language, "display": name}
        out["communication"] = [{"language": {"coding": [coding], "text": name}, "preferred": True}]
    return out


def coverage(member: Member) -> dict[str, Any]:
    """The member's Medi-Cal managed care coverage with the plan as payor."""
    plan_class = {"type": c.concept(c.COVERAGE_CLASS, "plan"), "value": member.payer}
    out: dict[str, Any] = {
        "resourceType": "Coverage",
        "id": derived_id(member.id, "coverage"),
        **meta("Coverage"),
        "status": "active",
        "type": {"text": "Medi-Cal managed care"},
        "beneficiary": ref("Patient", member.id),
        "payor": [ref("Organization", member.plan_organization_id)],
        "class": [plan_class],
    }
    if member.cin:
        out["subscriberId"] = member.cin
    return out


def part2_consent(consent: Part2Consent) -> dict[str, Any]:
    """A 42 CFR Part 2 consent: the member permits one organization to receive SUD records."""
    period: dict[str, str] = {"start": consent.granted_on.isoformat()}
    end = consent.revoked_on or consent.expires_on
    if end is not None:
        period["end"] = end.isoformat()
    return {
        "resourceType": "Consent",
        "id": str(consent.id),
        "status": "inactive" if consent.revoked_on else "active",
        "scope": c.concept(c.CONSENT_SCOPE, "patient-privacy"),
        "category": [c.concept(c.LOINC, "59284-0", "Patient Consent")],
        "patient": ref("Patient", consent.member_id),
        "dateTime": instant(consent.recorded_at),
        "policy": [{"uri": c.PART2_POLICY}],
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": c.concept(c.V3_ACT_CODE, "IRCP", "information recipient"),
                    "reference": ref("Organization", consent.organization_id),
                }
            ],
            "securityLabel": [c.coding(c.V3_ACT_CODE, "42CFRPart2")],
        },
    }


def care_plan(plan: CarePlan, member_id: uuid.UUID) -> list[dict[str, Any]]:
    """A CarePlan (US Core assess-plan) and one SDOHCC Goal per goal of the care plan."""
    goals = [_goal(plan, member_id, index, goal) for index, goal in enumerate(plan.goals or [])]
    activities = [
        {"detail": {"status": "scheduled", "description": str(i.get("description"))}}
        for i in plan.interventions or []
    ]
    out: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(plan.id),
        **meta("CarePlan"),
        "text": {
            "status": "generated",
            "div": '<div xmlns="http://www.w3.org/1999/xhtml">ECM care plan</div>',
        },
        "status": "active",
        "intent": "plan",
        "category": [c.concept(c.CAREPLAN_CATEGORY, "assess-plan")],
        "subject": ref("Patient", member_id),
        "goal": [ref("Goal", g["id"]) for g in goals],
    }
    if plan.latest_revision_on:
        out["period"] = {"start": plan.latest_revision_on.isoformat()}
    if activities:
        out["activity"] = activities
    return [out, *goals]


def _goal(plan: CarePlan, member_id: uuid.UUID, index: int, goal: dict[str, Any]) -> dict[str, Any]:
    achieved = str(goal.get("status", "")).lower() in {"met", "achieved", "completed"}
    out: dict[str, Any] = {
        "resourceType": "Goal",
        "id": derived_id(plan.id, f"goal-{index}"),
        **meta("Goal"),
        "lifecycleStatus": "completed" if achieved else "active",
        "description": {"text": str(goal.get("description", ""))},
        "subject": ref("Patient", member_id),
    }
    if goal.get("target_date"):
        out["target"] = [{"dueDate": str(goal["target_date"])}]
    return out
