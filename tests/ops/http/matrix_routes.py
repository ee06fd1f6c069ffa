"""Every operation of the app's OpenAPI document, turned into requests aimed at a tenant's records.

Nothing here lists endpoints by hand: operations come from the app. What is hand-written is how
to aim each kind of input at a tenant (path ids, list filters, request bodies); an operation
whose input has no such mapping yet is a `MatrixGap`, and the matrix fails naming it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.models import Role

from .conftest import NOW, SECRET
from .matrix_world import Api, Tenant

TODAY = NOW.date()
LATER = str(TODAY + dt.timedelta(days=30))

# Path parameter → the kind of record (a key of `Tenant.ids`) it names.
PATH_KINDS = {
    "member_id": "member",
    "referral_id": "referral",
    "enrollment_id": "enrollment",
    "authorization_id": "authorization",
    "episode_id": "episode",
    "notice_id": "notice",
    "consent_id": "consent",
    "request_id": "consent_request",
    "report_id": "roster_report",
    "user_id": "user",
    "attachment_id": "attachment",
    "application_id": "application",
    "line_id": "application_line",
    "case_id": "reentry_case",
}
# Query filter → the tenant's value for it (filters not listed here are not tenant data).
QUERY_VALUES: dict[str, Callable[[Tenant], str]] = {
    "member_id": lambda t: t.ids["member"],
    "subject_id": lambda t: t.ids["referral_ecm"],
    "authorization_id": lambda t: t.ids["authorization_cs"],
    "person_id": lambda t: t.member.person_id,
    "cin": lambda t: t.member.cin or "",
    # Search: the target's member by CIN (nothing found for anyone but its own plan's users).
    "q": lambda t: t.member.cin or "",
    # Exchange file export: which layout and month (not tenant data; a plan exports its MIF).
    "layout": lambda t: "mif",
    "reporting_period": lambda t: TODAY.strftime("%Y-%m"),
}
# The record whose version an If-Match names, where it is not the path's record.
IF_MATCH_KINDS = {"/care-plans/{enrollment_id}": "care_plan"}

Body = Callable[[Tenant, Tenant], Any]


def fhir_bundle(referral_id: str) -> dict[str, Any]:
    """A referral Bundle naming `referral_id` as its identifier, for a member nobody has."""
    patient = {
        "resourceType": "Patient",
        "id": "p",
        "birthDate": "1901-01-01",
        "identifier": [{"system": "urn:calaim:medi-cal-cin", "value": "00000000X"}],
    }
    request = {
        "resourceType": "ServiceRequest",
        "id": "s",
        "status": "active",
        "intent": "order",
        "identifier": [{"system": "urn:calaim:referral-id", "value": referral_id}],
        "code": {"coding": [{"system": "urn:calaim:fhir:CodeSystem:program", "code": "ecm"}]},
        "subject": {"reference": "Patient/p"},
    }
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": request}, {"resource": patient}]}  # fmt: skip


ADULT_QUESTIONS = [
    "harm_now",
    "crisis_now",
    "distress",
    "impairment",
    "psychosis",
    "hospitalized",
    "recent_crisis",
    "past_treatment",
    "medication",
    "substance_use",
]
CARE = {"assessment_started_on": str(TODAY), "goals": [{"description": "Another goal"}]}
# (method, path) → a well-formed body from the caller's tenant (first) aimed at the target's.
BODIES: dict[tuple[str, str], Body] = {
    ("POST", "/auth/token"): lambda a, t: {
        "email": next(iter(t.users.values())).email,
        "password": "not-the-password",
    },
    # Changing one's own password names nothing of the target's (a wrong current password).
    ("POST", "/auth/password"): lambda a, t: {
        "current_password": "not-the-password",
        "new_password": "a long enough new passphrase",
    },
    # Own-plan create: a member only the caller's plan could own (nothing of the target's).
    ("POST", "/members"): lambda a, t: {
        "person_id": f"NEW{a.member.person_id}",
        "first_name": "New",
        "last_name": "Member",
        "birth_date": "1990-01-01",
        "county": "Los Angeles",
    },
    ("PATCH", "/members/{member_id}"): lambda a, t: {"last_name": "Renamed"},
    ("POST", "/referrals"): lambda a, t: {
        "member_id": t.ids["member2"],
        "program_id": "cs.day_habilitation",
        "source_kind": "provider",
    },
    ("POST", "/referrals/{referral_id}/events"): lambda a, t: {
        "event": "decline",
        "reason": "member_declined",
    },
    ("POST", "/referrals/{referral_id}/route"): lambda a, t: {
        "receiving_organization_id": str(t.orgs["ecm"])
    },
    # FHIR: a Bundle whose ServiceRequest carries B's referral id (imports never resolve it)
    # for a member nobody has; a Task update of B's referral.
    ("POST", "/fhir/Bundle"): lambda a, t: fhir_bundle(t.ids["referral"]),
    ("PUT", "/fhir/referrals/{referral_id}/task"): lambda a, t: {
        "resourceType": "Task",
        "status": "accepted",
        "intent": "order",
    },
    # member2 has no ECM authorization: the plan's override (with its reason) lets it through.
    ("POST", "/assignments"): lambda a, t: {
        "member_id": t.ids["member2"],
        "authorization_override_reason": "assigned ahead of the authorization",
    },
    ("POST", "/assignments/override"): lambda a, t: {
        "member_id": t.ids["member2"],
        "provider_organization_id": str(t.orgs["ecm"]),
        "why": "the member asked for this provider",
        "authorization_override_reason": "assigned ahead of the authorization",
    },
    ("POST", "/assignments/provider-change"): lambda a, t: {
        "member_id": t.ids["member"],
        "provider_organization_id": str(t.orgs["ecm"]),
        "version": int(t.versions["enrollment"]),
    },
    ("POST", "/enrollments/{enrollment_id}/enroll"): lambda a, t: {
        "lead_care_manager_user_id": str(next(iter(t.users.values())).id),
        "acuity": "low",
        "enrolled_on": str(TODAY),
    },
    ("POST", "/enrollments/{enrollment_id}/discontinue"): lambda a, t: {
        "reason_code": "goals_met",
        "discontinued_on": str(TODAY),
    },
    ("POST", "/enrollments/{enrollment_id}/lead-care-manager"): lambda a, t: {
        "user_id": str(next(iter(t.users.values())).id)
    },
    ("POST", "/enrollments/{enrollment_id}/acuity"): lambda a, t: {"acuity": "low"},
    ("POST", "/enrollments/{enrollment_id}/outreach-attempts"): lambda a, t: {
        "attempted_on": str(TODAY),
        "method": "phone",
        "successful": False,
        "minutes": 5,
    },
    ("POST", "/care-plans/{enrollment_id}"): lambda a, t: CARE,
    ("PUT", "/care-plans/{enrollment_id}"): lambda a, t: CARE,
    ("POST", "/authorizations"): lambda a, t: {
        "member_id": t.ids["member2"],
        "program_id": "cs.day_habilitation",
    },
    ("POST", "/authorizations/{authorization_id}/approve"): lambda a, t: {
        "start_date": str(TODAY),
        "end_date": LATER,
    },
    ("POST", "/authorizations/{authorization_id}/deny"): lambda a, t: {
        "reason_code": "not_eligible",
        "reason": "does not meet the criteria",
    },
    ("POST", "/authorizations/{authorization_id}/withdraw"): lambda a, t: {"reason": "not needed"},
    ("POST", "/authorizations/{authorization_id}/reauthorize"): lambda a, t: {},
    ("POST", "/service-episodes"): lambda a, t: {
        "authorization_id": t.ids["authorization_cs"],
        "started_on": str(TODAY),
    },
    ("POST", "/service-episodes/{episode_id}/deliveries"): lambda a, t: {
        "service_date": str(TODAY),
        "units": "1",
    },
    ("POST", "/member-accounts"): lambda a, t: {
        "member_id": t.ids["member"],
        "email": f"member-{uuid.uuid4().hex[:10]}@example.org",
        "name": "Account Holder",
        "holder": "representative",
    },
    ("POST", "/part2-consents"): lambda a, t: {
        "member_id": t.ids["member"],
        "organization_id": str(a.orgs["ecm"]),
        "granted_on": str(TODAY),
        "expires_on": LATER,
        "document_reference": "P2-0002",
        "scope": "SUD eligibility and treatment",
        "request_id": t.ids["consent_request"],
    },
    ("POST", "/part2-consents/requests"): lambda a, t: {
        "member_id": t.ids["member"],
        "purpose": "care coordination",
    },
    ("POST", "/part2-consents/requests/{request_id}/decline"): lambda a, t: {"note": "declined"},
    ("POST", "/part2-consents/{consent_id}/revoke"): lambda a, t: {"revoked_on": str(TODAY)},
    # Exchange file import is a multipart upload of the caller's own file: nothing of B's.
    ("POST", "/exchange/files/import"): lambda a, t: {},
    # Billing: the target's enrollment; runs, 835 uploads and billing details act on the
    # caller's own organization only, so nothing of the target is named.
    ("POST", "/billing/encounters"): lambda a, t: {
        "enrollment_id": t.ids["enrollment"],
        "service_date": str(TODAY),
        "mode": "in_person",
        "staff_kind": "non_clinical",
        "minutes": 30,
    },
    ("POST", "/billing/runs"): lambda a, t: {"period": TODAY.strftime("%Y-%m")},
    ("POST", "/billing/remittances"): lambda a, t: {},
    ("POST", "/billing/exports/837"): lambda a, t: {"period": TODAY.strftime("%Y-%m")},
    ("POST", "/billing/exports/invoice"): lambda a, t: {"period": TODAY.strftime("%Y-%m")},
    ("PUT", "/billing/profile"): lambda a, t: {
        "tin": "953456789",
        "address_line": "1 Main St",
        "city": "Los Angeles",
        "state": "CA",
        "zip_code": "900121234",
        "phone": "2135550100",
    },
    # A multipart upload: the matrix sends JSON, so this is the form-less refusal (nothing of
    # the target's can be named in a roster upload but its people, whom linkage never sees).
    ("POST", "/exchange/rosters"): lambda a, t: {},
    # Messages and files on the target's referral or member; capacity is the caller's own.
    ("POST", "/messages/referrals/{referral_id}"): lambda a, t: {"body": "Can we talk?"},
    ("POST", "/messages/members/{member_id}"): lambda a, t: {"body": "Can we talk?"},
    ("POST", "/attachments/referrals/{referral_id}"): lambda a, t: {},
    ("PUT", "/capacity"): lambda a, t: {"capacity": 25, "beds_available": 2, "waitlist": 0},
    # The inbox is the caller's own: nothing of the target's can be named in it.
    ("PUT", "/notifications/email"): lambda a, t: {"email_opt_in": False},
    # The caller's own profile and applications (nothing of the target's can be named but the
    # line it decides); the profile keeps the world's languages, programs and counties.
    ("PUT", "/providers/profile"): lambda a, t: {
        "languages": ["es", "en"],
        "programs_served": ["ecm.homeless_adult", "cs.recuperative_care"],
        "counties": ["Los Angeles"],
        "capacity": 25,
        "npi": "1234567893",
    },
    ("POST", "/providers/profile/credentials"): lambda a, t: {
        "kind": "insurance",
        "credential_type": "general_liability",
        "label": "General liability",
        "expires_on": LATER,
    },
    ("POST", "/providers/profile/sites"): lambda a, t: {
        "name": "Main office",
        "address_line": "1 Main St",
        "city": "Los Angeles",
        "county": "Los Angeles",
        "zip_code": "90012",
    },
    ("POST", "/providers/applications"): lambda a, t: {
        "plan_codes": [a.plan.plan_code],
        "programs": ["ecm"],
        "counties": ["Los Angeles"],
    },
    ("POST", "/providers/applications/lines/{line_id}/decision"): lambda a, t: {
        "decision": "approved",
        "version": 1,
    },
    # A network lead's month (its own claims and members: nothing of the target's).
    ("POST", "/network/claims/attribute"): lambda a, t: {"period": TODAY.strftime("%Y-%m")},
    ("POST", "/network/distributions"): lambda a, t: {"period": TODAY.strftime("%Y-%m")},
    # Scoring names nothing of anyone's: every question of the adult tool answered no.
    ("POST", "/screenings/score"): lambda a, t: {
        "tool": "adult",
        "answers": dict.fromkeys(ADULT_QUESTIONS, False),
    },
    # Reentry: a case opened by id of the target's member (card look-ups cross plans by
    # design, like referrals); each step aimed at the target's case.
    ("POST", "/reentry/cases"): lambda a, t: {
        "member_id": t.ids["member2"],
        "expected_release_on": LATER,
    },
    ("POST", "/reentry/cases/{case_id}/medi-cal"): lambda a, t: {
        "status": "suspended",
        "applied_on": str(TODAY),
    },
    ("POST", "/reentry/cases/{case_id}/providers"): lambda a, t: {
        "post_release_provider_id": str(t.orgs["ecm"])
    },
    ("POST", "/reentry/cases/{case_id}/assessment"): lambda a, t: {
        "assessed_on": str(TODAY),
        "needs": ["housing"],
    },
    ("POST", "/reentry/cases/{case_id}/care-plan"): lambda a, t: {
        "written_on": str(TODAY),
        "goals": [{"description": "A bed"}],
    },
    ("POST", "/reentry/cases/{case_id}/handoff"): lambda a, t: {"held_on": str(TODAY)},
    ("POST", "/reentry/cases/{case_id}/release-supply"): lambda a, t: {"medication_days": 30},
    ("POST", "/reentry/cases/{case_id}/release-date"): lambda a, t: {
        "expected_release_on": LATER,
        "reason": "hearing moved",
    },
    ("POST", "/reentry/cases/{case_id}/release"): lambda a, t: {"released_on": str(TODAY)},
    ("POST", "/service-episodes/{episode_id}/close"): lambda a, t: {
        "ended_on": str(TODAY),
        "reason": "recovered",
    },
}


class MatrixGap(Exception):
    """An operation has an input the matrix does not yet know how to aim at a tenant."""


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the OpenAPI document describes it."""

    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    has_body: bool
    if_match: bool
    is_page: bool

    @property
    def label(self) -> str:
        """`METHOD /path/{param}`, as failures name it."""
        return f"{self.method} {self.path}"


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    """An `Operation` from its OpenAPI object."""
    params = spec.get("parameters", [])
    in_path = tuple(p["name"] for p in params if p["in"] == "path")
    query = tuple(p["name"] for p in params if p["in"] == "query")
    ok = spec.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    ref = str(ok.get("schema", {}).get("$ref", ""))
    return Operation(
        method=method.upper(),
        path=path,
        path_params=in_path,
        query_params=query,
        has_body="requestBody" in spec,
        if_match=any(p["name"] == "If-Match" and p["in"] == "header" for p in params),
        is_page=ref.split("/")[-1].startswith("Page_"),
    )


