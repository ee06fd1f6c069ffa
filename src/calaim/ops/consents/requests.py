"""Part 2 consent requests: a provider asks the member's plan to obtain the member's consent.

The request names the requester's own organization (never another), says why, and stays open
until the plan records the member's signed form (`ConsentService.record_consent` with the
request's id) or declines it. Requesting grants nothing: only a recorded consent does.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.consents.members import require_members_plan, visible_member
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import ConsentRequestStatus, Member, Part2ConsentRequest, User
from calaim.ops.repository_base import Missing, first_visible

OPEN = ConsentRequestStatus.OPEN.value


class ConsentRequestNotFound(NotFound):
    """No consent request with that id that the actor may see."""


MISSING_REQUEST = Missing(
    "part2_consent_request",
    ConsentRequestNotFound,
    action="consent_request.not_found",
    noun="consent request",
)


class ConsentRequests:
    """Consent requests on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def ask(self, member_id: uuid.UUID, purpose: str, *, now: dt.datetime) -> Part2ConsentRequest:
        """Ask the member's plan for the member's consent for the actor's own organization."""
        require(self.actor, Permission.CONSENT_REQUEST)
        member = visible_member(self.session, self.actor, member_id)
        mine = self.actor.organization_id
        if self._open_for(member.id, mine) is not None:
            raise Conflict(
                "your organization already has an open consent request for this member; "
                "the member's plan answers it"
            )
        request = Part2ConsentRequest(
            member_id=member.id,
            organization_id=mine,
            purpose=purpose,
            status=OPEN,
            requested_by_user_id=self.actor.id,
            requested_at=now,
        )
        self.session.add(request)
        self.session.flush()
        self._audit("consent_request.create", request, member)
        return request

    def decline(self, request_id: uuid.UUID, note: str, *, now: dt.datetime) -> Part2ConsentRequest:
        """The member's plan closes an open request without a consent (the member declined)."""
        require(self.actor, Permission.CONSENT_RECORD)
        request, member = self._visible(request_id)
        require_members_plan(self.actor, member)
        self._answer(request, ConsentRequestStatus.DECLINED, now, note)
        self._audit("consent_request.decline", request, member)
        return request

    def mark_recorded(
        self, request_id: uuid.UUID, member: Member, organization_id: uuid.UUID, at: dt.datetime
    ) -> None:
        """Close the open request a just-recorded consent answers (same member, same party)."""
        request, _member = self._visible(request_id)
        if request.member_id != member.id or request.organization_id != organization_id:
            raise InvalidRequest(
                "the consent request is for another member or organization", field="request_id"
            )
        self._answer(request, ConsentRequestStatus.RECORDED, at, None)
        self._audit("consent_request.recorded", request, member)

    def search(
        self, *, member_id: uuid.UUID | None, status: ConsentRequestStatus | None
    ) -> list[Part2ConsentRequest]:
        """Requests the actor may see: the plan's members', or the actor's organization's."""
        statement = self._readable()
        if member_id is not None:
            # A member the actor may not see is not found, exactly like one that does not exist.
            member = visible_member(self.session, self.actor, member_id)
            statement = statement.where(Part2ConsentRequest.member_id == member.id)
        if status is not None:
            statement = statement.where(Part2ConsentRequest.status == status.value)
        order = (Part2ConsentRequest.requested_at, Part2ConsentRequest.id)
        found = list(self.session.scalars(statement.order_by(*order).limit(500)))
        record(
            self.session,
            self.actor,
            "consent_request.list",
            None,
            entity_type="part2_consent_request",
            details={"member_id": str(member_id) if member_id else None, "count": len(found)},
        )
        self.session.flush()
        return found

    def _readable(self) -> Select[Part2ConsentRequest]:
        members = visible_members(self.actor).with_only_columns(Member.id)
        own = self.actor.organization_id
        plans = select(Member.id).where(Member.plan_organization_id == own)
        return select(Part2ConsentRequest).where(
            Part2ConsentRequest.member_id.in_(members),
            or_(
                Part2ConsentRequest.organization_id == own,
                Part2ConsentRequest.member_id.in_(plans),
            ),
        )

    def _visible(self, request_id: uuid.UUID) -> tuple[Part2ConsentRequest, Member]:
        statement = self._readable().where(Part2ConsentRequest.id == request_id)
        request: Part2ConsentRequest = first_visible(
            self.session, self.actor, statement, request_id, MISSING_REQUEST
        )
        member = self.session.get(Member, request.member_id)
        assert member is not None  # a foreign key guarantees it
        return request, member

    def _open_for(self, member_id: uuid.UUID, organization_id: uuid.UUID) -> object | None:
        return self.session.scalars(
            select(Part2ConsentRequest.id).where(
                Part2ConsentRequest.member_id == member_id,
                Part2ConsentRequest.organization_id == organization_id,
                Part2ConsentRequest.status == OPEN,
            )
        ).first()

    def _answer(
        self,
        request: Part2ConsentRequest,
        status: ConsentRequestStatus,
        now: dt.datetime,
        note: str | None,
    ) -> None:
        if request.status != OPEN:
            raise Conflict(f"the consent request was already answered ({request.status})")
        request.status = status.value
        request.answered_by_user_id = self.actor.id
        request.answered_at = now
        request.answer_note = note

    def _audit(self, action: str, request: Part2ConsentRequest, member: Member) -> None:
        event = record(
            self.session,
            self.actor,
            action,
            request,
            details={"organization_id": str(request.organization_id), "status": request.status},
        )
        event.member_person_id = member.person_id
        self.session.flush()
