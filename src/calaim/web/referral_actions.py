"""Which steps the viewer's organization may take on a referral, as buttons on its page.

The rules are ops' own (`referral_rules`, `state.TRANSITIONS`); this only lists the steps
that would pass them, so a page never offers a button that the service would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.access.referral_rules import RECEIVER_EVENTS, is_members_plan, is_receiver
from calaim.ops.enrollments.reasons import discontinuation_reasons
from calaim.ops.models import Referral, User
from calaim.ops.referrals.state import (
    REASON_REQUIRED,
    ReferralEvent,
    ReferralStatus,
    allowed_events,
)
from calaim.web.i18n import N_

E = ReferralEvent


@dataclass(frozen=True)
class Step:
    """One button: the event, its label, whether it needs a reason and a confirmation."""

    event: str
    label: str
    needs_reason: bool
    final: bool


LABELS = {
    E.ACCEPT: N_("Accept the referral"),
    E.DECLINE: N_("Decline the referral"),
    E.START: N_("Start services"),
    E.RECORD_SERVICES: N_("Services received"),
    E.CLOSE: N_("Close the referral"),
}
# Reasons a provider declines (kept as words in the referral's history).
DECLINE_REASONS = [
    N_("No capacity right now"),
    N_("The member is outside our service area"),
    N_("The member does not meet the service's criteria"),
    N_("We could not reach the member"),
    N_("The member declined"),
    N_("Withdrawn by the referrer"),
]


def steps_for(actor: User, referral: Referral) -> list[Step]:
    """The steps the actor may take now, in the loop's order."""
    if not allowed(actor, Permission.REFERRAL_ACT):
        return []
    current = ReferralStatus(referral.status)
    steps = []
    for event in allowed_events(current):
        if event in RECEIVER_EVENTS:
            ok = is_receiver(actor, referral)
        else:
            ok = is_receiver(actor, referral) or is_members_plan(actor, referral)
        if ok:
            steps.append(
                Step(
                    event=event.value,
                    label=LABELS[event],
                    needs_reason=(current, event) in REASON_REQUIRED,
                    final=event in (E.DECLINE, E.CLOSE),
                )
            )
    return steps


def closure_reasons() -> list[tuple[str, str]]:
    """The DHCS closure (discontinuation) reasons: (code, label) in the policy file's order."""
    return [(code, r.label) for code, r in discontinuation_reasons().items()]


def closure_label(code: str | None) -> str | None:
    """A stored closure reason in words (codes from the DHCS list; older rows are words)."""
    if code is None:
        return None
    found = discontinuation_reasons().get(code)
    return found.label if found else code


# Members' preferred languages (codes in the data; a few records carry the name instead).
LANGUAGE_NAMES = {
    "en": N_("English"),
    "es": N_("Spanish"),
    "zh": N_("Chinese"),
    "vi": N_("Vietnamese"),
    "tl": N_("Tagalog"),
    "ko": N_("Korean"),
    "hy": N_("Armenian"),
    "ru": N_("Russian"),
    "fa": N_("Farsi"),
    "ar": N_("Arabic"),
}


def language_name(code: str | None) -> str:
    """A member's preferred language in words ("es" -> "Spanish")."""
    text = (code or "").strip()
    return LANGUAGE_NAMES.get(text.lower(), text.capitalize())