def operations() -> list[Operation]:
    """Every operation of the app, from its OpenAPI document."""
    app = build_app(create_engine("sqlite://"), clock=lambda: NOW, signer=TokenSigner(SECRET))
    document = app.openapi()
    return [
        _operation(path, method, spec)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]


# Where each versioned kind of record is read (by its own plan) to learn its version.
VERSION_PATHS = {
    "member": "/members/{member}",
    "referral": "/referrals/{referral}",
    "enrollment": "/enrollments/{enrollment}",
    "authorization": "/authorizations/{authorization}",
    "episode": "/service-episodes/{episode}",
    "care_plan": "/care-plans/{enrollment}",
    "reentry_case": "/reentry/cases/{reentry_case}",
}


def record_versions(api: Api, tenant: Tenant) -> None:
    """The current version of each versioned record, read by the tenant's own plan."""
    for kind, template in VERSION_PATHS.items():
        body = api.call(Role.PLAN_CARE_COORDINATION, "GET", template.format(**tenant.ids))
        tenant.versions[kind] = str(body["version"])


@dataclass(frozen=True)
class Call:
    """One concrete request of an operation."""

    operation: Operation
    path: str
    params: dict[str, str]
    body: Any
    headers: dict[str, str]

    @property
    def label(self) -> str:
        """Method, path and query, as failures name it."""
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.operation.method} {self.path}" + (f"?{query}" if query else "")

    def text(self) -> str:
        """Everything the caller sends, as one string (to tell what it already knew)."""
        return json.dumps([self.path, self.params, self.body, self.headers])


