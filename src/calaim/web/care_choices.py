"""What the member page's care management parts need: labels and options in the page language.

Domain and need labels come from policy data with their translations
(`ops/care_plans/domains.py`); the rest are `N_()`-marked English translated in the template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.care_plans.domains import assessment_domains, need_levels
from calaim.ops.models import CarePlan, OutreachMethod, OutreachOutcome, User
from calaim.web.care_plan_form import GOAL_STATUSES, form_rows
from calaim.web.i18n import N_
from calaim.web.member_view import MemberPage

METHODS = {
    OutreachMethod.IN_PERSON: N_("In person"),
    OutreachMethod.PHONE: N_("Phone"),
    OutreachMethod.TEXT: N_("Text message"),
    OutreachMethod.EMAIL: N_("Email"),
    OutreachMethod.MAIL: N_("Letter"),
    OutreachMethod.VIDEO: N_("Video"),
}
OUTCOMES = {
    OutreachOutcome.NO_ANSWER: N_("No answer"),
    OutreachOutcome.LEFT_MESSAGE: N_("Left a message"),
    OutreachOutcome.WRONG_CONTACT: N_("Wrong number or address"),
    OutreachOutcome.REACHED_AGREED: N_("Reached: agreed to enroll"),
    OutreachOutcome.REACHED_THINKING: N_("Reached: wants time to decide"),
    OutreachOutcome.REACHED_DECLINED: N_("Reached: declined"),
}
# The threshold languages' names by ISO 639-1 code (shown to people instead of codes).
LANGUAGE_NAMES = {
    "en": N_("English"),
    "es": N_("Spanish"),
    "zh": N_("Chinese"),
    "vi": N_("Vietnamese"),
    "tl": N_("Tagalog"),
    "ko": N_("Korean"),
    "hy": N_("Armenian"),
    "ru": N_("Russian"),
    "fa": N_("Farsi"),
    "ar": N_("Arabic"),
}


def care_choices(actor: User, language: str) -> dict[str, Any]:
    """Labels, options and small helpers for the contact, outreach and care plan parts."""
    domains = [
        {"id": d.id, "label": d.label_in(language), "prompt": d.prompt_in(language)}
        for d in assessment_domains()
    ]
    levels = {level.id: level.label_in(language) for level in need_levels()}
    domain_names = {d["id"]: d["label"] for d in domains}
    return {
        "methods": list(METHODS.items()),
        "outcomes": list(OUTCOMES.items()),
        "method_label": lambda code: METHODS.get(code, code or ""),
        "outcome_label": lambda code: OUTCOMES.get(code, code or ""),
        "language_name": language_name,
        "may_update_contact": _may_update_contact(actor),
        "domains": domains,
        "need_options": list(levels.items()),
        "domain_options": list(domain_names.items()),
        "domain_label": lambda code: domain_names.get(code, ""),
        "needs_found": lambda plan: needs_found(plan, language),
        "goal_statuses": GOAL_STATUSES,
        "goal_status_label": lambda code: dict(GOAL_STATUSES).get(code, code or ""),
        "care_plan_rows": form_rows,
        "as_day": _as_day,
    }


def language_name(code: str | None) -> str:
    """A recorded language as its name ("es" -> Spanish); unknown values as recorded."""
    text = (code or "").strip()
    return LANGUAGE_NAMES.get(text.lower(), text)


def _may_update_contact(actor: User) -> Callable[[MemberPage], bool]:
    def may(page: MemberPage) -> bool:
        if allowed(actor, Permission.MEMBER_WRITE):
            return True
        active = ("assigned", "outreach", "enrolled")
        return allowed(actor, Permission.OUTREACH_RECORD) and any(
            i["row"].provider_organization_id == actor.organization_id and i["row"].status in active
            for i in page.enrollments
        )

    return may


def needs_found(plan: CarePlan, language: str) -> list[dict[str, str]]:
    """The assessment's domains with a need (or an urgent one), labelled in `language`."""
    levels = {level.id: level.label_in(language) for level in need_levels()}
    domains = {domain.id: domain.label_in(language) for domain in assessment_domains()}
    return [
        {
            "domain": domains.get(item["domain"], item["domain"]),
            "need": levels.get(item.get("need"), ""),
            "note": item.get("note") or "",
        }
        for item in plan.assessment or []
        if item.get("need") in ("need", "urgent")
    ]


def _as_day(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
