"""Populations a provider says it serves (beyond programs), and a member's, for ranking.

A provider's profile lists the groups of people it serves (`populations_served`). A member
belongs to groups by age on the day of the decision and by the populations of focus the
engine found the member eligible for. Assignment and the navigator rank a provider that serves
one of the member's groups above one that does not say so (never excluding anyone).
"""

from __future__ import annotations

import datetime as dt

# The groups a profile may name, in the order a form shows them.
POPULATIONS = ("adults", "older_adults", "children_youth", "families", "justice_involved")
ADULT_AGE, OLDER_ADULT_AGE = 21, 65  # Medi-Cal's youth end at 21 (ECM populations of focus)
# Populations of focus that put a member in a group whatever the age.
BY_PROGRAM = {
    "ecm.homeless_family_youth": "families",
    "ecm.child_welfare": "children_youth",
    "ecm.justice_involved": "justice_involved",
    "ecm.birth_equity": "families",
}


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years of age on `on`."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def member_groups(
    birth_date: dt.date | None, programs: frozenset[str], on: dt.date
) -> frozenset[str]:
    """The groups a member belongs to on `on` (by age, and by populations of focus)."""
    groups = {BY_PROGRAM[p] for p in programs if p in BY_PROGRAM}
    if birth_date is not None:
        age = age_on(birth_date, on)
        groups.add("children_youth" if age < ADULT_AGE else "adults")
        if age >= OLDER_ADULT_AGE:
            groups.add("older_adults")
    return frozenset(groups)
