"""Every search query, scoped by `calaim.ops.access.scopes` exactly like the API's lists.

Names are found in two passes. First the exact pass: each typed word the start of the first
or last name, read alphabetically from a key-range index on the lower-cased names (migration
0036), so the database stops after the first rows in scope; when it already fills a results
page with perfect matches, nothing fuzzier could rank above them and the search ends there
("Garcia" among thousands of Garcias). Otherwise the fuzzy pass: pg_trgm's word similarity on
PostgreSQL (when the extension is installed), the `member_names` FTS5 trigram table on SQLite
(migration 0020). Identifiers use plain indexes (CIN, birth date, phone) or the primary key's
range (record numbers).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import column

from calaim.ops.access.scopes import authorization_visible, member_visible, referral_visible
from calaim.ops.models import Authorization, Member, Referral, User
from calaim.ops.search.query import (
    QueryKind,
    SearchQuery,
    number_range,
    phone_forms,
    skeleton,
)

# Candidates fetched from the index before ranking (far more than a results page shows).
CANDIDATES = 200
# The exact pass reads names of at most this many words (more: the fuzzy pass alone).
EXACT_WORDS = 3
# pg_trgm word similarity a candidate needs (the ranking in names.py decides the rest).
PG_WORD_SIMILARITY = 0.3
_FTS = sql_table("member_names", column("rowid"), column("rank"))


def _full_name() -> ColumnElement[str]:
    return func.lower(Member.first_name + " " + Member.last_name)


def _trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _quoted(grams: list[str]) -> str:
    return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _after(prefix: str) -> str:
    """The least string above every string starting with `prefix` (byte order, as UTF-8)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def name_splits(name: str) -> list[tuple[str | None, str | None]]:
    """Where the typed words may fall: (start of the first name, start of the last name)."""
    words = name.split()
    if len(words) == 1:
        return [(None, words[0]), (words[0], None)]
    splits: list[tuple[str | None, str | None]] = []
    for cut in range(1, len(words)):
        before, after = " ".join(words[:cut]), " ".join(words[cut:])
        splits += [(before, after), (after, before)]
    return splits


def fts_match(name: str) -> str | None:
    """The FTS5 query for a name: for every word, any of its trigrams (or of its consonant
    skeleton); all words must match somewhere, as the ranking (names.py) requires too."""
    groups = []
    for word in (w for w in name.split() if len(w) >= 3):
        grams = sorted(set(_trigrams(word)))
        group = f"name : ({_quoted(grams)})"
        bones = sorted(set(_trigrams(skeleton(word))))
        if bones:
            group += f" OR skeleton : ({_quoted(bones)})"
        groups.append(f"({group})")
    return " AND ".join(groups) or None


