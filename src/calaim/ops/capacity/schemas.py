"""Capacity API bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.capacity.service import MAXIMUM, CapacityUpdate
from calaim.ops.models import ProviderProfile

Count = Annotated[int, Field(ge=0, le=MAXIMUM)]


class CapacityIn(BaseModel):
    """The provider's numbers now."""

    model_config = ConfigDict(extra="forbid")

    capacity: Count = Field(description="Members or people it can hold at once (open places "
                            "are this minus those it holds now).")  # fmt: skip
    beds_available: Count | None = None
    waitlist: Count | None = None

    def update(self) -> CapacityUpdate:
        """As the service takes it."""
        return CapacityUpdate(self.capacity, self.beds_available, self.waitlist)


class CapacityOut(BaseModel):
    """The provider's capacity as last set."""

    capacity: int
    beds_available: int | None
    waitlist: int | None
    capacity_updated_at: dt.datetime | None


def capacity_out(profile: ProviderProfile) -> CapacityOut:
    """The response body of a provider's capacity."""
    return CapacityOut.model_validate(profile, from_attributes=True)
