"""Letters and notices in a member's words."""

from __future__ import annotations

from calaim.web.i18n import N_

LETTER_WORDS = {
    "approval": N_("We said yes to a service you asked for"),
    "denial": N_("We said no to a service you asked for"),
    "delay": N_("We need more time to decide"),
    "extension": N_("We are taking more time to decide"),
}
NOTICE_WORDS = {
    "referral_received": N_("We got a request for help for you"),
    "assignment_to_member": N_("You have a new care team"),
    "assignment_to_referrer": N_("You have a new care team"),
    "referral_accepted": N_("A provider said yes to helping you"),
    "referral_declined": N_("A provider could not take your request"),
    "referral_closed": N_("Your request for help is finished"),
    "authorization_approved": N_("We said yes to a service you asked for"),
    "authorization_denied": N_("We said no to a service you asked for"),
    "authorization_delayed": N_("We need more time to decide"),
    "ecm_discontinued": N_("Your care manager service has ended"),
}
OTHER = N_("A notice about your care")


def letter_words(kind: str) -> str:
    """What a letter is about, in the member's words (English source)."""
    return LETTER_WORDS.get(kind, OTHER)


def notice_words(kind: str) -> str:
    """What a notice is about, in the member's words (English source)."""
    return NOTICE_WORDS.get(kind, OTHER)
