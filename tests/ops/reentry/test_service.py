"""Reentry cases on SQLite and PostgreSQL: the window, the steps, who takes them, the notices,
and the deadlines as tasks that move with the release date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.errors import Conflict, Forbidden, InvalidRequest, NotFound
from calaim.ops.models import (
    MediCalStatus,
    Member,
    Notice,
    Organization,
    OrganizationKind,
    ReentryCase,
    Role,
    User,
)
from calaim.ops.models.task import Task, TaskStatus
from calaim.ops.reentry.service import ReentryService, StaleCase
from calaim.ops.referrals.intake import MemberLookup
from calaim.ops.tasks.sweep import sweep

from ..factories import member, organization, user

NOW = dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 7)
RELEASE = TODAY + dt.timedelta(days=50)


@dataclass
class World:
    """A plan, its member, a jail, an in-reach ECM provider and another provider."""

    plan: Organization
    person: Member
    jail: User
    lcm: User
    other_lcm: User
    planner: User
    session: Session

    def as_(self, who: User) -> ReentryService:
        return ReentryService(self.session, who)

    def open(self, release_on: dt.date = RELEASE) -> ReentryCase:
        lookup = MemberLookup(birth_date=self.person.birth_date, cin=self.person.cin)
        return self.as_(self.jail).open(lookup, release_on, NOW)


@pytest.fixture
def world(session: Session) -> World:
    plan = organization(session, OrganizationKind.PLAN, "RE1")
    jail = organization(session, OrganizationKind.COUNTY_JAIL)
    ecm = organization(session, OrganizationKind.ECM_PROVIDER)
    other = organization(session, OrganizationKind.ECM_PROVIDER)
    return World(
        plan=plan,
        person=member(session, plan, "PRE0000001"),
        jail=user(session, jail, Role.FACILITY_REENTRY_STAFF),
        lcm=user(session, ecm, Role.LEAD_CARE_MANAGER),
        other_lcm=user(session, other, Role.LEAD_CARE_MANAGER),
        planner=user(session, plan, Role.PLAN_CARE_COORDINATION),
        session=session,
    )


def _in_reach(world: World, case: ReentryCase) -> ReentryCase:
    provider = world.lcm.organization_id
    case = world.as_(world.jail).providers(case.id, case.version, NOW,
                                           pre_release_provider_id=provider)  # fmt: skip
    return world.as_(world.lcm).providers(
        case.id, case.version, NOW, care_manager_user_id=world.lcm.id
    )


def test_a_facility_opens_a_case_the_plan_sees_and_others_do_not(world: World) -> None:
    case = world.open()
    assert case.plan_organization_id == world.plan.id
    assert world.as_(world.planner).get(case.id).id == case.id
    with pytest.raises(NotFound):
        world.as_(world.lcm).get(case.id)  # not named on the case yet
    with pytest.raises(Conflict):
        world.open()  # one open case per member and facility


def test_only_a_facility_opens_cases(world: World) -> None:
    lookup = MemberLookup(birth_date=world.person.birth_date, cin=world.person.cin)
    with pytest.raises(Forbidden):
        world.as_(world.lcm).open(lookup, RELEASE, NOW)


def test_the_in_reach_provider_and_care_manager_are_named_and_then_see_the_case(
    world: World,
) -> None:
    case = _in_reach(world, world.open())
    assert case.care_manager_user_id == world.lcm.id
    # The same provider before and after release unless another is named.
    assert case.post_release_provider_id == world.lcm.organization_id
    assert world.as_(world.lcm).get(case.id).id == case.id
    with pytest.raises(InvalidRequest):  # a care manager of another provider
        world.as_(world.jail).providers(case.id, case.version, NOW,
                                        care_manager_user_id=world.other_lcm.id)  # fmt: skip


def test_assessment_is_refused_before_the_90_day_window_and_accepted_on_its_first_day(
    world: World,
) -> None:
    case = _in_reach(world, world.open(TODAY + dt.timedelta(days=120)))
    opens = case.expected_release_on - dt.timedelta(days=90)
    service = world.as_(world.lcm)
    with pytest.raises(InvalidRequest, match="outside the pre-release window"):
        service.assess(case.id, case.version, opens - dt.timedelta(days=1), ["housing"], NOW)
    case = service.assess(case.id, case.version, opens, [" housing ", "housing", "MAT"], NOW)
    assert case.needs == ["housing", "MAT"]


def test_care_plan_needs_the_assessment_and_a_goal(world: World) -> None:
    case = _in_reach(world, world.open())
    service = world.as_(world.lcm)
    with pytest.raises(Conflict):
        service.plan(case.id, case.version, TODAY, [{"description": "ID card"}], NOW)
    case = service.assess(case.id, case.version, TODAY, ["housing"], NOW)
    with pytest.raises(InvalidRequest):
        service.plan(case.id, case.version, TODAY, [], NOW)
    case = service.plan(case.id, case.version, TODAY, [{"description": "Housing"}], NOW)
    assert case.care_plan_on == TODAY


def test_a_stale_version_is_refused(world: World) -> None:
    case = world.open()
    with pytest.raises(StaleCase):
        world.as_(world.jail).medi_cal(case.id, case.version + 1, MediCalStatus.SUSPENDED,
                                       TODAY, NOW)  # fmt: skip


def test_the_plan_may_not_record_the_release(world: World) -> None:
    case = world.open()
    with pytest.raises(Forbidden):
        world.as_(world.planner).release(case.id, case.version, TODAY, NOW)


def test_handoff_is_announced_to_the_post_release_provider(world: World) -> None:
    case = world.open()
    with pytest.raises(Conflict):  # nobody to hand off to yet
        world.as_(world.jail).handoff(case.id, case.version, NOW, meeting_at=NOW)
    case = _in_reach(world, case)
    post = world.other_lcm.organization_id
    case = world.as_(world.planner).providers(case.id, case.version, NOW,
                                              post_release_provider_id=post)  # fmt: skip
    meeting = NOW + dt.timedelta(days=30)
    case = world.as_(world.lcm).handoff(case.id, case.version, NOW, meeting_at=meeting)
    notices = _notices(world, case)
    assert [(n.kind, n.recipient_organization_id) for n in notices] == [
        ("reentry_handoff", post),
        ("reentry_handoff", world.lcm.organization_id),
    ]
    # The receiving provider now sees the case and holds the meeting.
    case = world.as_(world.other_lcm).handoff(case.id, case.version, NOW, held_on=TODAY)
    assert case.handoff_held_on == TODAY


def test_release_supply_below_30_days_needs_a_clinical_reason(world: World) -> None:
    case = world.open()
    service = world.as_(world.jail)
    with pytest.raises(InvalidRequest, match="30 days"):
        service.release_supply(case.id, case.version, 29, [], None, NOW)
    case = service.release_supply(case.id, case.version, 30, ["walker"], None, NOW)
    assert (case.medication_days, case.equipment) == (30, ["walker"])
    case = service.release_supply(case.id, case.version, 14, [], "prescriber: 14 days", NOW)
    assert case.medication_days == 14


def _notices(world: World, case: ReentryCase) -> list[Notice]:
    statement = select(Notice).where(Notice.subject_id == case.id).order_by(Notice.kind)
    return list(world.session.scalars(statement))


def _open_tasks(world: World, case: ReentryCase) -> dict[str, Task]:
    rows = world.session.scalars(
        select(Task).where(Task.subject_id == case.id, Task.status == TaskStatus.OPEN.value)
    )
    return {task.kind: task for task in rows}


def test_deadlines_are_tasks_that_move_with_an_earlier_release(world: World) -> None:
    case = _in_reach(world, world.open())
    sweep(world.session, NOW)
    tasks = _open_tasks(world, case)
    assert set(tasks) == {"reentry_assessment", "reentry_care_plan", "reentry_handoff",
                          "reentry_release_supply"}  # fmt: skip
    # The care team's tasks go to the named care manager; the supply to the facility.
    assert tasks["reentry_assessment"].assignee_user_id == world.lcm.id
    assert tasks["reentry_release_supply"].organization_id == world.jail.organization_id
    handoff_due = tasks["reentry_handoff"].due_at
    earlier = RELEASE - dt.timedelta(days=10)
    case = world.as_(world.jail).change_release(case.id, case.version, "court order", NOW,
                                                new_date=earlier)  # fmt: skip
    sweep(world.session, NOW)
    moved = _open_tasks(world, case)
    assert moved["reentry_handoff"].due_at == handoff_due - dt.timedelta(days=10)
    old = world.session.scalars(select(Task).where(Task.subject_id == case.id,
                                                   Task.due_at == handoff_due)).one()  # fmt: skip
    assert (old.status, old.note) == ("done", "deadline moved")
    kinds = [n.kind for n in _notices(world, case)]
    assert kinds.count("reentry_date_change") == 2  # the provider and the plan


def test_a_case_opened_late_has_its_past_deadlines_due_on_the_day_it_opened(
    world: World,
) -> None:
    case = world.open(TODAY + dt.timedelta(days=5))
    sweep(world.session, NOW)
    tasks = _open_tasks(world, case)
    # No provider yet: the facility's reentry staff hold the care team's tasks.
    assert tasks["reentry_assessment"].team_role == Role.FACILITY_REENTRY_STAFF.value
    assert tasks["reentry_assessment"].due_at.date() in {TODAY, TODAY + dt.timedelta(days=1)}


def test_no_tasks_before_the_window_opens_and_none_once_cancelled(world: World) -> None:
    case = world.open(TODAY + dt.timedelta(days=91))
    sweep(world.session, NOW)
    assert _open_tasks(world, case) == {}
    later = NOW + dt.timedelta(days=1)
    sweep(world.session, later)
    assert "reentry_assessment" in _open_tasks(world, case)
    case = world.as_(world.jail).change_release(case.id, case.version, "transferred", later,
                                                cancel=True)  # fmt: skip
    sweep(world.session, later)
    assert _open_tasks(world, case) == {}
    with pytest.raises(Conflict):
        world.as_(world.jail).release(case.id, case.version, TODAY, later)


def test_release_tells_the_provider_and_the_plan_and_ends_the_care_team_tasks(
    world: World,
) -> None:
    case = _in_reach(world, world.open())
    sweep(world.session, NOW)
    with pytest.raises(InvalidRequest):  # not in the future
        world.as_(world.jail).release(case.id, case.version, TODAY + dt.timedelta(days=1), NOW)
    case = world.as_(world.jail).release(case.id, case.version, TODAY, NOW)
    sweep(world.session, NOW)
    assert set(_open_tasks(world, case)) == {"reentry_release_supply"}
    recipients = {n.recipient_organization_id for n in _notices(world, case)}
    assert recipients == {world.plan.id, world.lcm.organization_id}
    assert [e.kind for e in world.as_(world.jail).history(case)][-1] == "released"
