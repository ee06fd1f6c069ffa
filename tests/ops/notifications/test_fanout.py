"""Inbox items come from what the workflow records, in the same flush: a new or routed
referral, an acceptance, an organization's decision notice; each once per user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import (
    Enrollment,
    Notice,
    OrganizationKind,
    Referral,
    ReferralTransition,
    Role,
    User,
)
from calaim.ops.models.inbox import Notification
from calaim.ops.notifications.repository import NotificationNotFound
from calaim.ops.notifications.service import NotificationService

from ..factories import member, organization, user

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)


def kinds(session: Session, who: User) -> list[str]:
    rows, _total = NotificationService(session, who).inbox()
    return sorted(n.kind for n in rows)


def test_workflow_records_reach_the_right_inboxes(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "TFANOUT1")
    person = member(session, plan, "P0000901")
    referrer_org = organization(session, OrganizationKind.REFERRER)
    referrer = user(session, referrer_org, Role.REFERRER)
    cs = organization(session, OrganizationKind.CS_PROVIDER)
    staff = [user(session, cs, Role.CS_PROVIDER_STAFF) for _ in range(2)]
    elsewhere = user(
        session, organization(session, OrganizationKind.CS_PROVIDER), Role.CS_PROVIDER_STAFF
    )
    referral = Referral(
        member_id=person.id,
        program_id="cs.respite",
        referring_organization_id=referrer_org.id,
        receiving_organization_id=cs.id,
        source_kind="hospital",
        status="received",
        received_at=NOW,
        updated_at=NOW,
    )
    session.add(referral)
    session.flush()
    assert [kinds(session, s) for s in staff] == [["new_referral"], ["new_referral"]]
    assert kinds(session, elsewhere) == []
    assert kinds(session, referrer) == []

    session.add(
        ReferralTransition(
            referral_id=referral.id, from_status="received", to_status="accepted", at=NOW
        )
    )
    session.add(
        Notice(
            member_id=person.id,
            kind="referral_closed",
            recipient="organization",
            recipient_organization_id=referrer_org.id,
            channel="electronic",
            subject_type="referral",
            subject_id=referral.id,
            created_at=NOW,
        )
    )
    # A notice to the member reaches no organization's inbox.
    session.add(
        Notice(
            member_id=person.id,
            kind="referral_received",
            recipient="member",
            channel="mail",
            subject_type="referral",
            subject_id=referral.id,
            created_at=NOW,
        )
    )
    session.flush()
    assert kinds(session, referrer) == ["acceptance", "referral_update"]
    assert NotificationService(session, referrer).unread_count() == 2
    NotificationService(session, referrer).mark_all_read(NOW)
    assert NotificationService(session, referrer).unread_count() == 0


def test_routing_a_referral_tells_the_new_receiver(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "TFANOUT2")
    referrer_org = organization(session, OrganizationKind.REFERRER)
    referral = Referral(
        member_id=member(session, plan, "P0000902").id,
        program_id="ecm",
        referring_organization_id=referrer_org.id,
        source_kind="hospital",
        status="received",
        received_at=NOW,
        updated_at=NOW,
    )
    session.add(referral)
    session.flush()
    ecm = organization(session, OrganizationKind.ECM_PROVIDER)
    manager = user(session, ecm, Role.LEAD_CARE_MANAGER)
    assert kinds(session, manager) == []
    referral.receiving_organization_id = ecm.id
    session.flush()
    assert kinds(session, manager) == ["new_referral"]
    session.flush()  # nothing new on a flush without changes
    total = session.scalars(select(Notification).where(Notification.user_id == manager.id)).all()
    assert len(total) == 1


def test_nobody_reads_anyone_elses_item(session: Session) -> None:
    cs = organization(session, OrganizationKind.CS_PROVIDER)
    mine, theirs = (
        user(session, cs, Role.CS_PROVIDER_STAFF),
        user(session, cs, Role.CS_PROVIDER_STAFF),
    )
    referrer_org = organization(session, OrganizationKind.REFERRER)
    plan = organization(session, OrganizationKind.PLAN, "TFANOUT3")
    session.add(
        Referral(
            member_id=member(session, plan, "P0000903").id,
            program_id="cs.respite",
            referring_organization_id=referrer_org.id,
            receiving_organization_id=cs.id,
            source_kind="hospital",
            status="received",
            received_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()
    theirs_item = NotificationService(session, theirs).inbox()[0][0]
    with pytest.raises(NotificationNotFound):
        NotificationService(session, mine).open(theirs_item.id, NOW)
    assert theirs_item.read_at is None


def test_a_referrer_learns_whom_an_assignment_is_about_and_reads_it_on_its_referral(
    session: Session,
) -> None:
    plan = organization(session, OrganizationKind.PLAN, "TFANOUT4")
    person, stranger = member(session, plan, "P0000904"), member(session, plan, "P0000905")
    referrer_org = organization(session, OrganizationKind.REFERRER)
    referrer = user(session, referrer_org, Role.REFERRER)
    ecm = organization(session, OrganizationKind.ECM_PROVIDER)
    referral = Referral(member_id=person.id, program_id="ecm", source_kind="hospital",
                        referring_organization_id=referrer_org.id, receiving_organization_id=ecm.id,
                        status="accepted", received_at=NOW, updated_at=NOW)  # fmt: skip
    session.add(referral)
    session.flush()
    enrollment = Enrollment(member_id=person.id, plan_organization_id=plan.id,
                            provider_organization_id=ecm.id, referral_id=referral.id,
                            status="assigned", assignment_reason="matched",
                            assigned_on=NOW.date())  # fmt: skip
    session.add(enrollment)
    session.flush()
    notice = Notice(member_id=person.id, kind="assignment_to_referrer", channel="electronic",
                    recipient="organization", recipient_organization_id=referrer_org.id,
                    subject_type="enrollment", subject_id=enrollment.id,
                    created_at=NOW)  # fmt: skip
    session.add(notice)
    session.flush()
    service = NotificationService(session, referrer)
    rows, _total = service.inbox()
    # The ECM assignment opens on the referral: a referrer sees no member pages.
    assert [(n.kind, n.subject_type, n.subject_id) for n in rows] == [
        ("acceptance", "referral", referral.id)
    ]
    # No member row is visible to a referrer, yet it knows whom it referred, and only them.
    assert service.members_of(rows) == {}
    assert service.referred_members_of(rows, set()) == {person.id: person}
    other = Notification(member_id=stranger.id)
    assert service.referred_members_of([other], set()) == {}
