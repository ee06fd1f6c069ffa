"""Every reentry query, scoped by `calaim.ops.access.scopes.reentry_case_visible` and audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select

from calaim.ops.access.scopes import reentry_case_visible
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    Organization,
    OrganizationKind,
    ReentryCase,
    ReentryEvent,
    ReentryStatus,
    User,
)
from calaim.ops.paging import PageRequest, PageResult, fetch_page
from calaim.ops.repository_base import Missing, ScopedRepository


class ReentryCaseNotFound(NotFound):
    """No reentry case with that id is visible to the actor (it may not exist at all)."""


@dataclass(frozen=True)
class CaseFilter:
    """Optional filters of a case list: status, member, release on or before a day."""

    status: ReentryStatus | None = None
    member_id: uuid.UUID | None = None
    releasing_by: dt.date | None = None


class ReentryRepository(ScopedRepository[ReentryCase]):
    """Reads and writes of reentry cases on behalf of one user."""

    model = ReentryCase
    missing = Missing("reentry_case", ReentryCaseNotFound, noun="reentry case")
    names_member = True

    def visible(self) -> ColumnElement[bool]:
        """The cases the actor may see."""
        return reentry_case_visible(self.actor)

    def search(self, filters: CaseFilter, page: PageRequest) -> PageResult[ReentryCase]:
        """One page of visible cases, soonest release first; each case shown is audited."""
        statement = self.readable()
        if filters.status is not None:
            statement = statement.where(ReentryCase.status == filters.status.value)
        if filters.member_id is not None:
            statement = statement.where(ReentryCase.member_id == filters.member_id)
        if filters.releasing_by is not None:
            statement = statement.where(ReentryCase.expected_release_on <= filters.releasing_by)
        order = (ReentryCase.expected_release_on, ReentryCase.id)
        result = fetch_page(self.session, statement, page, *order)
        for case in result.items:
            self.audit("reentry.list", case)
        self.session.flush()
        return result

    def get(self, case_id: uuid.UUID) -> ReentryCase:
        """One visible case (its read audited), or `ReentryCaseNotFound`."""
        return self.get_visible(case_id, action="reentry.read")

    def open_case_of(self, member_id: uuid.UUID, facility_id: uuid.UUID) -> ReentryCase | None:
        """The member's case at the facility still waiting for release, if any."""
        return self.session.scalars(
            select(ReentryCase).where(
                ReentryCase.member_id == member_id,
                ReentryCase.facility_organization_id == facility_id,
                ReentryCase.status == ReentryStatus.PRE_RELEASE.value,
            )
        ).first()

    def add(self, case: ReentryCase) -> ReentryCase:
        """Store a new case (audited)."""
        self.session.add(case)
        self.session.flush()
        self.audit("reentry.open", case)
        return case

    def history(self, case: ReentryCase) -> list[ReentryEvent]:
        """The case's recorded steps, oldest first."""
        return list(
            self.session.scalars(
                select(ReentryEvent)
                .where(ReentryEvent.case_id == case.id)
                .order_by(ReentryEvent.seq)
            )
        )

    def next_seq(self, case: ReentryCase) -> int:
        """The place of the case's next step in its history."""
        count = select(func.count()).where(ReentryEvent.case_id == case.id)
        return int(self.session.scalar(count) or 0) + 1

    def ecm_provider(self, organization_id: uuid.UUID) -> Organization | None:
        """An ECM provider organization by id (providers are named on cases by id)."""
        found = self.session.get(Organization, organization_id)
        return found if found and found.kind == OrganizationKind.ECM_PROVIDER else None

    def staff_of(self, organization_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
        """A user of `organization_id`, or None."""
        found = self.session.get(User, user_id)
        return found if found and found.organization_id == organization_id else None

    def ecm_providers(self) -> list[Organization]:
        """Every ECM provider, by name (a case names its in-reach and receiving providers)."""
        statement = select(Organization).where(
            Organization.kind == OrganizationKind.ECM_PROVIDER.value
        )
        return list(self.session.scalars(statement.order_by(Organization.name)))

    def colleagues(self) -> list[User]:
        """The actor's organization's users, by name (care manager choices)."""
        statement = select(User).where(User.organization_id == self.actor.organization_id)
        return list(self.session.scalars(statement.order_by(User.name)))

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Organization and user names by id (for showing a case's parties)."""
        if not ids:
            return {}
        orgs = self.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        )
        users = self.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {row_id: name for row_id, name in [*orgs, *users]}

    def audit(self, action: str, case: ReentryCase, details: dict[str, Any] | None = None) -> None:
        """Record `action` on `case` in the audit trail (naming the member)."""
        self._audit_row(action, case, details)
