"""Messages and attachments follow the referral's (or member's) scope; Part 2 needs consent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.attachments.content import MAX_BYTES, FileRefused
from calaim.ops.attachments.repository import AttachmentNotFound
from calaim.ops.attachments.service import AttachmentService
from calaim.ops.attachments.storage import LocalFolderStorage
from calaim.ops.errors import InvalidRequest
from calaim.ops.members.repository import MemberNotFound
from calaim.ops.messages.repository import MessageNotFound
from calaim.ops.messages.service import MessageService
from calaim.ops.models import AuditEvent
from calaim.ops.referrals.repository import ReferralNotFound

from .conftest import World, consent
from .test_matrix import actor

NOW = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_every_party_reads_the_referral_thread(session: Session, world: World) -> None:
    sent = MessageService(session, world.a.cs_user).send(
        referral_id=world.a.referral.id, body="Can the member come Tuesday?", now=NOW
    )
    MessageService(session, world.a.referrer).send(
        referral_id=world.a.referral.id, body="Yes, after 10.", reply_to=sent.id, now=NOW
    )
    for who in (world.a.plan_user, world.a.cs_user, world.a.referrer):
        threads = MessageService(session, who).threads(referral_id=world.a.referral.id, now=NOW)
        assert [t.first.body for t in threads] == ["Can the member come Tuesday?"]
        assert [r.body for r in threads[0].replies] == ["Yes, after 10."]


@pytest.mark.parametrize("role", ["plan_user", "ecm_user", "cs_user", "referrer"])
def test_the_other_tenant_cannot_read_or_write(session: Session, world: World, role: str) -> None:
    MessageService(session, world.b.cs_user).send(
        referral_id=world.b.referral.id, body="B only", now=NOW
    )
    who = MessageService(session, actor(world, "a", role))
    with pytest.raises(ReferralNotFound):
        who.threads(referral_id=world.b.referral.id, now=NOW)
    with pytest.raises(ReferralNotFound):
        who.send(referral_id=world.b.referral.id, body="hello", now=NOW)


def test_a_reply_cannot_jump_into_another_tenants_thread(session: Session, world: World) -> None:
    theirs = MessageService(session, world.b.cs_user).send(
        referral_id=world.b.referral.id, body="B only", now=NOW
    )
    with pytest.raises(MessageNotFound):
        MessageService(session, world.a.cs_user).send(
            referral_id=world.a.referral.id, body="hi", reply_to=theirs.id, now=NOW
        )


def test_member_messages_need_the_member_in_scope(session: Session, world: World) -> None:
    person = world.a.members[0]  # enrolled with A's ECM provider
    MessageService(session, world.a.ecm_user).send(member_id=person.id, body="Housing?", now=NOW)
    assert MessageService(session, world.a.plan_user).threads(member_id=person.id, now=NOW)
    with pytest.raises(MemberNotFound):
        MessageService(session, world.a.cs_user).threads(member_id=person.id, now=NOW)


def test_part2_messages_only_with_consent(session: Session, world: World) -> None:
    service = MessageService(session, world.a.cs_user)
    service.send(referral_id=world.a.referral.id, body="SUD treatment history", part2=True, now=NOW)
    referrer = MessageService(session, world.a.referrer)
    assert referrer.threads(referral_id=world.a.referral.id, now=NOW) == []
    plan = MessageService(session, world.a.plan_user)
    assert len(plan.threads(referral_id=world.a.referral.id, now=NOW)) == 1
    consent(session, world.a.members[1], world.a.referrer.organization, world.a.plan_user)
    session.flush()
    assert len(referrer.threads(referral_id=world.a.referral.id, now=NOW)) == 1


def test_an_empty_message_is_refused(session: Session, world: World) -> None:
    with pytest.raises(InvalidRequest):
        MessageService(session, world.a.cs_user).send(
            referral_id=world.a.referral.id, body="   ", now=NOW
        )


def test_messages_are_audited_without_their_text(session: Session, world: World) -> None:
    MessageService(session, world.a.cs_user).send(
        referral_id=world.a.referral.id, body="private words", now=NOW
    )
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "message.send"))
    details = [e.details for e in events]
    assert details
    assert "private words" not in str(details)


def test_attachments_are_checked_by_content(session: Session, world: World, tmp_path: Path) -> None:
    service = AttachmentService(session, world.a.cs_user, LocalFolderStorage(tmp_path))
    stored = service.attach(world.a.referral.id, "discharge.pdf", PDF, now=NOW)
    assert stored.content_type == "application/pdf"
    assert (tmp_path / stored.storage_key).read_bytes() == PDF
    for name, data in [
        ("notes.pdf", b"MZ\x90\x00 not a pdf"),  # an executable named .pdf
        ("photo.pdf", PNG),  # an image named as a PDF
        ("empty.pdf", b""),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
    ]:
        with pytest.raises(FileRefused):
            service.attach(world.a.referral.id, name, data, now=NOW)
    assert len(list(tmp_path.rglob("*"))) == 2  # one folder, one file: refusals stored nothing


def test_attachments_follow_the_referral(session: Session, world: World, tmp_path: Path) -> None:
    storage = LocalFolderStorage(tmp_path)
    stored = AttachmentService(session, world.a.cs_user, storage).attach(
        world.a.referral.id, "../../etc/photo.png", PNG, now=NOW
    )
    assert stored.filename == "photo.png"
    for who in (world.a.plan_user, world.a.referrer):
        assert AttachmentService(session, who, storage).download(stored.id).data == PNG
    for who in (world.b.plan_user, world.b.cs_user, world.a.ecm_user):
        with pytest.raises(AttachmentNotFound):
            AttachmentService(session, who, storage).download(stored.id)
    with pytest.raises(PermissionDenied):
        AttachmentService(session, world.state, storage).download(stored.id)
