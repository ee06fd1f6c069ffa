"""Small writes shared by intake and transitions: the referral form, the stale message."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.models import Referral, ReferralForm, User
from calaim.ops.referrals.intake import IntakeForm


def save_form(
    session: Session,
    actor: User,
    referral: Referral,
    form: IntakeForm | None,
    source_kind: str,
    now: dt.datetime,
) -> ReferralForm | None:
    """Keep the actor's organization's referral form for `referral` (if one was sent)."""
    if form is None:
        return None
    row = ReferralForm(
        referral_id=referral.id,
        organization_id=actor.organization_id,
        submitted_by_user_id=actor.id,
        submitted_at=now,
        source_kind=source_kind,
        referrer_contact_name=form.referrer_contact_name,
        referrer_contact_phone=form.referrer_contact_phone,
        referrer_contact_email=form.referrer_contact_email,
        reason=form.reason,
        requested_services=form.requested_services,
        urgency=form.urgency.value,
        member_phone=form.member_phone,
        member_contact_preference=(
            form.member_contact_preference.value if form.member_contact_preference else None
        ),
        member_consented=form.member_consented,
        notes=form.notes,
    )
    session.add(row)
    return row


def stale_message(referral_id: uuid.UUID, expected: int, current: int | None) -> str:
    """Say the referral changed and what to do about it."""
    now = f" (it is now at version {current})" if current is not None else ""
    return (
        f"referral {referral_id} was changed by someone else since version {expected}{now}; "
        "read it again and retry"
    )
