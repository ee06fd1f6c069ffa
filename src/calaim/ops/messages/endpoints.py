"""Messages API: threads on a referral (its parties) or a member (those who may see them)."""

from __future__ import annotations

import uuid

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.messages.schemas import MessageIn, MessageOut, ThreadOut, message_out, thread_out
from calaim.ops.messages.service import MessageService

router = DomainRouter(
    prefix="/messages",
    tag="messages",
    description="Messages between the organizations on a referral or a member: threaded, "
    "audited (never the text), and 42 CFR Part 2 aware.",
)


@router.get("/referrals/{referral_id}", response_model=list[ThreadOut])
def referral_threads(
    referral_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep
) -> list[ThreadOut]:
    """The threads on a referral the caller is party to."""
    threads = MessageService(session, actor).threads(referral_id=referral_id, now=now)
    return [thread_out(t) for t in threads]


@router.post("/referrals/{referral_id}", response_model=MessageOut, status_code=201)
def write_on_referral(
    referral_id: uuid.UUID, body: MessageIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> MessageOut:
    """Write on a referral (or reply within it)."""
    sent = MessageService(session, actor).send(
        referral_id=referral_id, body=body.body, subject=body.subject, part2=body.part2,
        reply_to=body.reply_to, now=now,
    )  # fmt: skip
    return message_out(sent)


@router.get("/members/{member_id}", response_model=list[ThreadOut])
def member_threads(
    member_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep
) -> list[ThreadOut]:
    """The threads on a member (outside referrals)."""
    threads = MessageService(session, actor).threads(member_id=member_id, now=now)
    return [thread_out(t) for t in threads]


@router.post("/members/{member_id}", response_model=MessageOut, status_code=201)
def write_on_member(
    member_id: uuid.UUID, body: MessageIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> MessageOut:
    """Write on a member (or reply within their threads)."""
    sent = MessageService(session, actor).send(
        member_id=member_id, body=body.body, subject=body.subject, part2=body.part2,
        reply_to=body.reply_to, now=now,
    )  # fmt: skip
    return message_out(sent)
