"""The navigator's member look-up for referrers: the members they referred, never others.

A referrer (a discharge planner) sees no member rows, so the navigator finds the member through
the referrals the referrer is party to, with the same search as the header (`ops/search`):
by CIN, name or birth date. It shows those referrals and a link to refer again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import User
from calaim.ops.search.service import SearchService
from calaim.web.forms import FormErrors
from calaim.web.i18n import N_


def referred_member(
    session: Session, actor: User, key: str, errors: FormErrors
) -> dict[str, Any] | None:
    """The referrals of the member `key` names (CIN, name, birth date) the actor made or joined."""
    text = key.strip()[:64]
    if not text:
        return None
    found = SearchService(session, actor).search(text).referrals
    if not found:
        errors.add("member", N_("None of your referrals is for a member with that CIN or name."))
        return None
    first = found[0].member
    return {
        "name": f"{first.first_name} {first.last_name[:1]}.",
        "referrals": found,
        "cin": text if text.replace(" ", "").isalnum() and any(c.isdigit() for c in text) else "",
    }
