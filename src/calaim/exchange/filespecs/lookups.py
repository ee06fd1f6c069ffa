"""Shared look-ups of exchange files: organizations by plan code or NPI, PoF codes, members."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.code_sets import program_pofs
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    MemberDetermination,
    Organization,
    OrganizationKind,
    Part2Consent,
    ProviderProfile,
)

# Each generated row names its member's person id under this key, for the export's audit
# event; the writer never sees it (service._export takes it out).
PERSON_KEY = "_member_person_id"
HOMELESS_PROGRAMS = frozenset({"ecm.homeless_adult", "ecm.homeless_family_youth"})


def find_partner(session: Session, reference: str, kind: OrganizationKind) -> Organization:
    """The plan or provider an exchange is with, by id, plan code or exact name."""
    from calaim.ops.admin.service import find_organization

    found = find_organization(session, reference)
    if found.kind != kind:
        raise NotFound(f"{reference!r} is not a {kind.value.replace('_', ' ')}; name one")
    return found


def organizations_by_npi(session: Session) -> dict[str, Organization]:
    """Provider organizations by their NPI (provider profiles)."""
    rows = session.execute(
        select(ProviderProfile.npi, Organization).join(
            Organization, Organization.id == ProviderProfile.organization_id
        )
    ).all()
    return {npi: organization for npi, organization in rows if npi}


def plans_by_code(session: Session) -> dict[str, Organization]:
    """Plan organizations by plan code."""
    plans = session.scalars(select(Organization).where(Organization.plan_code.is_not(None)))
    return {str(plan.plan_code): plan for plan in plans}


def profiles(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProviderProfile]:
    """Provider profiles by organization id."""
    wanted = list(set(ids))
    found = session.scalars(
        select(ProviderProfile).where(ProviderProfile.organization_id.in_(wanted))
    )
    return {profile.organization_id: profile for profile in found}


@cache
def _pof_rank() -> dict[str, int]:
    return {program: rank for rank, program in enumerate(program_pofs())}


def eligible_programs(
    session: Session, member_ids: Iterable[uuid.UUID] | Select[uuid.UUID], on: dt.date
) -> dict[uuid.UUID, set[str]]:
    """ECM programs each member was found eligible for, by the latest determination <= `on`.

    `member_ids` is a list of ids, or a query selecting them (one statement instead of chunks).
    """
    if isinstance(member_ids, Select):
        chunks: list[Any] = [member_ids.scalar_subquery()]
    else:
        wanted = list(set(member_ids))
        chunks = [wanted[start : start + 5000] for start in range(0, len(wanted), 5000)]
    latest: dict[tuple[uuid.UUID, str], tuple[dt.date, bool]] = {}
    for chunk in chunks:
        rows = session.execute(
            select(
                MemberDetermination.member_id,
                MemberDetermination.program_id,
                MemberDetermination.as_of,
                MemberDetermination.eligible,
            ).where(
                MemberDetermination.member_id.in_(chunk),
                MemberDetermination.program_id.like("ecm.%"),
                MemberDetermination.as_of <= on,
            )
        )
        for member_id, program, as_of, eligible in rows:
            seen = latest.get((member_id, program))
            if seen is None or as_of > seen[0]:
                latest[(member_id, program)] = (as_of, eligible)
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for (member_id, program), (_, eligible) in latest.items():
        if eligible:
            found[member_id].add(program)
    return found


def part2_consented(
    session: Session, pairs: set[tuple[uuid.UUID, uuid.UUID]], on: dt.date
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """The (member, organization) pairs with a Part 2 consent active on `on` (ops/access/part2)."""
    members = sorted({member_id for member_id, _ in pairs})
    found: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for start in range(0, len(members), 2000):
        consents = session.scalars(
            select(Part2Consent).where(
                Part2Consent.member_id.in_(members[start : start + 2000]),
                Part2Consent.organization_id.in_({org for _, org in pairs}),
            )
        )
        for consent in consents:
            pair = (consent.member_id, consent.organization_id)
            if pair in pairs and consent.active_on(on):
                found.add(pair)
    return found


def first_pof(programs: set[str], hidden: frozenset[str] = frozenset()) -> str | None:
    """The PoF code of the first eligible Population of Focus in registry order."""
    ranked = sorted(
        (p for p in programs if p in _pof_rank() and p not in hidden), key=lambda p: _pof_rank()[p]
    )
    return program_pofs()[ranked[0]] if ranked else None
