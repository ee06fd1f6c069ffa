"""Every determination query, scoped to the acting user's organization and audited.

A member's rows are shown to whoever may see the member (`calaim.ops.access.scopes`), minus
42 CFR Part 2 rows the actor may not see (`calaim.ops.access.part2`). The state and plans'
analysts get counts only (`aggregates`), never a member's row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.part2 import Shown, is_hidden, mask, may_see_part2
from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.determinations.aggregates import AggregateCell, count_cells
from calaim.ops.errors import NotFound
from calaim.ops.models import Member, MemberDetermination, User
from calaim.ops.repository_base import Missing, first_visible

__all__ = ["AggregateCell", "DeterminationRepository", "DeterminationsNotFound", "Shown"]


class DeterminationsNotFound(NotFound):
    """No member with that id is visible to the actor (it may not exist at all)."""


MISSING = Missing("member", DeterminationsNotFound, action="determination.not_found")


class DeterminationRepository:
    """Reads of members' determinations on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def for_member(
        self,
        member_id: uuid.UUID,
        as_of: dt.date | None = None,
        *,
        today: dt.date | None = None,
        programs: Iterable[str] | None = None,
    ) -> list[Shown]:
        """The member's latest row per program (on or before `as_of`), Part 2 masked.

        A Part 2 consent is checked on `today` (else `as_of`); with neither date no consent can
        be read, so only the member's own plan sees Part 2 rows (fail closed). Without Part 2
        access the Part 2 rows are withheld and an aggregate they could explain is shown as
        restricted (`calaim.ops.access.part2.mask`).
        """
        member = self._visible_member(member_id)
        rows = list(self.session.scalars(latest_rows(member.id, as_of, None)))
        sees = may_see_part2(self.session, self.actor, member, today or as_of)
        wanted = set(programs) if programs is not None else None
        shown = [s for s in mask(rows, sees_part2=sees) if wanted is None or s.program_id in wanted]
        record(
            self.session,
            self.actor,
            "determination.read",
            member,
            details={
                "as_of": as_of.isoformat() if as_of else None,
                "programs": [row.program_id for row in shown],
                "part2_withheld": sum(1 for row in rows if is_hidden(row)) if not sees else 0,
                "restricted": [row.program_id for row in shown if row.restricted],
            },
        )
        self.session.flush()
        return shown

    def aggregates(
        self, *, as_of: dt.date | None = None, county: str | None = None
    ) -> list[AggregateCell]:
        """Counts of members by program, status and county, small cells suppressed."""
        require(self.actor, Permission.AGGREGATE_READ)
        cells = count_cells(self.session, self.actor, as_of=as_of, county=county)
        record(
            self.session,
            self.actor,
            "determination.aggregate",
            None,
            entity_type="determination",
            details={"as_of": as_of.isoformat() if as_of else None, "county": county},
        )
        self.session.flush()
        return cells

    def _visible_member(self, member_id: uuid.UUID) -> Member:
        # Probing for other tenants' members leaves a trail, and says nothing.
        statement = visible_members(self.actor).where(Member.id == member_id)
        member: Member = first_visible(self.session, self.actor, statement, member_id, MISSING)
        return member


def latest_rows(
    member_id: uuid.UUID, as_of: dt.date | None, programs: Iterable[str] | None
) -> Select[MemberDetermination]:
    """Each program's most recent determination of one member on or before `as_of`."""
    latest = select(
        MemberDetermination.program_id, func.max(MemberDetermination.as_of).label("as_of")
    ).where(MemberDetermination.member_id == member_id)
    if as_of is not None:
        latest = latest.where(MemberDetermination.as_of <= as_of)
    if programs is not None:
        latest = latest.where(MemberDetermination.program_id.in_(list(programs)))
    newest = latest.group_by(MemberDetermination.program_id).subquery()
    return (
        select(MemberDetermination)
        .join(
            newest,
            and_(
                MemberDetermination.program_id == newest.c.program_id,
                MemberDetermination.as_of == newest.c.as_of,
            ),
        )
        .where(MemberDetermination.member_id == member_id)
        .order_by(MemberDetermination.program_id)
    )
