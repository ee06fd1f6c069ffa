"""The worklists on `/app`, one per kind of work, each read through the ops services.

A user sees every list their role's permissions allow (a plan's utilization management sees
the authorization queue, a lead care manager their members, and so on). Due dates and time
left come from the app's clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.authorizations.search import AuthorizationFilter, search_authorizations
from calaim.ops.care_plans.revision import last_revised, revision_due_on, revision_due_soon
from calaim.ops.care_plans.service import CarePlanNotFound, CarePlanService
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.models import AuthorizationStatus, EnrollmentStatus, User
from calaim.ops.models.service_episode import EpisodeStatus
from calaim.ops.notices.repository import NoticeFilter, NoticeRepository
from calaim.ops.paging import PageRequest
from calaim.ops.policy import shipped_policy
from calaim.ops.referrals.search import ReferralFilter, search_referrals
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralStatus
from calaim.ops.services.search import EpisodeFilter, search_episodes
from calaim.reports.filters import Filters, Period
from calaim.reports.funnel import funnel
from calaim.reports.timeliness import timeliness
from calaim.web.caps import episode_caps
from calaim.web.due import due

P = Permission
LIST = PageRequest(limit=50)


def worklists(session: Session, actor: User, now: dt.datetime) -> dict[str, Any]:
    """Each worklist the actor's role has, by name."""
    lists: dict[str, Any] = {}
    if allowed(actor, P.AUTHORIZATION_DECIDE):
        lists["authorizations"] = pending_authorizations(session, actor, now)
    if allowed(actor, P.REFERRAL_ACT) and not allowed(actor, P.SERVICE_RECORD):
        lists["late_loops"] = ReferralService(session, actor).overdue(now)[:20]
    if allowed(actor, P.REFERRAL_ACT):
        lists["incoming"] = _referrals(session, actor, ReferralStatus.RECEIVED)
    if allowed(actor, P.ENROLLMENT_ACT):
        lists.update(my_members(session, actor, now))
    if allowed(actor, P.SERVICE_RECORD):
        lists["episodes"] = services_to_record(session, actor, now)
    if allowed(actor, P.AGGREGATE_READ) and not allowed(actor, P.MEMBER_READ):
        lists["glance"] = at_a_glance(session, actor, now)
    if not allowed(actor, P.MEMBER_READ) and allowed(actor, P.REFERRAL_READ):
        lists["my_referrals"] = search_referrals(session, actor, ReferralFilter(), LIST).items
        lists["notices"] = NoticeRepository(session, actor).search(NoticeFilter(), LIST).items
    return lists


def at_a_glance(session: Session, actor: User, now: dt.datetime) -> dict[str, Any]:
    """For those who see aggregates only (state analysts): the ECM funnel's totals and the
    authorization decisions of the last 12 months, with small cells suppressed as everywhere."""
    period = Period.ending(local_today(now), days=365)
    policy = shipped_policy()
    ecm = funnel(session, actor, policy, period, Filters())
    decisions = timeliness(session, actor, policy, period, Filters(), now)
    return {"period": period, "funnel": ecm.totals, "timeliness": decisions.totals}


def pending_authorizations(session: Session, actor: User, now: dt.datetime) -> list[Any]:
    """Undecided authorizations, soonest (or most overdue) decision first, with time left."""
    rows = []
    for status in (AuthorizationStatus.PENDING, AuthorizationStatus.PRESUMPTIVE):
        found = search_authorizations(session, actor, AuthorizationFilter(status=status), LIST, now)
        rows.extend(found.items)
    rows.sort(key=lambda a: a.decision_due_at or now)
    return [{"row": a, "due": due(a.decision_due_at, now)} for a in rows]


def services_to_record(session: Session, actor: User, now: dt.datetime) -> list[Any]:
    """Open episodes (services to record), each with what remains of its caps today."""
    found = search_episodes(session, actor, EpisodeFilter(status=EpisodeStatus.OPEN), LIST)
    today = local_today(now)
    return [{"row": e, "caps": episode_caps(session, actor, e, today)} for e in found.items]


def _referrals(session: Session, actor: User, status: ReferralStatus) -> list[Any]:
    return search_referrals(session, actor, ReferralFilter(status=status), LIST).items


def my_members(session: Session, actor: User, now: dt.datetime) -> dict[str, list[Any]]:
    """The provider's members: outreach to do, and care plans missing or due for revision."""
    repository = EnrollmentRepository(session, actor)
    outreach = []
    for status in (EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH):
        outreach.extend(repository.search(LIST, status=status).items)
    outreach.sort(key=lambda e: e.assigned_on)
    plans = []
    today = local_today(now)
    for enrollment in repository.search(LIST, status=EnrollmentStatus.ENROLLED).items:
        try:
            care_plan = CarePlanService(session, actor).get(enrollment.id)
        except CarePlanNotFound:
            plans.append({"row": enrollment, "revised": None, "due_on": enrollment.enrolled_on})
            continue
        # The task clock's rule (ops/care_plans/revision.py), so the list and the tasks agree.
        due_on = revision_due_on(enrollment, care_plan, today)
        if revision_due_soon(due_on, today):
            plans.append({"row": enrollment, "revised": last_revised(care_plan), "due_on": due_on})
    return {"outreach": outreach, "care_plans": plans}
