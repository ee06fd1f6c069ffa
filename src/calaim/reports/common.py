"""Conditions shared by the dashboards: filters on a member's county and plan."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from calaim.ops.read_models.counting import member_narrowed, plan_narrowed
from calaim.reports.filters import Filters


def member_filters(filters: Filters) -> ColumnElement[bool]:
    """The county and plan filters as a condition on `Member`."""
    return member_narrowed(filters.county, filters.plan)


def plan_filter(filters: Filters, column: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    """The plan filter on a record's plan organization column."""
    return plan_narrowed(filters.plan, column)
