"""Everything the member page shows, read through the ops services (scoped and audited there).

Each section is read only when the actor's role has the permission for it, so a page never
asks the services for more than the API would give the same user.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.authorizations.search import AuthorizationFilter, search_authorizations
from calaim.ops.care_plans.service import CarePlanNotFound, CarePlanService
from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.consents.service import ConsentService
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.enrollments.outreach import OutreachService
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.members.service import MemberService
from calaim.ops.models import Member, Part2Consent, Part2ConsentRequest, User
from calaim.ops.notices.repository import NoticeFilter, NoticeRepository
from calaim.ops.paging import PageRequest
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.search import ReferralFilter, search_referrals
from calaim.ops.services.search import EpisodeFilter, search_episodes
from calaim.ops.services.service import EpisodeService
from calaim.reports.reasons import reason
from calaim.web.caps import episode_caps, unit_label, used_in_episode
from calaim.web.due import due
from calaim.web.i18n import N_
from calaim.web.timeline import in_step_order

P = Permission
MANY = PageRequest(limit=100)
# The status label of a result withheld under 42 CFR Part 2 (`calaim.ops.access.part2`).
RESTRICTED_LABEL = N_("details restricted")


@dataclass
class MemberPage:
    """The member and each section of their page (empty when the role may not see it)."""

    member: Member
    determinations: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[dict[str, Any]] = field(default_factory=list)
    enrollments: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    consents: list[Part2Consent] = field(default_factory=list)
    consent_requests: list[Part2ConsentRequest] = field(default_factory=list)

    @property
    def authorizations_with_open_episodes(self) -> set[uuid.UUID]:
        """Authorizations already serving an open episode (no second "start" is offered)."""
        return {i["row"].authorization_id for i in self.episodes if i["row"].status == "open"}


def member_page(
    session: Session, actor: User, member_id: uuid.UUID, now: dt.datetime
) -> MemberPage:
    """The member page of `member_id` as `actor` may see it (`NotFound` out of scope)."""
    member = MemberService(session, actor).get(member_id)
    today = local_today(now)
    page = MemberPage(member)
    page.determinations = _determinations(session, actor, member, today)
    if allowed(actor, P.REFERRAL_READ):
        page.referrals = _referrals(session, actor, member.id)
    if allowed(actor, P.AUTHORIZATION_READ):
        found = search_authorizations(
            session, actor, AuthorizationFilter(member_id=member.id), MANY, now
        ).items
        page.authorizations = [{"row": a, "due": _open_due(a, now)} for a in found]
    if allowed(actor, P.ENROLLMENT_READ):
        page.enrollments = _enrollments(session, actor, member.id)
    if allowed(actor, P.SERVICE_READ):
        page.episodes = _episodes(session, actor, member.id, today)
    if allowed(actor, P.CONSENT_RECORD) or allowed(actor, P.CONSENT_REQUEST):
        page.consents = ConsentService(session, actor).for_member(member.id)
        page.consent_requests = ConsentRequests(session, actor).search(
            member_id=member.id, status=None
        )
    if allowed(actor, P.NOTICE_READ):
        page.notices = (
            NoticeRepository(session, actor).search(NoticeFilter(member_id=member.id), MANY).items
        )
    return page


def _open_due(authorization: Any, now: dt.datetime) -> Any:
    undecided = authorization.status in ("pending", "presumptive")
    return due(authorization.decision_due_at, now) if undecided else None


def _determinations(
    session: Session, actor: User, member: Member, today: dt.date
) -> list[dict[str, Any]]:
    rows = DeterminationRepository(session, actor).for_member(member.id, today=today)
    return [
        {
            "row": row,
            "reason": reason(
                row.program_id, row.status, row.eligible, bool(row.offered), member, row.as_of
            ),
        }
        for row in rows
    ]


def _referrals(session: Session, actor: User, member_id: uuid.UUID) -> list[dict[str, Any]]:
    found = search_referrals(session, actor, ReferralFilter(member_id=member_id), MANY).items
    repository = ReferralRepository(session, actor)
    return [{"row": r, "history": in_step_order(repository.history(r.id))} for r in found]


def _enrollments(session: Session, actor: User, member_id: uuid.UUID) -> list[dict[str, Any]]:
    found = EnrollmentRepository(session, actor).search(MANY, member_id=member_id).items
    shown = []
    for enrollment in found:
        try:
            care_plan = CarePlanService(session, actor).get(enrollment.id)
        except CarePlanNotFound:
            care_plan = None
        attempts = OutreachService(session, actor).attempts(enrollment.id)
        shown.append({"row": enrollment, "attempts": attempts, "care_plan": care_plan})
    return shown


def _episodes(
    session: Session, actor: User, member_id: uuid.UUID, today: dt.date
) -> list[dict[str, Any]]:
    found = search_episodes(session, actor, EpisodeFilter(member_id=member_id), MANY).items
    service = EpisodeService(session, actor)
    shown = []
    for episode in found:
        deliveries = service.deliveries(episode.id)
        # Caps (with what every provider used) for open episodes: the ones still recording.
        caps = episode_caps(session, actor, episode, today) if episode.status == "open" else None
        shown.append(
            {
                "row": episode,
                "deliveries": deliveries,
                "usage": used_in_episode(deliveries),
                "caps": caps or {"unit": unit_label(episode.program_id), "caps": []},
            }
        )
    return shown
