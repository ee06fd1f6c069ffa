"""Search on behalf of one user: what the text means, the scoped look-ups, ranking, audit.

What each role finds follows its scope: plans and providers find the members they may see;
referrers (who see no member rows) find the referrals they are party to, by the member's
name, CIN, birth date or phone; record numbers find referrals and authorizations in scope.
The state finds nothing. Every search is audited (its kind and what was shown, never the
text typed), and each member or referral shown is audited as read by search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.access.scopes import sees_member_rows
from calaim.ops.audit.service import record
from calaim.ops.models import Authorization, Member, Referral, User
from calaim.ops.search.names import name_score
from calaim.ops.search.query import QueryKind, SearchQuery, parse
from calaim.ops.search.repository import SearchRepository

T = TypeVar("T")
# Results shown per kind (a search narrows; it is not a list to page through).
SHOWN = 25


@dataclass(frozen=True)
class SearchResults:
    """What a search found, as far as the user may see."""

    query: SearchQuery | None
    members: list[Member] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    authorizations: list[Authorization] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many records were found in all."""
        return len(self.members) + len(self.referrals) + len(self.authorizations)


class SearchService:
    """Search for one user (scoped like the API, audited)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = SearchRepository(session, actor, enough=SHOWN)

    def search(self, text: str) -> SearchResults:
        """The records `text` may mean, best first."""
        query = parse(text)
        if query is None:
            return SearchResults(None)
        results = self._find(query)
        self._audit(results)
        return results

    def _find(self, query: SearchQuery) -> SearchResults:
        members: list[Member] = []
        referrals: list[Referral] = []
        authorizations: list[Authorization] = []
        if query.kind == QueryKind.NUMBER:
            if allowed(self.actor, Permission.REFERRAL_READ):
                referrals = self.repository.referrals_by_number(query.value)
            if allowed(self.actor, Permission.AUTHORIZATION_READ):
                authorizations = self.repository.authorizations_by_number(query.value)
        elif sees_member_rows(self.actor) and allowed(self.actor, Permission.MEMBER_READ):
            members = _ranked(query, self.repository.members(query), lambda m: m)
        elif allowed(self.actor, Permission.REFERRAL_READ):
            found = self.repository.referrals_of_people(query)
            referrals = _ranked(query, found, lambda r: r.member)
        return SearchResults(query, members[:SHOWN], referrals[:SHOWN], authorizations[:SHOWN])

    def _audit(self, results: SearchResults) -> None:
        assert results.query is not None
        record(
            self.session,
            self.actor,
            "search",
            None,
            entity_type="search",
            details={"kind": results.query.kind.value, "found": results.count},
        )
        for member in results.members:
            record(self.session, self.actor, "member.search", member)
        for referral in results.referrals:
            record(self.session, self.actor, "referral.search", referral)
        for authorization in results.authorizations:
            record(self.session, self.actor, "authorization.search", authorization)
        self.session.flush()


def _ranked(query: SearchQuery, rows: list[T], member_of: Callable[[T], Member]) -> list[T]:
    """Name searches: drop candidates too far off, closest first; other kinds: as found."""
    if query.kind != QueryKind.NAME:
        return rows
    scored: list[tuple[float, str, str, T]] = []
    for row in rows:
        person = member_of(row)
        score = name_score(query.value, person.first_name, person.last_name)
        if score > 0:
            scored.append((score, person.last_name, person.first_name, row))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [item[3] for item in scored]
