"""What the engine said about the member and the program, and whether a reviewer going the
other way must confirm it with a reason (not eligible, not offered, excluded, none, or stale)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.authorizations.terms import parameter
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.models import Authorization, MemberDetermination, User

STALE_AFTER = "authorization.review.determination_stale_days"


class Warning:
    """Why the desk warns before an approval (a code; the words are the workspace's)."""

    NO_DETERMINATION = "no_determination"
    NOT_ELIGIBLE = "not_eligible"
    NOT_OFFERED = "not_offered"
    EXCLUDED = "excluded"
    STALE = "stale"


@dataclass(frozen=True)
class EngineView:
    """The engine's stored answer for one request, read on `today`."""

    determination: MemberDetermination | None
    warnings: tuple[str, ...]
    days_old: int | None
    stale_after: int

    @property
    def needs_override(self) -> bool:
        """Whether approving or extending needs a written reason."""
        return bool(self.warnings)

    @property
    def eligible(self) -> bool:
        """Whether the engine found the member eligible (and the plan offers it)."""
        return not (set(self.warnings) - {Warning.STALE})


def engine_view(
    session: Session, actor: User, authorization: Authorization, today: dt.date
) -> EngineView:
    """The latest determination on or before `today` for the request's program (audited)."""
    rows = DeterminationRepository(session, actor).for_member(
        authorization.member_id, today, today=today, programs=[authorization.program_id]
    )
    row = rows[0] if rows else None
    stale_after = int(parameter(STALE_AFTER, today) or 31)
    if row is None:
        return EngineView(None, (Warning.NO_DETERMINATION,), None, stale_after)
    warnings = []
    if row.status == "excluded":
        warnings.append(Warning.EXCLUDED)
    elif not row.eligible:
        warnings.append(Warning.NOT_ELIGIBLE)
    elif authorization.program_id != "ecm" and row.offered is False:
        warnings.append(Warning.NOT_OFFERED)
    days_old = (today - row.as_of).days
    if days_old > stale_after:
        warnings.append(Warning.STALE)
    return EngineView(row, tuple(warnings), days_old, stale_after)
