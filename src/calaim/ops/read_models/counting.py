"""Which rows a dashboard's counts include, and the county and plan narrowing they share.

The state counts every record (its small cells are suppressed where the numbers are shown);
everyone else counts what `calaim.ops.access.scopes` lets them see. The dashboards' read
models (`capacity`, `timeliness` here; more in `calaim.reports`) start every query from these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import InstrumentedAttribute

from calaim.ops.admin.repository import plan_ids
from calaim.ops.models import Member, OrganizationKind, User


@dataclass(frozen=True)
class Narrowing:
    """The dashboard's optional narrowing: one program, one member county, one plan (code)."""

    program: str | None = None
    county: str | None = None
    plan: str | None = None


def is_state(actor: User) -> bool:
    """Whether the actor works for the state (statewide counts, small cells suppressed)."""
    return actor.organization.kind == OrganizationKind.STATE


def counted(actor: User, visible: Callable[[User], ColumnElement[bool]]) -> ColumnElement[bool]:
    """Rows an actor's aggregates count: all for the state, else what `visible` lets it see."""
    return true() if is_state(actor) else visible(actor)


def member_narrowed(county: str | None, plan: str | None) -> ColumnElement[bool]:
    """A condition on `Member`: living in `county`, covered by the plan coded `plan` (each
    only when given)."""
    condition: ColumnElement[bool] = true()
    if county is not None:
        condition = condition & (Member.county == county)
    if plan is not None:
        condition = condition & Member.plan_organization_id.in_(plan_ids(plan))
    return condition


def plan_narrowed(
    plan: str | None, column: InstrumentedAttribute[uuid.UUID]
) -> ColumnElement[bool]:
    """A condition on a record's plan organization column: the plan coded `plan`, if given."""
    if plan is None:
        return true()
    return column.in_(plan_ids(plan))
