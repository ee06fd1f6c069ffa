"""Conditions shared by the dashboards: filters on a member's county and plan."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute

from calaim.ops.models import Member, Organization
from calaim.reports.filters import Filters


def _plan(code: str) -> ColumnElement[bool]:
    return Organization.plan_code == code


def member_filters(filters: Filters) -> ColumnElement[bool]:
    """The county and plan filters as a condition on `Member`."""
    condition: ColumnElement[bool] = true()
    if filters.county is not None:
        condition = condition & (Member.county == filters.county)
    if filters.plan is not None:
        plan = select(Organization.id).where(_plan(filters.plan))
        condition = condition & Member.plan_organization_id.in_(plan)
    return condition


def plan_filter(filters: Filters, column: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    """The plan filter on a record's plan organization column."""
    if filters.plan is None:
        return true()
    return column.in_(select(Organization.id).where(_plan(filters.plan)))
