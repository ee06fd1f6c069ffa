"""Search API: one box for members, referrals and authorizations, scoped like every list."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.search.schemas import SearchOut, search_out
from calaim.ops.search.service import SearchService

router = DomainRouter(
    prefix="/search",
    tag="search",
    description="Find members (typo-tolerant names, CIN, birth date, phone) and referrals or "
    "authorizations by number, within what the caller may see. Every search is audited.",
)


@router.get("", response_model=SearchOut)
def search(
    actor: ActorDep,
    session: SessionDep,
    q: Annotated[
        str, Query(max_length=100, description="A name, CIN, birth date, phone, or number.")
    ],
) -> SearchOut:
    """Records the text may mean, best first (at most 25 of each kind)."""
    return search_out(SearchService(session, actor).search(q))
