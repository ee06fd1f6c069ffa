"""Notices API: the closed-loop and decision notices sent, as far as the caller may see."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import NoticeKind
from calaim.ops.notices.repository import NoticeFilter, NoticeRepository
from calaim.ops.notices.schemas import NoticeOut, notice_out

router = DomainRouter(
    prefix="/notices",
    tag="notices",
    description="Notices sent to members and organizations: referral received, assignment "
    "(to the member and the referrer), decline, closure, authorization decisions.",
)


@router.get("", response_model=Page[NoticeOut])
def list_notices(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    member_id: Annotated[uuid.UUID | None, Query()] = None,
    subject_id: Annotated[uuid.UUID | None, Query(description="A referral, etc.")] = None,
    kind: Annotated[NoticeKind | None, Query()] = None,
) -> Page[NoticeOut]:
    """Notices the caller may see, newest first."""
    filters = NoticeFilter(member_id=member_id, subject_id=subject_id, kind=kind)
    return page_of(NoticeRepository(session, actor).search(filters, page), page, notice_out)


@router.get("/{notice_id}", response_model=NoticeOut)
def get_notice(notice_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> NoticeOut:
    """One notice; another organization's notice is 404, exactly like a missing one."""
    return notice_out(NoticeRepository(session, actor).get(notice_id))
