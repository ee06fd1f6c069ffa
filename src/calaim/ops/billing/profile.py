"""A provider's billing details: TIN (on its provider profile) and billing address/phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import is_provider
from calaim.ops.audit.service import record
from calaim.ops.errors import Forbidden, InvalidRequest
from calaim.ops.models import ProviderProfile, User
from calaim.ops.models.billing import BillingProfile


@dataclass(frozen=True)
class BillingDetails:
    """What the 837P needs about the billing provider besides its name and NPI."""

    tin: str
    address_line: str
    city: str
    state: str
    zip_code: str
    phone: str


def _check(details: BillingDetails) -> None:
    for field, pattern, what in (
        ("tin", r"\d{9}", "9 digits"),
        ("zip_code", r"\d{9}", "9 digits (ZIP+4, no dash)"),
        ("state", r"[A-Z]{2}", "2 capital letters"),
        ("phone", r"\d{10}", "10 digits"),
    ):
        if not re.fullmatch(pattern, getattr(details, field)):
            raise InvalidRequest(f"{field} must be {what}", field=field)


def set_billing_details(session: Session, actor: User, details: BillingDetails) -> BillingProfile:
    """Set the actor's own organization's TIN, billing address and phone."""
    require(actor, Permission.BILLING_MANAGE)
    if not is_provider(actor):
        raise Forbidden("billing details belong to providers")
    _check(details)
    profile = session.get(ProviderProfile, actor.organization_id)
    if profile is None:
        profile = ProviderProfile(
            organization_id=actor.organization_id,
            languages=[],
            programs_served=[],
            capacity=0,
            contracted_plans=[],
        )
        session.add(profile)
    profile.tin = details.tin
    place = session.get(BillingProfile, actor.organization_id) or BillingProfile(
        organization_id=actor.organization_id
    )
    place.address_line, place.city, place.state = details.address_line, details.city, details.state
    place.zip_code, place.phone = details.zip_code, details.phone
    session.add(place)
    session.flush()
    record(
        session,
        actor,
        "billing.profile_set",
        entity_type="organization",
        entity_id=str(actor.organization_id),
    )
    return place
