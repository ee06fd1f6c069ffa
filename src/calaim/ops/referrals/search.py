"""Filtered, counted, audited lists of referrals (scoped by the repository's `readable()`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.models import Referral, User
from calaim.ops.paging import PageRequest, PageResult, fetch_page
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.state import ReferralStatus


@dataclass(frozen=True)
class ReferralFilter:
    """Optional exact-match filters of a referral list."""

    status: ReferralStatus | None = None
    program_id: str | None = None
    member_id: uuid.UUID | None = None


# How a list may be sorted (the worklist's "Sort by"); newest first unless asked otherwise.
SORTS = {
    "newest": (Referral.received_at.desc(), Referral.id),
    "oldest": (Referral.received_at, Referral.id),
    "updated": (Referral.updated_at.desc(), Referral.id),
    "status": (Referral.status, Referral.received_at.desc(), Referral.id),
}


def search_referrals(
    session: Session,
    actor: User,
    filters: ReferralFilter,
    page: PageRequest,
    sort: str = "newest",
) -> PageResult[Referral]:
    """One page of visible referrals in `sort` order; each referral shown is audited."""
    repository = ReferralRepository(session, actor)
    statement = repository.readable()
    if filters.status is not None:
        statement = statement.where(Referral.status == filters.status.value)
    if filters.program_id is not None:
        statement = statement.where(Referral.program_id == filters.program_id)
    if filters.member_id is not None:
        statement = statement.where(Referral.member_id == filters.member_id)
    result = fetch_page(session, statement, page, *SORTS.get(sort, SORTS["newest"]))
    for referral in result.items:
        repository.audit("referral.list", referral)
    session.flush()
    return result
