"""Who may move a referral along its closed loop (on top of seeing it, which scopes decide).

- the **receiving organization** accepts, declines, starts and records services: it is the one
  doing the work, so nobody else may speak for it;
- the **member's plan** or the receiver closes the loop (the plan closes on the provider's
  Return Transmission File, policy-facts §5.1);
- the **member's plan** (care coordination, `ASSIGNMENT_MANAGE`) routes a referral to a
  receiving provider, and may re-route one nobody has accepted yet;
- **referrers** only follow the status. There is no withdrawal: a referrer who referred in
  error asks the receiver to decline (reason "withdrawn by referrer"), so the loop still
  closes with a recorded reason rather than vanishing.
"""

from __future__ import annotations

from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import Forbidden
from calaim.ops.models import Referral, ReferralEvent, User

RECEIVER_EVENTS = frozenset(
    {
        ReferralEvent.ACCEPT,
        ReferralEvent.DECLINE,
        ReferralEvent.START,
        ReferralEvent.RECORD_SERVICES,
    }
)


class NotYourStep(Forbidden):
    """The actor's organization is not the party that takes this step of the loop."""


def is_members_plan(actor: User, referral: Referral) -> bool:
    """Whether the actor works for the plan the referred member belongs to."""
    return referral.member.plan_organization_id == actor.organization_id


def is_receiver(actor: User, referral: Referral) -> bool:
    """Whether the actor works for the referral's receiving organization."""
    return referral.receiving_organization_id == actor.organization_id


def require_may_act(actor: User, referral: Referral, event: ReferralEvent) -> None:
    """Raise unless the actor's role and organization may apply `event` to `referral`."""
    require(actor, Permission.REFERRAL_ACT)
    if event in RECEIVER_EVENTS:
        if referral.receiving_organization_id is None:
            raise NotYourStep(
                f"nobody can {event.value} this referral yet: it has no receiving provider; "
                "the member's plan routes it to one first"
            )
        if not is_receiver(actor, referral):
            raise NotYourStep(
                f"only the receiving provider may {event.value} this referral; "
                "you can follow its status"
            )
        return
    if not (is_members_plan(actor, referral) or is_receiver(actor, referral)):
        raise NotYourStep(
            "only the member's plan or the receiving provider may close this referral; "
            "you can follow its status"
        )


def require_may_route(actor: User, referral: Referral) -> None:
    """Raise unless the actor is the member's plan with the right to assign providers."""
    require(actor, Permission.ASSIGNMENT_MANAGE)
    if not is_members_plan(actor, referral):
        raise NotYourStep("only the member's plan may route this referral to a provider")
