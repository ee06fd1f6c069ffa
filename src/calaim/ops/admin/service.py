"""Creating organizations, users and API keys from the command line, audited.

These run as the operator of the deployment (no signed-in user), so the audit events name no
actor; they record what was created and, for users and keys, never the password or secret.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.admin import repository
from calaim.ops.audit.service import record
from calaim.ops.auth import api_keys
from calaim.ops.auth.passwords import WeakPassword, check_policy, hash_password
from calaim.ops.auth.throttle import ThrottleKey, unlock
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import Organization, OrganizationKind, Role, User

K = OrganizationKind
# Which roles belong in which kind of organization.
ROLES_BY_KIND: dict[OrganizationKind, frozenset[Role]] = {
    K.PLAN: frozenset(
        {Role.PLAN_UTILIZATION_MANAGEMENT, Role.PLAN_CARE_COORDINATION, Role.PLAN_ADMIN}
    ),
    K.ECM_PROVIDER: frozenset({Role.LEAD_CARE_MANAGER, Role.ECM_SUPERVISOR}),
    K.CS_PROVIDER: frozenset({Role.CS_PROVIDER_STAFF}),
    K.REFERRER: frozenset({Role.REFERRER}),
    K.STATE: frozenset({Role.STATE_ANALYST}),
    K.COUNTY_JAIL: frozenset({Role.FACILITY_REENTRY_STAFF}),
    K.STATE_PRISON: frozenset({Role.FACILITY_REENTRY_STAFF}),
    K.YOUTH_FACILITY: frozenset({Role.FACILITY_REENTRY_STAFF}),
    K.COUNTY_MHP: frozenset({Role.COUNTY_BH_STAFF}),
    K.COUNTY_DMC: frozenset({Role.COUNTY_BH_STAFF}),
}


def create_organization(
    session: Session,
    *,
    name: str,
    kind: OrganizationKind,
    plan_code: str | None = None,
    counties: list[str] | None = None,
) -> Organization:
    """A new organization; a plan needs its plan code (the engine's `payer`), others none."""
    name = name.strip()
    if not name:
        raise InvalidRequest("an organization needs a name", field="name")
    code = plan_code.strip().upper() if plan_code else None
    if (kind == K.PLAN) != (code is not None):
        raise InvalidRequest(
            "a plan needs --plan-code (its payer code in the input data); "
            "other organizations take none",
            field="plan_code",
        )
    if repository.same_name_or_code(session, name, code) is not None:
        raise Conflict(f"an organization named {name!r} or with plan code {code!r} exists")
    organization = Organization(
        name=name, kind=kind.value, plan_code=code, counties_served=list(counties or [])
    )
    session.add(organization)
    session.flush()
    record(session, None, "organization.create", organization, details={"kind": kind.value})
    return organization


def find_organization(session: Session, reference: str) -> Organization:
    """The organization with this id, plan code or (case-insensitive) name."""
    reference = reference.strip()
    found = repository.organizations_matching(session, reference)
    if len(found) != 1:
        raise NotFound(
            f"no single organization matches {reference!r}; "
            "give its id, plan code or exact name (`calaim org list` shows them)"
        )
    return found[0]


def create_user(
    session: Session,
    *,
    organization: Organization,
    email: str,
    name: str,
    role: Role,
    password: str,
) -> User:
    """A new user of `organization` with a role its kind allows and a checked password."""
    allowed = ROLES_BY_KIND[OrganizationKind(organization.kind)]
    if role not in allowed:
        choices = ", ".join(sorted(r.value for r in allowed))
        raise InvalidRequest(
            f"role {role.value} does not belong in a {organization.kind} organization; "
            f"choose one of: {choices}",
            field="role",
        )
    normalized = email.strip().lower()
    if "@" not in normalized:
        raise InvalidRequest(f"{email!r} is not an email address", field="email")
    if repository.user_signing_in_as(session, normalized) is not None:
        raise Conflict(f"a user with email {normalized} exists")
    try:
        check_policy(password)
    except WeakPassword as error:
        raise InvalidRequest(str(error), field="password") from error
    user = User(
        organization_id=organization.id,
        organization=organization,
        email=normalized,
        name=name.strip() or normalized,
        role=role.value,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record(session, None, "user.create", user, details={"role": role.value})
    return user


def issue_key(
    session: Session, organization: Organization, name: str, now: dt.datetime
) -> api_keys.IssuedApiKey:
    """A new API key for `organization`; the full key exists only in the return value."""
    issued = api_keys.issue(session, organization, name, now)
    event = record(
        session,
        None,
        "auth.api_key_issued",
        issued.api_key,
        details={"prefix": issued.api_key.prefix, "name": name},
    )
    event.organization_id = organization.id
    return issued


def list_organizations(session: Session) -> list[Organization]:
    """Every organization, by kind and name."""
    return repository.all_organizations(session)


def find_user(session: Session, email: str) -> User:
    """The user with this sign-in email (case-insensitive)."""
    normalized = email.strip().lower()
    found = repository.user_signing_in_as(session, normalized)
    if found is None:
        raise NotFound(f"no user signs in as {normalized}; check the email")
    return found


def unlock_sign_in(session: Session, keys: list[ThrottleKey]) -> int:
    """The operator lifts sign-in throttles (audited); how many counters were cleared."""
    cleared = unlock(session, keys)
    record(
        session,
        None,
        "auth.unlocked",
        entity_type="sign_in",
        details={key.scope.value: key.key for key in keys} | {"counters": cleared},
    )
    return cleared
