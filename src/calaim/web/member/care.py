"""The member's care: their care team and how to reach them, their care plan, and their
Community Supports with what remains of each cap (`ops/services/remaining`, via `web/caps`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.care_plans.service import CarePlanNotFound, CarePlanService
from calaim.ops.member_portal.repository import OwnCare
from calaim.ops.models import CarePlan, Member, User
from calaim.ops.paging import PageRequest
from calaim.ops.services.search import EpisodeFilter, search_episodes
from calaim.web.caps import episode_caps
from calaim.web.i18n import N_

# Each cap in a member's words.
CAP_WORDS = {
    "lifetime_episodes": N_("%(remaining)s %(unit)s left of %(limit)s for your whole life"),
    "lifetime_units": N_("%(remaining)s %(unit)s left of %(limit)s for your whole life"),
    "lifetime_amount": N_("%(remaining)s left of %(limit)s for your whole life"),
    "episode_units": N_("%(remaining)s %(unit)s left of %(limit)s for this stay"),
    "calendar_year_units": N_("%(remaining)s %(unit)s left of %(limit)s in %(year)s"),
    "rolling_units": N_("%(remaining)s %(unit)s left of %(limit)s in these %(months)s months"),
    "combined_days": N_("%(remaining)s housing days left of %(limit)s in these %(months)s months"),
}
# The units' words (the same words the workspace uses; listed here for the member catalogs).
UNIT_WORDS = (N_("days"), N_("hours"), N_("meals"), N_("months"), N_("items"), N_("episodes"))


def care_plans(session: Session, actor: User) -> list[dict[str, Any]]:
    """The care plans of the member's active ECM enrollments, goals' dates as dates."""
    found = []
    for enrollment in OwnCare(session, actor).enrollments():
        try:
            plan = CarePlanService(session, actor).get(enrollment.id)
        except CarePlanNotFound:
            continue
        found.append(_shown(plan))
    return found


def _shown(plan: CarePlan) -> dict[str, Any]:
    goals = [{**goal, "target_date": _date(goal.get("target_date"))} for goal in plan.goals]
    return {"goals": goals, "interventions": plan.interventions, "care_team": plan.care_team}


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def supports(session: Session, actor: User, member: Member, today: dt.date) -> list[dict[str, Any]]:
    """The member's open Community Supports, each with what remains of its caps today."""
    page = search_episodes(
        session, actor, EpisodeFilter(member_id=member.id), PageRequest(limit=100)
    )
    shown = []
    for episode in page.items:
        if episode.status != "open":
            continue
        caps = episode_caps(session, actor, episode, today)["caps"]
        shown.append({"program_id": episode.program_id, "since": episode.started_on, "caps": caps})
    return shown


def cap_words(cap: dict[str, Any], translate: Any) -> str:
    """One cap in the member's words and language."""
    template = CAP_WORDS.get(cap["kind"])
    if template is None:
        return ""
    unit = translate(cap["unit"]) if cap["unit"] else ""
    return str(translate(template) % {**cap, "unit": unit})
