"""The referral forms of a visible referral, as far as the actor may read them.

The receiving provider and the member's plan read every referrer's form (they act on the
reasons); a referrer reads only its own organization's form, never another referrer's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.referral_rules import is_members_plan, is_receiver
from calaim.ops.models import Referral, ReferralForm, User


def forms_for(session: Session, actor: User, referral: Referral) -> list[ReferralForm]:
    """The forms of `referral` (already read through its repository), first submitted first."""
    statement = select(ReferralForm).where(ReferralForm.referral_id == referral.id)
    if not (is_receiver(actor, referral) or is_members_plan(actor, referral)):
        statement = statement.where(ReferralForm.organization_id == actor.organization_id)
    return list(session.scalars(statement.order_by(ReferralForm.submitted_at)))
