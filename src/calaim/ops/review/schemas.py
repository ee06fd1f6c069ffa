"""What a reviewer gives for each step on the desk (validated before anything is written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field


class Frequency(StrEnum):
    """How often the approved units are given."""

    ONCE = "once"
    PER_DAY = "per_day"
    PER_WEEK = "per_week"
    PER_MONTH = "per_month"
    PER_AUTHORIZATION = "per_authorization"


class ApprovalTerms(BaseModel):
    """An approval: the period, and optionally units with how often."""

    start_date: dt.date
    end_date: dt.date
    units: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    frequency: Frequency | None = None
    override_reason: str | None = Field(default=None, max_length=2000)


class Extension(BaseModel):
    """An approved request runs longer (and optionally with other units)."""

    end_date: dt.date
    reason: str = Field(min_length=1, max_length=2000)
    units: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    frequency: Frequency | None = None
    override_reason: str | None = Field(default=None, max_length=2000)


class Pend(BaseModel):
    """A request for more information (extends the decision clock once)."""

    information: str = Field(min_length=1, max_length=2000)


class Denial(BaseModel):
    """A denial: a reason code and the text the member reads."""

    reason_code: str = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=2000)
