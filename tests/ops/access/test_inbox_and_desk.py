"""Inbox, tasks, letters and desk steps across tenants: every role of tenant A (and the state)
reads none of tenant B's, and a probe by id is the same not-found as for an id never issued."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from calaim.ops.letters.repository import LetterNotFound, LetterRepository
from calaim.ops.models import Authorization, Role, User
from calaim.ops.models.inbox import Notification
from calaim.ops.models.letter import AuthorizationReview, Letter
from calaim.ops.models.task import Task
from calaim.ops.notifications.repository import NotificationNotFound
from calaim.ops.notifications.service import NotificationService
from calaim.ops.review.repository import ReviewRepository
from calaim.ops.tasks.repository import TaskNotFound
from calaim.ops.tasks.service import TaskService

from ..factories import user
from .conftest import Tenant, World

NOW = dt.datetime(2026, 1, 2, 17, 0, tzinfo=dt.UTC)
ROLES = ["plan_user", "ecm_user", "cs_user", "referrer", "um"]


@dataclass(frozen=True)
class Records:
    """One tenant's inbox item, task, letter and desk step."""

    notification: Notification
    task: Task
    letter: Letter
    authorization: Authorization


def records(session: Session, tenant: Tenant, um: User) -> Records:
    """A decided request on the tenant's CS member, with its letter, step, task and item."""
    authorization = Authorization(
        member_id=tenant.members[1].id, program_id="cs.recuperative_care",
        plan_organization_id=tenant.plan.id, provider_organization_id=tenant.cs.id,
        urgency="routine", status="denied", requested_at=NOW, decision_due_at=NOW,
    )  # fmt: skip
    session.add(authorization)
    session.flush()
    letter = Letter(member_id=authorization.member_id, plan_organization_id=tenant.plan.id,
                    authorization_id=authorization.id, kind="denial", language="en",
                    pdf=b"%PDF-1.7", sha256="0" * 64, created_at=NOW,
                    created_by_user_id=um.id)  # fmt: skip
    session.add(letter)
    session.flush()
    session.add(AuthorizationReview(authorization_id=authorization.id, action="deny", at=NOW,
                                    by_user_id=um.id, letter_id=letter.id))  # fmt: skip
    task = Task(organization_id=tenant.cs.id, kind="loop_closure", subject_type="referral",
                subject_id=tenant.referral.id, member_id=tenant.members[1].id,
                clock_key=f"test:{tenant.referral.id}", due_at=NOW, status="open",
                created_at=NOW)  # fmt: skip
    notification = Notification(user_id=tenant.cs_user.id, organization_id=tenant.cs.id,
                                kind="decision", subject_type="authorization",
                                subject_id=authorization.id, member_id=authorization.member_id,
                                dedupe_key=f"test:{authorization.id}", created_at=NOW)  # fmt: skip
    session.add_all([task, notification])
    session.flush()
    return Records(notification, task, letter, authorization)


@pytest.fixture
def both(session: Session, world: World) -> tuple[dict[str, User], Records, Records]:
    """Tenant A's users by role (with a reviewer) and both tenants' records."""
    um_a = user(session, world.a.plan, Role.PLAN_UTILIZATION_MANAGEMENT)
    um_b = user(session, world.b.plan, Role.PLAN_UTILIZATION_MANAGEMENT)
    users = {role: getattr(world.a, role) for role in ROLES if role != "um"}
    users["um"] = um_a
    users["state"] = world.state
    return users, records(session, world.a, um_a), records(session, world.b, um_b)


@pytest.mark.parametrize("role", [*ROLES, "state"])
def test_nothing_of_tenant_b_is_readable(
    session: Session, both: tuple[dict[str, User], Records, Records], role: str
) -> None:
    users, _mine, theirs = both
    who = users[role]
    rows, _total = NotificationService(session, who).inbox()
    assert theirs.notification.id not in {n.id for n in rows}
    with pytest.raises(NotificationNotFound):
        NotificationService(session, who).open(theirs.notification.id, NOW)
    assert theirs.notification.read_at is None
    if role != "state":  # the state has no task list at all
        tasks, _count = TaskService(session, who).page(mine_only=False)
        assert theirs.task.id not in {t.id for t in tasks}
        with pytest.raises(TaskNotFound):
            TaskService(session, who).complete(
                theirs.task.id, expected_version=1, now=NOW, note=None
            )
    assert theirs.task.status == "open"
    if role in {"plan_user", "um", "cs_user", "ecm_user"}:
        with pytest.raises(LetterNotFound):
            LetterRepository(session, who).get(theirs.letter.id)
        assert LetterRepository(session, who).for_authorization(theirs.authorization.id) == []
    assert ReviewRepository(session, who).for_authorization(theirs.authorization.id) == []


def test_a_probe_is_the_same_as_an_id_never_issued(
    session: Session, both: tuple[dict[str, User], Records, Records]
) -> None:
    users, _mine, theirs = both
    for error, probe in [
        (LetterNotFound, lambda i: LetterRepository(session, users["um"]).get(i)),
        (TaskNotFound, lambda i: TaskService(session, users["cs_user"]).complete(
            i, expected_version=1, now=NOW, note=None)),
        (NotificationNotFound, lambda i: NotificationService(session, users["cs_user"]).open(
            i, NOW)),
    ]:  # fmt: skip
        messages = []
        for target in (theirs.letter.id, theirs.task.id, theirs.notification.id, uuid.uuid4()):
            with pytest.raises(error) as raised:
                probe(target)
            messages.append(str(raised.value).split(" ")[0])
        assert len(set(messages)) == 1


def test_each_party_reads_its_own(
    session: Session, world: World, both: tuple[dict[str, User], Records, Records]
) -> None:
    users, mine, _theirs = both
    # The plan and the named provider read the letter; the provider's staff its item and task.
    assert LetterRepository(session, users["um"]).get(mine.letter.id) == mine.letter
    assert LetterRepository(session, users["cs_user"]).get(mine.letter.id) == mine.letter
    with pytest.raises(LetterNotFound):
        LetterRepository(session, users["ecm_user"]).get(mine.letter.id)  # not its request
    assert NotificationService(session, users["cs_user"]).unread_count() == 1
    assert NotificationService(session, users["plan_user"]).unread_count() == 0
    tasks, _count = TaskService(session, users["cs_user"]).page(mine_only=False)
    assert mine.task.id in {t.id for t in tasks}
    assert [r.action for r in ReviewRepository(session, users["um"]).for_authorization(
        mine.authorization.id)] == ["deny"]  # fmt: skip
