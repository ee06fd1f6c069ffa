"""Every notice query, scoped by `calaim.ops.access.scopes.notice_visible` and audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import notice_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Member, Notice, NoticeKind
from calaim.ops.paging import PageRequest, PageResult, fetch_page
from calaim.ops.repository_base import Missing, ScopedRepository


class NoticeNotFound(NotFound):
    """No notice with that id is visible to the actor (it may not exist at all)."""


@dataclass(frozen=True)
class NoticeFilter:
    """Optional exact-match filters of a notice list."""

    member_id: uuid.UUID | None = None
    subject_id: uuid.UUID | None = None
    kind: NoticeKind | None = None


class NoticeRepository(ScopedRepository[Notice]):
    """Reads of notices on behalf of one user."""

    model = Notice
    missing = Missing("notice", NoticeNotFound)

    def visible(self) -> ColumnElement[bool]:
        """Notices the actor may see."""
        return notice_visible(self.actor)

    def search(self, filters: NoticeFilter, page: PageRequest) -> PageResult[Notice]:
        """One page of visible notices, newest first; each notice shown is audited."""
        require(self.actor, Permission.NOTICE_READ)
        statement = self.readable()
        if filters.member_id is not None:
            statement = statement.where(Notice.member_id == filters.member_id)
        if filters.subject_id is not None:
            statement = statement.where(Notice.subject_id == filters.subject_id)
        if filters.kind is not None:
            statement = statement.where(Notice.kind == filters.kind.value)
        result = fetch_page(self.session, statement, page, Notice.created_at.desc(), Notice.id)
        people = self._person_ids({notice.member_id for notice in result.items})
        for notice in result.items:
            self._audit("notice.list", notice, people[notice.member_id])
        self.session.flush()
        return result

    def get(self, notice_id: uuid.UUID) -> Notice:
        """One visible notice, or `NoticeNotFound` (also for another tenant's notice)."""
        require(self.actor, Permission.NOTICE_READ)
        notice = self.get_visible(notice_id)
        self._audit("notice.read", notice, self._person_ids({notice.member_id})[notice.member_id])
        self.session.flush()
        return notice

    def _person_ids(self, member_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        # The audit trail names the member by person id (one query for a whole page).
        if not member_ids:
            return {}
        rows = self.session.execute(
            select(Member.id, Member.person_id).where(Member.id.in_(member_ids))
        )
        return {member_id: person_id for member_id, person_id in rows}

    def _audit(self, action: str, notice: Notice, person_id: str) -> None:
        event = record(self.session, self.actor, action, notice, details={"kind": notice.kind})
        event.member_person_id = person_id
