"""What each role may do, as data: one table, checked by `require`."""

from __future__ import annotations

from enum import StrEnum

from calaim.ops.errors import Forbidden
from calaim.ops.models import Role, User


class Permission(StrEnum):
    """An action a user may be allowed to take."""

    MEMBER_READ = "member.read"
    MEMBER_WRITE = "member.write"
    REFERRAL_CREATE = "referral.create"
    REFERRAL_READ = "referral.read"
    REFERRAL_ACT = "referral.act"
    AUTHORIZATION_REQUEST = "authorization.request"
    AUTHORIZATION_DECIDE = "authorization.decide"
    AUTHORIZATION_READ = "authorization.read"
    ASSIGNMENT_MANAGE = "assignment.manage"
    ENROLLMENT_READ = "enrollment.read"
    ENROLLMENT_ACT = "enrollment.act"
    OUTREACH_RECORD = "outreach.record"
    CARE_PLAN_WRITE = "care_plan.write"
    SERVICE_READ = "service.read"
    SERVICE_RECORD = "service.record"
    NOTICE_READ = "notice.read"
    # 42 CFR Part 2: the member's plan records the member's signed consent (and revocation);
    # a provider may only ask for one, never record one (docs/security.md).
    CONSENT_RECORD = "consent.record"
    CONSENT_REQUEST = "consent.request"
    AGGREGATE_READ = "aggregate.read"
    # The plan's program view (its own members' funnel, outreach list, CS spend).
    PROGRAM_READ = "program.read"
    # Exchange (issue 4): DHCS files in and out, roster reconciliation, claims, FHIR.
    EXCHANGE_FILES = "exchange.files"
    ROSTER_RECONCILE = "roster.reconcile"
    BILLING_MANAGE = "billing.manage"
    FHIR_EXCHANGE = "fhir.exchange"
    ORGANIZATION_ADMIN = "organization.admin"
    # Issue 17: a provider keeps its one profile and applies to plans; a plan decides;
    # a network lead routes referrals to its members, bills and distributes payments.
    PROVIDER_PROFILE = "provider.profile"
    PROVIDER_CREDENTIALING = "provider.credentialing"
    NETWORK_MANAGE = "network.manage"
    # The member's own pages (/app/me): their own record only (scopes.is_member).
    OWN_RECORD = "own_record.use"
    # Reentry (docs/reentry.md): pre-release cases of correctional facilities.
    REENTRY_READ = "reentry.read"
    REENTRY_WRITE = "reentry.write"
    # The DHCS mental health screening tools (scoring only; no member data).
    SCREENING_SCORE = "screening.score"


