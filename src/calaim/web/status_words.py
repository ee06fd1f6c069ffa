"""The record states, kinds and roles pages show through the `label` filter, marked for translation.

Pages show a status as `_(value | label)` ("in_progress" → "in progress"); listing the words
here puts each in the Spanish catalog (tests/web/test_i18n.py fails on a missing one), so no
state is left in English on a Spanish page. `words()` is the whole list, for the tests.
"""

from __future__ import annotations

from calaim.web.i18n import N_

STATUS_WORDS = (
    # referrals
    N_("received"),
    N_("accepted"),
    N_("declined"),
    N_("in progress"),
    N_("services received"),
    N_("closed"),
    # authorizations
    N_("pending"),
    N_("presumptive"),
    N_("approved"),
    N_("denied"),
    N_("withdrawn"),
    N_("routine"),
    N_("expedited"),
    N_("urgent"),
    # enrollments
    N_("assigned"),
    N_("outreach"),
    N_("enrolled"),
    N_("discontinued"),
    # service episodes, tasks, consent requests
    N_("open"),
    N_("done"),
    N_("cancelled"),
    N_("recorded"),
    # notices: what was sent, and to whom
    N_("referral received"),
    N_("assignment to member"),
    N_("assignment to referrer"),
    N_("referral accepted"),
    N_("referral declined"),
    N_("referral closed"),
    N_("authorization approved"),
    N_("authorization denied"),
    N_("authorization delayed"),
    N_("ecm discontinued"),
    N_("member"),
    N_("organization"),
    # roles
    N_("plan utilization management"),
    N_("plan care coordination"),
    N_("plan admin"),
    N_("lead care manager"),
    N_("ecm supervisor"),
    N_("cs provider staff"),
    N_("referrer"),
    N_("state analyst"),
)


def words() -> tuple[str, ...]:
    """Every word listed here."""
    return STATUS_WORDS
