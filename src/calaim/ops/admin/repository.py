"""Organization and user look-ups for the operator's commands and report filters.

No member data is read here, so there is no tenant to scope by: these are the deployment's
directory of organizations and accounts, used before anyone acts (the CLI runs as the
operator) or to check a report's plan filter.
"""

from __future__ import annotations

import contextlib
import uuid

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from calaim.ops.models import Organization, OrganizationKind, User


def same_name_or_code(session: Session, name: str, code: str | None) -> Organization | None:
    """An organization already named `name` (any letter case) or holding plan code `code`."""
    same_name = func.lower(Organization.name) == name.lower()
    condition: ColumnElement[bool] = (
        or_(same_name, Organization.plan_code == code) if code else same_name
    )
    return session.scalars(select(Organization).where(condition)).first()


def organizations_matching(session: Session, reference: str) -> list[Organization]:
    """Organizations whose id, plan code or (case-insensitive) name is `reference`."""
    conditions = [func.lower(Organization.name) == reference.lower()]
    conditions.append(Organization.plan_code == reference.upper())
    with contextlib.suppress(ValueError):
        conditions.append(Organization.id == uuid.UUID(reference))
    return list(session.scalars(select(Organization).where(or_(*conditions))))


def all_organizations(session: Session) -> list[Organization]:
    """Every organization, by kind and name."""
    statement = select(Organization).order_by(Organization.kind, Organization.name)
    return list(session.scalars(statement))


def user_signing_in_as(session: Session, email: str) -> User | None:
    """The user whose sign-in email is `email` (any letter case)."""
    statement = select(User).where(func.lower(User.email) == email.strip().lower())
    return session.scalars(statement).first()


def users_of(session: Session, organization_id: uuid.UUID) -> list[User]:
    """The organization's users, by email."""
    statement = select(User).where(User.organization_id == organization_id).order_by(User.email)
    return list(session.scalars(statement))


def plan_ids(code: str) -> Select[uuid.UUID]:
    """The ids of the plan organizations with plan code `code` (a subquery for filters)."""
    return select(Organization.id).where(Organization.plan_code == code)


def plan_code_known(session: Session, code: str) -> bool:
    """Whether a plan organization has the plan code `code`."""
    statement = select(Organization.plan_code).where(
        Organization.kind == OrganizationKind.PLAN.value, Organization.plan_code == code
    )
    return session.scalars(statement).first() is not None


def plan_codes(session: Session) -> list[str]:
    """Codes of the plans in calaim, sorted."""
    statement = select(Organization.plan_code).where(
        Organization.kind == OrganizationKind.PLAN.value, Organization.plan_code.is_not(None)
    )
    return sorted(str(code) for code in session.scalars(statement))
