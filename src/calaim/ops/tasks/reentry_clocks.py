"""The reentry deadlines as clocks (docs/reentry.md), counted back from the expected release.

Once the 90-day pre-release window opens, the care team (the in-reach provider's care manager,
or its lead care managers; the facility's reentry staff while no provider is named) owes the
needs assessment, the reentry care plan and the warm handoff by their due days; the facility
owes the record of the medications and equipment given at release. A due day already past
when the case was opened is moved to the day it was opened. A moved release date moves every
deadline (a new task; the old one is closed as moved), a cancelled release closes them.
"""

from __future__ import annotations

import datetime as dt

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.models import ReentryCase, ReentryStatus, Role
from calaim.ops.models.task import TaskKind
from calaim.ops.reentry.terms import release_dates
from calaim.ops.tasks.clocks import WantedTask, end_of_local_day

KINDS = [
    TaskKind.REENTRY_ASSESSMENT,
    TaskKind.REENTRY_CARE_PLAN,
    TaskKind.REENTRY_HANDOFF,
    TaskKind.REENTRY_RELEASE_SUPPLY,
]


def reentry(case: ReentryCase, today: dt.date) -> list[WantedTask]:
    """The deadlines of one case that should be open on `today`."""
    release_on = case.released_on or case.expected_release_on
    if case.status == ReentryStatus.CANCELLED.value or release_on is None:
        return []
    dates = release_dates(release_on)
    opened_on = case.created_at.astimezone(local_zone()).date()
    wanted: list[WantedTask] = []
    if case.status == ReentryStatus.PRE_RELEASE.value and today >= dates.window_opens_on:
        care_team = [
            (TaskKind.REENTRY_ASSESSMENT, case.assessed_on, dates.assessment_due_on),
            (TaskKind.REENTRY_CARE_PLAN, case.care_plan_on, dates.care_plan_due_on),
            (TaskKind.REENTRY_HANDOFF, case.handoff_held_on, dates.handoff_due_on),
        ]
        for kind, done, due_on in care_team:
            if done is None:
                wanted.append(_care_team_task(case, kind, max(due_on, opened_on)))
    grace = dt.timedelta(days=dates.supply_grace_days)
    released_recently = case.released_on is None or today <= case.released_on + grace
    if case.supply_recorded_on is None and released_recently and today >= dates.window_opens_on:
        wanted.append(_task(case, TaskKind.REENTRY_RELEASE_SUPPLY, release_on, facility=True))
    return wanted


def _care_team_task(case: ReentryCase, kind: TaskKind, due_on: dt.date) -> WantedTask:
    return _task(case, kind, due_on, facility=case.pre_release_provider_id is None)


def _task(case: ReentryCase, kind: TaskKind, due_on: dt.date, *, facility: bool) -> WantedTask:
    team: Role | None
    if facility or case.pre_release_provider_id is None:
        owner, team, person = case.facility_organization_id, Role.FACILITY_REENTRY_STAFF, None
    else:
        owner, person = case.pre_release_provider_id, case.care_manager_user_id
        team = None if person else Role.LEAD_CARE_MANAGER
    return WantedTask(
        owner, kind, "reentry_case", case.id, case.member_id, end_of_local_day(due_on), team, person
    )
