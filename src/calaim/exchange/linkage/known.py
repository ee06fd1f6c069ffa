"""The known side of a linkage: the members the organization may see and the records its
earlier rosters left in the store, as the DuckDB table `known`."""

from __future__ import annotations

import uuid

import duckdb
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.normalize import normalized_select
from calaim.ops.access.scopes import linked_person_visible, visible_members
from calaim.ops.models import LinkedPerson, Member, PersonRecord, User

FIELDS = ("cin", "first_name", "last_name", "birth_date", "sex", "zip_code", "phone")


def member_key(member_id: uuid.UUID) -> str:
    """The person key of a member not yet in the store."""
    return f"m:{member_id}"


def person_key(person_id: uuid.UUID) -> str:
    """The person key of a linked person."""
    return f"p:{person_id}"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def load_known(con: duckdb.DuckDBPyConnection, session: Session, actor: User) -> dict[str, Member]:
    """Build `known` (scoped to the actor); return the visible members by person key."""
    members = {member_key(m.id): m for m in session.scalars(visible_members(actor))}
    people = session.scalars(select(LinkedPerson).where(linked_person_visible(actor))).all()
    by_member = {p.member_id: person_key(p.id) for p in people if p.member_id is not None}
    columns: dict[str, list[str | None]] = {
        name: [] for name in ("unique_id", "person_key", *FIELDS)
    }
    for key, member in members.items():
        columns["unique_id"].append(f"k{key}")
        columns["person_key"].append(by_member.get(member.id, key))
        for name in FIELDS:
            columns[name].append(_text(getattr(member, name)))
    records = select(PersonRecord).where(
        PersonRecord.person_id.in_(select(LinkedPerson.id).where(linked_person_visible(actor)))
    )
    for record in session.scalars(records):
        columns["unique_id"].append(f"kr:{record.id}")
        columns["person_key"].append(person_key(record.person_id))
        for name in FIELDS:
            columns[name].append(_text(getattr(record, name)))
    con.register("known_raw", pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))
    con.execute(f"create or replace table known as {normalized_select('known_raw', list(columns))}")
    person_members = {by_member[m.id]: m for m in members.values() if m.id in by_member}
    return members | person_members
