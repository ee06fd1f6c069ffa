"""Request and response bodies of the members API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from calaim.ops.errors import InvalidRequest
from calaim.ops.http.fields import bounded
from calaim.ops.members.languages import language_code
from calaim.ops.members.service import member_version
from calaim.ops.models import Member

PersonId = Annotated[str, bounded(64)]
Cin = Annotated[str, bounded(20)]
Name = Annotated[str, bounded(100)]
County = Annotated[str, bounded(60)]
Language = Annotated[str, bounded(40)]
REQUIRED_FIELDS = ("first_name", "last_name", "birth_date", "county")


class MemberOut(BaseModel):
    """A member as the caller's organization may see them."""

    id: uuid.UUID
    plan_organization_id: uuid.UUID
    person_id: str
    cin: str | None
    first_name: str
    last_name: str
    birth_date: dt.date
    payer: str
    county: str
    language: str | None
    sex: str | None
    phone: str | None
    address_line: str | None
    city: str | None
    zip_code: str | None
    version: str = Field(description="Send it back in `If-Match` to update the member.")


class MemberCreate(BaseModel):
    """A new member of the caller's plan (the plan is never taken from the request)."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    first_name: Name
    last_name: Name
    birth_date: dt.date
    county: County
    cin: Cin | None = None
    language: Language | None = Field(
        None, description="An ISO 639 code or a DHCS threshold language name; stored as the code."
    )

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        return language_code(value)


class MemberUpdate(BaseModel):
    """Fields to change; omitted fields keep their values."""

    model_config = ConfigDict(extra="forbid")

    cin: Cin | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    birth_date: dt.date | None = None
    county: County | None = None
    language: Language | None = None
    version: str | None = Field(None, max_length=64, description="Instead of `If-Match`.")

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        return language_code(value)

    def changes(self) -> dict[str, object]:
        """The fields the request sets (not `version`); required fields cannot be cleared."""
        changes = self.model_dump(exclude_unset=True, exclude={"version"})
        for name in REQUIRED_FIELDS:
            if name in changes and changes[name] is None:
                raise InvalidRequest(f"{name} cannot be cleared; send a value", field=name)
        return changes


def member_out(member: Member) -> MemberOut:
    """The response body of a member."""
    fields = {name: getattr(member, name) for name in MemberOut.model_fields if name != "version"}
    return MemberOut(**fields, version=member_version(member))
