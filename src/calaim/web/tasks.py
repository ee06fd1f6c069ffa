"""`/app/tasks`: the organization's tasks from the DHCS clocks (mine and my team's, or all),
with due dates and time left; assign to a colleague or a team, mark done."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import ROLE_PERMISSIONS, Permission, allowed
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Role, User
from calaim.ops.models.task import Task, TaskKind, TaskStatus
from calaim.ops.tasks.service import TaskService
from calaim.web.due import due
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.worklist_views import paging, views_context

router = page_router()
PAGE_SIZE = 50
K = TaskKind
SAYS = {
    K.AUTHORIZATION_DECISION: N_("Decide the authorization request"),
    K.INFORMATION_REQUEST: N_("Follow up the information requested"),
    K.OUTREACH: N_("Reach the member (outreach)"),
    K.CARE_PLAN_REVISION: N_("Write or revise the care plan"),
    K.LOOP_CLOSURE: N_("Move the referral's closed loop forward"),
    K.CREDENTIAL_EXPIRY: N_("Renew a license, insurance policy or staff credential"),
    K.REENTRY_ASSESSMENT: N_("Complete the pre-release needs assessment"),
    K.REENTRY_CARE_PLAN: N_("Write the reentry care plan"),
    K.REENTRY_HANDOFF: N_("Hold the warm handoff meeting"),
    K.REENTRY_RELEASE_SUPPLY: N_("Record the medications and equipment given at release"),
}
TEAMS = {
    Role.PLAN_UTILIZATION_MANAGEMENT: N_("Utilization management team"),
    Role.PLAN_CARE_COORDINATION: N_("Care coordination team"),
    Role.PLAN_ADMIN: N_("Plan administrators"),
    Role.LEAD_CARE_MANAGER: N_("Lead care managers"),
    Role.ECM_SUPERVISOR: N_("ECM supervisors"),
    Role.CS_PROVIDER_STAFF: N_("Community Supports staff"),
    Role.REFERRER: N_("Referral staff"),
    Role.FACILITY_REENTRY_STAFF: N_("Reentry staff"),
    Role.COUNTY_BH_STAFF: N_("County behavioral health staff"),
}
SORTS = {"due": N_("Due soonest"), "latest": N_("Due latest")}
PROBLEMS = {"assignee": N_("Choose a person or a team in your organization.")}
DONE = {
    "assigned": N_("The task was assigned."),
    "completed": N_("The task is done."),
}


def link(actor: User, task: Task) -> str | None:
    """Where the work of a task is done."""
    if task.subject_type == "authorization":
        if allowed(actor, Permission.AUTHORIZATION_DECIDE):
            return f"/app/authorizations/{task.subject_id}"
        return f"/app/members/{task.member_id}#authorizations" if task.member_id else None
    if task.subject_type == "enrollment" and task.member_id:
        return f"/app/members/{task.member_id}#ecm"
    if task.subject_type == "referral":
        return f"/app/referrals/{task.subject_id}"
    if task.subject_type == "reentry_case":
        return f"/app/reentry/{task.subject_id}"
    return None


def teams_of(colleagues: list[User]) -> list[tuple[str, str]]:
    """The teams a task can go to: the roles present in the organization."""
    present = {Role(u.role) for u in colleagues}
    return [(f"team:{r.value}", TEAMS[r]) for r in TEAMS if r in present]


@router.get("/app/tasks")
def task_list(
    request: Request,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    show: str = "mine",
    status: str = "open",
    kind: str | None = None,
    sort: str = "due",
    page: int = 1,
    done: str | None = None,
    failed: str | None = None,
) -> Response:
    """The task list (filtered, sorted, paged): the clocks are brought up to date first."""
    service = TaskService(session, actor)
    service.refresh(now)
    chosen = TaskStatus(status) if status in set(TaskStatus) else TaskStatus.OPEN
    mine = show != "all"
    of_kind = TaskKind(kind) if kind in set(TaskKind) else None
    order = sort if sort in SORTS else "due"
    number = min(max(page, 1), 10_000)
    rows, total = service.page(
        mine_only=mine, status=chosen, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE,
        kind=of_kind, latest_first=order == "latest",
    )  # fmt: skip
    query = {"show": "mine" if mine else "all", "status": chosen.value,
             "kind": of_kind.value if of_kind else "", "sort": order}  # fmt: skip
    colleagues = service.colleagues()
    names = {u.id: u.name for u in colleagues}
    context: dict[str, Any] = {
        "rows": [
            {"task": t, "due": due(t.due_at, now) if chosen == TaskStatus.OPEN else None,
             "link": link(actor, t)}
            for t in rows
        ],
        "total": total,
        "members": service.members_of(rows) if allowed(actor, Permission.MEMBER_READ) else {},
        "names": names,
        "says": SAYS,
        "teams": dict(TEAMS),
        "mine": mine,
        "status": chosen.value,
        "assignees": [(str(u.id), u.name) for u in colleagues] + teams_of(colleagues),
        "flash": DONE.get(done or ""),
        "problem": PROBLEMS.get(failed or ""),
        "kind": of_kind,
        "sort": order,
        "sorts": SORTS,
        "paging": paging(total, number, PAGE_SIZE, query, "/app/tasks"),
        **views_context(session, actor, "tasks", query),
    }  # fmt: skip
    return render(request, "tasks/list.html", context)


@router.post("/app/tasks/{task_id}/assign")
async def assign(
    request: Request, task_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Give the task to a colleague or a team."""
    form = await request.form()
    version = _version(text(form, "version", 12))
    user_id, team = _assignee(text(form, "assignee", 80))
    if user_id is None and team is None:
        return _again(session, "assignee")
    try:
        TaskService(session, actor).assign(
            task_id, expected_version=version, now=now, user_id=user_id, team_role=team
        )
    except InvalidRequest:
        return _again(session, "assignee")
    return redirect("/app/tasks?show=all&done=assigned")


@router.post("/app/tasks/{task_id}/complete")
async def complete(
    request: Request, task_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Mark the task done (with an optional note)."""
    form = await request.form()
    version = _version(text(form, "version", 12))
    TaskService(session, actor).complete(
        task_id, expected_version=version, now=now, note=text(form, "note", 500) or None
    )
    return redirect("/app/tasks?done=completed")


def _again(session: Any, problem: str) -> Response:
    session.rollback()
    return redirect(f"/app/tasks?show=all&failed={problem}")


def _version(raw: str) -> int:
    return int(raw) if raw.isdigit() else -1


def _assignee(chosen: str) -> tuple[uuid.UUID | None, Role | None]:
    if chosen.startswith("team:"):
        role = chosen.removeprefix("team:")
        return None, Role(role) if role in set(Role) and Role(role) in ROLE_PERMISSIONS else None
    try:
        return uuid.UUID(chosen), None
    except ValueError:
        return None, None
