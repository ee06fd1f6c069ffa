"""The DHCS clocks make tasks: once each, due when the clock says, closed when the work is done,
scoped to the organization that must act; late loops are told to both parties."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import CarePlan, Enrollment, Referral, ReferralTransition, Role
from calaim.ops.models.inbox import Notification
from calaim.ops.models.task import Task
from calaim.ops.notifications.service import NotificationService
from calaim.ops.tasks.clocks import end_of_local_day
from calaim.ops.tasks.repository import TaskNotFound
from calaim.ops.tasks.service import TaskService
from calaim.ops.tasks.sweep import sweep

from ..authorizations.conftest import Parties, at
from ..factories import user

ASKED = at(2024, 10, 1, 9, 0)  # LACARE: no presumptive ECM before 2025, so it waits


def tasks(session: Session, kind: str) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.kind == kind)))


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def test_an_undecided_request_is_a_task_for_utilization_management_until_decided(
    session: Session, parties: Parties
) -> None:
    pending = AuthorizationService(session, parties.um).request(
        member_id=parties.member.id, program_id="ecm", now=ASKED
    )
    result = sweep(session, ASKED)
    (task,) = tasks(session, "authorization_decision")
    assert (task.organization_id, task.team_role) == (
        parties.plan.id,
        "plan_utilization_management",
    )
    assert aware(task.due_at) == aware(pending.decision_due_at)
    assert result.created >= 1
    assert sweep(session, ASKED).created == 0  # once, however often it runs

    AuthorizationService(session, parties.um).approve(
        pending.id, expected_version=pending.version, now=ASKED, end_date=dt.date(2025, 9, 30)
    )
    assert sweep(session, ASKED).closed == 1
    assert task.status == "done"
    assert tasks(session, "authorization_decision") == [task]  # a closed task is not remade


def test_outreach_is_due_when_the_unable_to_reach_window_ends(
    session: Session, parties: Parties
) -> None:
    enrollment = Enrollment(
        member_id=parties.member.id, plan_organization_id=parties.plan.id,
        provider_organization_id=parties.ecm_provider.id, status="assigned",
        assignment_reason="matched", assigned_on=dt.date(2025, 9, 1),
    )  # fmt: skip
    session.add(enrollment)
    session.flush()
    sweep(session, at(2025, 9, 2, 9, 0))
    (task,) = tasks(session, "outreach")
    # authorization.outreach.unable_to_reach_days: 90 days after assignment, end of that day.
    assert aware(task.due_at) == end_of_local_day(dt.date(2025, 11, 30))
    assert (task.organization_id, task.team_role) == (parties.ecm_provider.id, "lead_care_manager")


@pytest.mark.parametrize(("revised_days_ago", "made"), [(152, True), (151, False)])
def test_a_care_plan_revision_task_appears_30_days_before_it_is_due(
    session: Session, parties: Parties, revised_days_ago: int, made: bool
) -> None:
    today = dt.date(2025, 10, 1)
    enrollment = Enrollment(
        member_id=parties.member.id, plan_organization_id=parties.plan.id,
        provider_organization_id=parties.ecm_provider.id, status="enrolled",
        assignment_reason="matched", assigned_on=dt.date(2025, 1, 2),
        enrolled_on=dt.date(2025, 1, 10), lead_care_manager_user_id=parties.lead_care_manager.id,
    )  # fmt: skip
    session.add(enrollment)
    session.flush()
    revised = today - dt.timedelta(days=revised_days_ago)
    session.add(CarePlan(enrollment_id=enrollment.id, latest_revision_on=revised))
    session.flush()
    sweep(session, at(2025, 10, 1, 9, 0))
    found = tasks(session, "care_plan_revision")
    assert bool(found) == made
    if made:
        # Revised every 182 days: 152 days ago is due in exactly 30 days; for the care manager.
        assert aware(found[0].due_at) == end_of_local_day(revised + dt.timedelta(days=182))
        assert found[0].assignee_user_id == parties.lead_care_manager.id


def test_a_late_loop_is_a_task_for_the_receiver_and_news_for_both_parties(
    session: Session, parties: Parties
) -> None:
    received = at(2025, 9, 1, 9, 0)
    referral = Referral(
        member_id=parties.member.id, program_id="cs.respite",
        referring_organization_id=parties.referrer.organization_id,
        receiving_organization_id=parties.cs_provider.id, source_kind="hospital",
        status="received", received_at=received, updated_at=received,
    )  # fmt: skip
    session.add(referral)
    session.flush()
    session.add(ReferralTransition(referral_id=referral.id, to_status="received", at=received))
    session.flush()
    # closed_loop.windows.decide_days is 5: due at received + 5 days; late only after that.
    due = received + dt.timedelta(days=5)
    assert sweep(session, due).late_loops == 0
    (task,) = tasks(session, "loop_closure")
    assert (task.organization_id, aware(task.due_at)) == (parties.cs_provider.id, due)
    assert sweep(session, due + dt.timedelta(seconds=1)).late_loops == 1
    late = session.scalars(select(Notification).where(Notification.kind == "loop_late")).all()
    told = {n.organization_id for n in late}
    assert told == {parties.cs_provider.id, parties.referrer.organization_id}
    sweep(session, due + dt.timedelta(hours=5))  # the same day: nobody is told twice
    again = session.scalars(select(Notification).where(Notification.kind == "loop_late")).all()
    assert len(again) == len(late)


def test_assign_within_the_organization_and_complete(session: Session, parties: Parties) -> None:
    AuthorizationService(session, parties.um).request(
        member_id=parties.member.id, program_id="ecm", now=ASKED
    )
    colleague = user(session, parties.plan, Role.PLAN_UTILIZATION_MANAGEMENT)
    service = TaskService(session, parties.um)
    service.refresh(ASKED)
    (task,) = service.page(mine_only=True)[0]
    with pytest.raises(InvalidRequest, match="not in your organization"):
        service.assign(task.id, expected_version=task.version, now=ASKED,
                       user_id=parties.cs_staff.id)  # fmt: skip
    service.assign(task.id, expected_version=task.version, now=ASKED, user_id=colleague.id)
    assert task.assignee_user_id == colleague.id
    assert NotificationService(session, colleague).unread_count() == 1
    assert service.page(mine_only=True)[1] == 0  # now the colleague's, not mine
    assert TaskService(session, colleague).page(mine_only=True)[1] == 1
    with pytest.raises(Conflict, match="changed this task"):
        service.complete(task.id, expected_version=task.version - 1, now=ASKED, note=None)
    service.complete(task.id, expected_version=task.version, now=ASKED, note="called the CBO")
    assert (task.status, task.closed_by_user_id) == ("done", parties.um.id)
    with pytest.raises(Conflict, match="already closed"):
        service.complete(task.id, expected_version=task.version, now=ASKED, note=None)


def test_another_organizations_task_is_not_found(session: Session, parties: Parties) -> None:
    AuthorizationService(session, parties.um).request(
        member_id=parties.member.id, program_id="ecm", now=ASKED
    )
    TaskService(session, parties.um).refresh(ASKED)
    (task,) = tasks(session, "authorization_decision")
    outsider = TaskService(session, parties.other_plan_um)
    assert outsider.page(mine_only=False)[1] == 0
    with pytest.raises(TaskNotFound):
        outsider.complete(task.id, expected_version=task.version, now=ASKED, note=None)
    # A refresh for the other plan makes no task of this plan's.
    outsider.refresh(ASKED)
    assert len(tasks(session, "authorization_decision")) == 1


def test_the_workspace_lists_care_plans_due_on_the_clocks_day(
    session: Session, parties: Parties
) -> None:
    from calaim.web.worklists import my_members

    enrollment = Enrollment(
        member_id=parties.member.id, plan_organization_id=parties.plan.id,
        provider_organization_id=parties.ecm_provider.id, status="enrolled",
        assignment_reason="matched", assigned_on=dt.date(2025, 1, 2),
        enrolled_on=dt.date(2025, 1, 10), lead_care_manager_user_id=parties.lead_care_manager.id,
    )  # fmt: skip
    session.add(enrollment)
    session.flush()
    session.add(CarePlan(enrollment_id=enrollment.id))  # written, not yet dated
    session.flush()
    now = at(2025, 10, 1, 9, 0)
    sweep(session, now)
    [task] = tasks(session, "care_plan_revision")
    listed = my_members(session, parties.lead_care_manager, now)["care_plans"]
    assert [(row["row"].id, row["due_on"]) for row in listed] == [
        (enrollment.id, dt.date(2025, 1, 10))
    ]
    assert aware(task.due_at) == end_of_local_day(dt.date(2025, 1, 10))
