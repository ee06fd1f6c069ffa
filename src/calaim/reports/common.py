"""Conditions shared by the dashboards: filters on a member's county and plan."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import InstrumentedAttribute

from calaim.ops.admin.repository import plan_ids
from calaim.ops.models import Member
from calaim.reports.filters import Filters


def member_filters(filters: Filters) -> ColumnElement[bool]:
    """The county and plan filters as a condition on `Member`."""
    condition: ColumnElement[bool] = true()
    if filters.county is not None:
        condition = condition & (Member.county == filters.county)
    if filters.plan is not None:
        condition = condition & Member.plan_organization_id.in_(plan_ids(filters.plan))
    return condition


def plan_filter(filters: Filters, column: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    """The plan filter on a record's plan organization column."""
    if filters.plan is None:
        return true()
    return column.in_(plan_ids(filters.plan))