class SearchRepository:
    """Scoped look-ups for one user's search."""

    def __init__(self, session: Session, actor: User, enough: int = CANDIDATES) -> None:
        self.session = session
        self.actor = actor
        # Perfect name matches that fill a results page: the fuzzy pass is then not needed.
        self.enough = enough

    def members(self, query: SearchQuery) -> list[Member]:
        """Visible members the query may mean (names: index candidates, best first)."""
        statement = select(Member).where(member_visible(self.actor))
        return self._people(statement, query)

    def referrals_of_people(self, query: SearchQuery) -> list[Referral]:
        """Visible referrals whose member the query may mean (for those who see no members)."""
        statement = select(Referral).join(Member, Referral.member_id == Member.id)
        statement = statement.where(referral_visible(self.actor))
        return self._people(statement, query)

    def referrals_by_number(self, prefix: str) -> list[Referral]:
        """Visible referrals whose number is `prefix`."""
        ids = self._ids_in_range(Referral.id, prefix)
        if not ids:
            return []
        statement = select(Referral).where(referral_visible(self.actor), Referral.id.in_(ids))
        return list(self.session.scalars(statement).unique())

    def authorizations_by_number(self, prefix: str) -> list[Authorization]:
        """Visible authorizations whose number is `prefix`."""
        ids = self._ids_in_range(Authorization.id, prefix)
        if not ids:
            return []
        visible = authorization_visible(self.actor)
        statement = select(Authorization).where(visible, Authorization.id.in_(ids))
        return list(self.session.scalars(statement).unique())

    def _ids_in_range(self, key: Any, prefix: str) -> list[Any]:
        # The primary key's range first (a few ids at most), then the scope decides on those:
        # the scope's subqueries are never run over a whole tenant for a number look-up.
        low, high = number_range(prefix)
        statement = select(key).where(key >= low, key <= high).limit(CANDIDATES)
        return list(self.session.scalars(statement))

    def _people(self, statement: Select[Any], query: SearchQuery) -> list[Any]:
        if query.kind == QueryKind.NAME:
            exact = self._exact_names(statement, query.value)
            if len(exact) >= self.enough:
                return exact
            fuzzy = self._by_name(statement, query.value).limit(CANDIDATES)
            found = exact + list(self.session.scalars(fuzzy).unique())
            return list(dict.fromkeys(found))  # each record once, exact matches first
        if query.kind == QueryKind.CIN:
            statement = statement.where(Member.cin == query.value)
        elif query.kind == QueryKind.BIRTH_DATE:
            statement = statement.where(Member.birth_date == query.birth_date)
        elif query.kind == QueryKind.PHONE:
            statement = statement.where(Member.phone.in_(phone_forms(query.value)))
        else:
            return []
        statement = statement.order_by(Member.last_name, Member.first_name)
        return list(self.session.scalars(statement.limit(CANDIDATES)).unique())

    def _exact_names(self, statement: Select[Any], name: str) -> list[Any]:
        """Records whose first and last names start with the typed words, alphabetically."""
        if len(name.split()) > EXACT_WORDS:
            return []
        found: list[Any] = []
        for first, last in name_splits(name):
            conditions = [self._starts(Member.first_name, first)] if first else []
            if last:
                conditions.append(self._starts(Member.last_name, last))
            # The index's order, so the database stops after the first rows in scope.
            keys = [Member.last_name, Member.first_name]
            keys = keys if last else keys[::-1]
            ordered = statement.where(*conditions).order_by(*(self._key(k) for k in keys))
            found += self.session.scalars(ordered.limit(CANDIDATES)).unique()
        return list(dict.fromkeys(found))

    def _key(self, column: Any) -> ColumnElement[str]:
        # The expression the name indexes hold (migration 0036): byte order on both databases.
        key = func.lower(column)
        return key.collate("C") if self.session.get_bind().dialect.name == "postgresql" else key

    def _starts(self, column: Any, prefix: str) -> ColumnElement[bool]:
        key = self._key(column)
        return and_(key >= prefix, key < _after(prefix))

    def _by_name(self, statement: Select[Any], name: str) -> Select[Any]:
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            match = fts_match(name)
            if match is not None:
                statement = statement.join(_FTS, _FTS.c.rowid == literal_column("members.rowid"))
                statement = statement.where(literal_column("member_names").op("MATCH")(match))
                return statement.order_by(_FTS.c.rank)
        elif dialect == "postgresql" and self._has_trigrams():
            self.session.execute(
                text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
                {"t": str(PG_WORD_SIMILARITY)},
            )
            statement = statement.where(literal(name).op("<%")(_full_name()))
            return statement.order_by(func.word_similarity(name, _full_name()).desc())
        # No index to use: each word as the start of a word of the name.
        words = [w for w in name.split() if w]
        for word in words:
            statement = statement.where(
                or_(_full_name().like(f"{word}%"), _full_name().like(f"% {word}%"))
            )
        return statement.order_by(Member.last_name, Member.first_name)

    def _has_trigrams(self) -> bool:
        found = self.session.execute(
            text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        ).first()
        return found is not None
