"""Everything the desk shows for one request, read through the ops services (scoped, audited):
the request and its referral, the engine's answer and the criteria behind it, the plan's own
criteria and terms, the member's other authorizations, services and remaining caps, the
letters sent, and each step the reviewers took."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.authorizations import terms
from calaim.ops.authorizations.search import AuthorizationFilter, search_authorizations
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.letters.repository import LetterRepository
from calaim.ops.models import Authorization, Referral, User
from calaim.ops.paging import PageRequest
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.review.criteria import ProgramCriteria, program_criteria
from calaim.ops.review.engine import EngineView
from calaim.ops.review.repository import ReviewRepository
from calaim.ops.review.service import ReviewService
from calaim.ops.services.remaining import CapLeft, remaining_caps
from calaim.ops.services.search import EpisodeFilter, search_episodes
from calaim.web.due import Due, due

MANY = PageRequest(limit=50)
UNDECIDED = ("pending", "presumptive")


@dataclass
class Desk:
    """One request on the desk."""

    authorization: Authorization
    engine: EngineView
    due: Due | None
    criteria: ProgramCriteria | None
    plan_terms: dict[str, Any]
    referral: Referral | None = None
    forms: list[Any] = field(default_factory=list)
    others: list[Authorization] = field(default_factory=list)
    episodes: list[Any] = field(default_factory=list)
    caps: list[CapLeft] = field(default_factory=list)
    letters: list[Any] = field(default_factory=list)
    steps: list[Any] = field(default_factory=list)
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    default_start: dt.date | None = None
    default_end: dt.date | None = None

    @property
    def undecided(self) -> bool:
        """Whether the request still waits for a decision."""
        return self.authorization.status in UNDECIDED

    @property
    def extendable(self) -> bool:
        """Whether an approved period can be extended."""
        return self.authorization.status == "approved" and self.authorization.end_date is not None


def desk(session: Session, actor: User, authorization_id: uuid.UUID, now: dt.datetime) -> Desk:
    """The desk for one request (`NotFound` when the actor's plan does not decide it)."""
    authorization = AuthorizationService(session, actor).get(authorization_id)
    member = authorization.member
    today = local_today(now)
    review = ReviewService(session, actor)
    shown = Desk(
        authorization=authorization,
        engine=review.engine(authorization, now),
        due=due(authorization.decision_due_at, now) if authorization.status in UNDECIDED else None,
        criteria=program_criteria(authorization.program_id, member.payer, member.county, today),
        plan_terms=dict(
            terms.program_terms(terms.plan_terms(member.payer, today), authorization.program_id)
        ),
    )
    _referral(session, actor, shown)
    _history(session, actor, shown, now, today)
    shown.letters = LetterRepository(session, actor).for_authorization(authorization.id)
    shown.steps = review.steps(authorization.id)
    _names(session, actor, shown)
    _defaults(shown, today)
    return shown


def _referral(session: Session, actor: User, shown: Desk) -> None:
    referral_id = shown.authorization.referral_id
    if referral_id is None or not allowed(actor, Permission.REFERRAL_READ):
        return
    shown.referral = ReferralRepository(session, actor).get(referral_id)
    shown.forms = ReviewRepository(session, actor).forms_of(shown.referral)


def _history(session: Session, actor: User, shown: Desk, now: dt.datetime, today: dt.date) -> None:
    a = shown.authorization
    found = search_authorizations(session, actor, AuthorizationFilter(member_id=a.member_id),
                                  MANY, now).items  # fmt: skip
    shown.others = [o for o in found if o.id != a.id]
    if allowed(actor, Permission.SERVICE_READ):
        filters = EpisodeFilter(member_id=a.member_id)
        shown.episodes = search_episodes(session, actor, filters, MANY).items
        shown.caps = remaining_caps(session, actor, a.member_id, a.program_id, on=today)


def _names(session: Session, actor: User, shown: Desk) -> None:
    a = shown.authorization
    ids = {a.plan_organization_id, *(o.provider_organization_id for o in [a, *shown.others])}
    if shown.referral is not None:
        ids |= {shown.referral.referring_organization_id, shown.referral.receiving_organization_id}
    repository = ReviewRepository(session, actor)
    shown.names = repository.organization_names({i for i in ids if i})
    people = {s.by_user_id for s in shown.steps} | (
        {a.decided_by_user_id} if a.decided_by_user_id else set()
    )
    shown.names.update({u.id: u.name for u in repository.reviewers(people).values()})


def _defaults(shown: Desk, today: dt.date) -> None:
    a = shown.authorization
    start = a.start_date or today
    shown.default_start = start
    try:
        months = terms.authorization_months(
            a.member.payer, a.program_id, start,
            reauthorization=a.previous_authorization_id is not None,
        )  # fmt: skip
    except terms.NoAuthorizationLength:
        return
    shown.default_end = terms.period_end(start, months)