P = Permission
_EVERY_REFERRER = {P.REFERRAL_CREATE, P.REFERRAL_READ, P.NOTICE_READ}
_PLAN_COMMON = {
    P.MEMBER_READ,
    P.REFERRAL_CREATE,
    P.REFERRAL_READ,
    P.REFERRAL_ACT,
    P.AUTHORIZATION_READ,
    P.ENROLLMENT_READ,
    P.SERVICE_READ,
    P.NOTICE_READ,
    P.AGGREGATE_READ,
    P.PROGRAM_READ,
    P.CONSENT_RECORD,
    P.EXCHANGE_FILES,
    P.ROSTER_RECONCILE,
    P.FHIR_EXCHANGE,
    P.REENTRY_READ,
    P.SCREENING_SCORE,
}
_ECM_STAFF = {
    P.MEMBER_READ,
    P.REFERRAL_CREATE,
    P.REFERRAL_READ,
    P.REFERRAL_ACT,
    P.AUTHORIZATION_REQUEST,
    P.AUTHORIZATION_READ,
    P.ENROLLMENT_READ,
    P.ENROLLMENT_ACT,
    P.OUTREACH_RECORD,
    P.CARE_PLAN_WRITE,
    P.NOTICE_READ,
    P.CONSENT_REQUEST,
    P.EXCHANGE_FILES,
    P.FHIR_EXCHANGE,
    # The in-reach pre-release care manager and the receiving post-release provider.
    P.REENTRY_READ,
    P.REENTRY_WRITE,
    P.SCREENING_SCORE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Utilization management decides authorizations.
    Role.PLAN_UTILIZATION_MANAGEMENT: frozenset(
        _PLAN_COMMON | {P.AUTHORIZATION_REQUEST, P.AUTHORIZATION_DECIDE}
    ),
    # Care coordination assigns providers and manages members' ECM episodes.
    Role.PLAN_CARE_COORDINATION: frozenset(
        _PLAN_COMMON
        | {P.AUTHORIZATION_REQUEST, P.ASSIGNMENT_MANAGE, P.ENROLLMENT_ACT, P.REENTRY_WRITE}
    ),
    # Plan administrators also reconcile remittances against what was billed.
    Role.PLAN_ADMIN: frozenset(
        _PLAN_COMMON
        | {P.MEMBER_WRITE, P.ORGANIZATION_ADMIN, P.BILLING_MANAGE, P.PROVIDER_CREDENTIALING}
    ),
    Role.LEAD_CARE_MANAGER: frozenset(_ECM_STAFF),
    Role.ECM_SUPERVISOR: frozenset(
        _ECM_STAFF
        | {P.ORGANIZATION_ADMIN, P.BILLING_MANAGE, P.ROSTER_RECONCILE}
        | {P.PROVIDER_PROFILE, P.NETWORK_MANAGE}
    ),
    Role.CS_PROVIDER_STAFF: frozenset(
        {
            P.MEMBER_READ,
            P.REFERRAL_CREATE,
            P.REFERRAL_READ,
            P.REFERRAL_ACT,
            P.AUTHORIZATION_REQUEST,
            P.AUTHORIZATION_READ,
            P.SERVICE_READ,
            P.SERVICE_RECORD,
            P.NOTICE_READ,
            P.CONSENT_REQUEST,
            P.EXCHANGE_FILES,
            P.BILLING_MANAGE,
            P.FHIR_EXCHANGE,
            P.PROVIDER_PROFILE,
            P.NETWORK_MANAGE,
        }
    ),
    # Referral platforms exchange closed-loop referrals as FHIR.
    Role.REFERRER: frozenset(_EVERY_REFERRER | {P.FHIR_EXCHANGE}),
    Role.STATE_ANALYST: frozenset({P.AGGREGATE_READ}),
    # A member (or representative) on their own pages: scoped to their own record
    # (scopes.is_member), never the staff API or workspace (`refuse_members`). They read their
    # care and Community Supports, refer themselves, and give or revoke their own consent.
    Role.MEMBER: frozenset(
        {P.OWN_RECORD, P.ENROLLMENT_READ, P.SERVICE_READ, P.REFERRAL_CREATE, P.CONSENT_RECORD}
    ),
    # A facility's reentry staff open cases for their own residents and refer at release.
    Role.FACILITY_REENTRY_STAFF: frozenset(
        _EVERY_REFERRER | {P.MEMBER_READ, P.REENTRY_READ, P.REENTRY_WRITE}
    ),
    # County mental health plan and drug program staff: screen, refer both ways, and work
    # the referrals they receive (they are the receiving party of those loops).
    Role.COUNTY_BH_STAFF: frozenset(
        _EVERY_REFERRER | {P.MEMBER_READ, P.REFERRAL_ACT, P.CONSENT_REQUEST, P.SCREENING_SCORE}
    ),
}


class PermissionDenied(Forbidden):
    """The actor's role does not allow the action (this reveals nothing about any record)."""


def allowed(actor: User, permission: Permission) -> bool:
    """Whether the actor's role grants `permission`."""
    return permission in ROLE_PERMISSIONS[Role(actor.role)]


def require(actor: User, permission: Permission) -> None:
    """Raise `PermissionDenied` unless the actor's role grants `permission`."""
    if not allowed(actor, permission):
        raise PermissionDenied(
            f"your role ({actor.role}) may not {permission.value.replace('.', ' ')}; "
            "ask your organization's administrator if you need it"
        )


class StaffOnly(PermissionDenied):
    """A member's sign-in used on the staff API or workspace."""


def refuse_members(actor: User) -> None:
    """Members use their own pages (/app/me), never the staff API or workspace (403)."""
    if actor.role == Role.MEMBER:
        raise StaffOnly("members see their own record on their own pages, at /app/me")
