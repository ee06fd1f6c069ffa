"""A new message puts a "new message" item in the other organizations' inboxes: a referral's
other parties, or those connected to the member; a Part 2 message only where it may be read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.messages.service import MessageService
from calaim.ops.models import User
from calaim.ops.notifications.service import NotificationService

from .conftest import World, consent

NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


def items(session: Session, who: User) -> list[tuple[str, str]]:
    rows, _total = NotificationService(session, who).inbox()
    return [(n.kind, n.subject_type) for n in rows if n.kind == "message"]


def test_a_referral_message_reaches_the_other_parties_only(session: Session, world: World) -> None:
    MessageService(session, world.a.cs_user).send(
        referral_id=world.a.referral.id, body="Can the member come Tuesday?", now=NOW
    )
    assert items(session, world.a.referrer) == [("message", "referral")]
    assert items(session, world.a.cs_user) == []  # not told of its own message
    assert items(session, world.a.ecm_user) == []  # not a party
    assert items(session, world.b.referrer) == []
    MessageService(session, world.a.referrer).send(
        referral_id=world.a.referral.id, body="Yes, after 10.", now=NOW
    )
    assert items(session, world.a.cs_user) == [("message", "referral")]
    assert len(items(session, world.a.referrer)) == 1


def test_a_part2_message_reaches_only_those_who_may_read_it(session: Session, world: World) -> None:
    sender = MessageService(session, world.a.cs_user)
    sender.send(referral_id=world.a.referral.id, body="SUD history", part2=True, now=NOW)
    assert items(session, world.a.referrer) == []
    consent(session, world.a.members[1], world.a.referrer.organization, world.a.plan_user)
    session.flush()
    sender.send(referral_id=world.a.referral.id, body="More SUD history", part2=True, now=NOW)
    assert items(session, world.a.referrer) == [("message", "referral")]


def test_a_member_message_reaches_the_members_providers(session: Session, world: World) -> None:
    enrolled = world.a.members[0]
    MessageService(session, world.a.plan_user).send(
        member_id=enrolled.id, body="New address on file", now=NOW
    )
    assert items(session, world.a.ecm_user) == [("message", "member")]
    assert items(session, world.a.cs_user) == []  # not connected to this member
    assert items(session, world.a.plan_user) == []
    MessageService(session, world.a.ecm_user).send(
        member_id=enrolled.id, body="Thanks, updated", now=NOW
    )
    assert items(session, world.a.plan_user) == [("message", "member")]