def _path(op: Operation, target: Tenant) -> str:
    """The path with each parameter replaced by the target's record of that kind."""
    values = {}
    for name in op.path_params:
        if name not in PATH_KINDS:
            raise MatrixGap(
                f"{op.label}: no record kind for path parameter {name!r}; "
                "add it to PATH_KINDS in tests/ops/http/matrix_routes.py"
            )
        values[name] = target.ids[PATH_KINDS[name]]
    return op.path.format(**values)


def _headers(op: Operation, target: Tenant) -> dict[str, str]:
    """If-Match with the target record's current version, where the operation takes it."""
    if not op.if_match or not op.path_params:
        return {}
    kind = IF_MATCH_KINDS.get(op.path, PATH_KINDS.get(op.path_params[0], ""))
    if kind not in target.versions:
        raise MatrixGap(f"{op.label}: no version known for {kind!r}; add it to VERSION_PATHS")
    return {"If-Match": f'"{target.versions[kind]}"'}


def calls(op: Operation, caller: Tenant, target: Tenant) -> list[Call]:
    """The requests that aim `op` at the target tenant's records (lists: one per filter)."""
    path, headers = _path(op, target), _headers(op, target)
    body = None
    if op.has_body:
        if (op.method, op.path) not in BODIES:
            raise MatrixGap(
                f"{op.label}: no request body aimed at a tenant; add one to BODIES "
                "in tests/ops/http/matrix_routes.py"
            )
        body = BODIES[op.method, op.path](caller, target)
    filters = {n: QUERY_VALUES[n](target) for n in op.query_params if n in QUERY_VALUES}
    if not op.is_page:
        return [Call(op, path, filters, body, headers)]
    unfiltered = [Call(op, path, {}, body, headers)]
    return unfiltered + [Call(op, path, {n: v}, body, headers) for n, v in filters.items()]


# Requests on the caller's own records that name one of the target's in the body.
MIXED: list[tuple[str, str, Body]] = [
    ("POST", "/assignments", lambda a, t: {
        "member_id": a.ids["member2"],
        "referral_id": t.ids["referral"],
        "authorization_id": t.ids["authorization_ecm"],
    }),
    ("POST", "/authorizations", lambda a, t: {
        "member_id": a.ids["member2"], "program_id": "ecm", "referral_id": t.ids["referral"]
    }),
    ("POST", "/enrollments/{enrollment}/lead-care-manager", lambda a, t: {
        "user_id": str(t.users[Role.LEAD_CARE_MANAGER].id)
    }),
]  # fmt: skip


def mixed_calls(operations: list[Operation], caller: Tenant, target: Tenant) -> list[Call]:
    """The MIXED requests (If-Match: the caller's enrollment's version)."""
    ops = {(op.method, op.path): op for op in operations}
    found = []
    for method, template, body in MIXED:
        op = ops[method, template.replace("{enrollment}", "{enrollment_id}")]
        headers = {"If-Match": f'"{caller.versions["enrollment"]}"'} if op.if_match else {}
        path = template.format(**caller.ids)
        found.append(Call(op, path, {}, body(caller, target), headers))
    return found
