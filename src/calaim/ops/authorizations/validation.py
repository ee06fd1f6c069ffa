"""Checks on authorization requests and decisions, and the errors they raise."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.authorizations.state import DenialReasonRequired
from calaim.ops.authorizations.terms import denial_reasons
from calaim.ops.errors import Conflict, InvalidRequest, StaleVersion
from calaim.ops.models import Referral, User
from calaim.ops.referrals.programs import COUNTY_PROGRAMS
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.service import UnknownProgram, referable_programs


class DuplicateAuthorization(Conflict):
    """The member already has an undecided authorization for the program."""


class NotReauthorizable(Conflict):
    """Only an approved authorization with an end date can be reauthorized."""


class StaleAuthorization(StaleVersion):
    """The authorization changed since the caller read it; read it again and retry."""

    @classmethod
    def of(
        cls, authorization_id: uuid.UUID, expected: int, current: int | None
    ) -> StaleAuthorization:
        """The error for a caller who read `expected` when the row is at `current`."""
        now = f" (it is now at version {current})" if current is not None else ""
        return cls(
            f"authorization {authorization_id} was changed by someone else since version "
            f"{expected}{now}; read it again and retry"
        )


def check_program(program_id: str) -> None:
    """Only ECM and the Community Supports of the registry are authorized."""
    # County services are the county's to decide, never a plan authorization.
    if program_id not in referable_programs() or program_id in COUNTY_PROGRAMS:
        raise UnknownProgram(
            f"program_id {program_id!r} is not an authorizable program; "
            "use 'ecm' or a Community Support id such as 'cs.recuperative_care'",
            field="program_id",
        )


def check_referral(
    session: Session, actor: User, referral_id: uuid.UUID, member_id: uuid.UUID, program_id: str
) -> Referral:
    """The visible referral the request comes from; it must be for the same member and program."""
    referral = ReferralRepository(session, actor).get(referral_id)
    if referral.member_id != member_id or referral.program_id != program_id:
        raise InvalidRequest(
            f"referral {referral_id} is for another member or program ({referral.program_id}); "
            "give the referral of this member for this program, or none",
            field="referral_id",
        )
    return referral


def check_amounts(units: Decimal | None, amount: Decimal | None) -> None:
    """Authorized units and dollars, when given, are positive Decimals."""
    for name, value in (("units_authorized", units), ("amount_authorized", amount)):
        if value is None:
            continue
        if not isinstance(value, Decimal) or value <= 0:
            raise InvalidRequest(f"{name} must be a positive decimal number", field=name)


def check_denial(reason_code: str, reason: str) -> None:
    """A denial names one of calaim's reason codes and says why in words."""
    codes = denial_reasons()
    if reason_code not in codes:
        raise DenialReasonRequired(
            f"reason_code {reason_code!r} is not one of {sorted(codes)}", field="reason_code"
        )
    if not (reason and reason.strip()):
        raise DenialReasonRequired(
            "a denial needs a reason text the member can read (it goes on the notice)",
            field="reason",
        )
