"""Files a plan sends: the MIF (to ECM providers) and CS authorization status (to CS providers).

Rows come from the acting plan's own records only (ops/access/scopes.py) for one reporting
period; Part 2 Populations of Focus go to a provider only under the member's consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.orm import Session

from calaim.exchange.filespecs.lookups import (
    HOMELESS_PROGRAMS,
    PERSON_KEY,
    eligible_programs,
    first_pof,
    part2_consented,
)
from calaim.exchange.filespecs.lookups import profiles as load_profiles
from calaim.exchange.filespecs.period import Period
from calaim.exchange.filespecs.values import Value
from calaim.ops.access import part2
from calaim.ops.models import Organization, User
from calaim.ops.read_models import plan_files

Row = dict[str, Value]


def _provider_id(provider: Organization | None) -> uuid.UUID | None:
    return provider.id if provider is not None else None


def undetermined_count(
    session: Session, actor: User, period: Period, provider: Organization | None = None
) -> int:
    """MIF members with no ECM determination on or before the period's end (PoF unknown)."""
    return plan_files.undetermined_count(
        session, actor, period.start, period.end, _provider_id(provider)
    )


def mif_rows(
    session: Session, actor: User, period: Period, provider: Organization | None = None
) -> Iterator[Row]:
    """The plan's MIF rows: members assigned to an ECM provider at any time in the period."""
    plan = actor.organization
    provider_id = _provider_id(provider)
    records = plan_files.mif_records(session, actor, period.start, period.end, provider_id)
    member_ids = plan_files.mif_member_ids(actor, period.start, period.end, provider_id)
    programs = eligible_programs(session, member_ids, period.end)
    withheld = _without_part2(session, records, programs, period)
    profiles = load_profiles(session, (r.provider_organization_id for r in records))
    npis = {key: (p.npi, p.tin) for key, p in profiles.items()}
    plan_code, plan_name, none = plan.plan_code, plan.name, (None, None)
    for r in records:
        eligible = programs.get(r.id, set())
        npi, tin = npis.get(r.provider_organization_id, none)
        yield {
            "mcp_id": plan_code,
            "mcp_name": plan_name,
            "member_cin": r.cin or r.person_id,
            PERSON_KEY: r.person_id,
            "mcp_member_id": r.person_id,
            "member_last_name": r.last_name,
            "member_first_name": r.first_name,
            "birth_date": r.birth_date,
            "sex": r.sex,
            "address_line": r.address_line,
            "city": r.city,
            "zip_code": r.zip_code,
            "county": r.county,
            "phone": r.phone,
            "language": r.language,
            "homeless": bool(eligible & HOMELESS_PROGRAMS),
            "pof": first_pof(
                part2.visible_programs(eligible)
                if (r.id, r.provider_organization_id) in withheld
                else eligible
            ),
            "ecm_status": r.status,
            "provider_name": r.provider,
            "provider_npi": npi,
            "provider_tin": tin,
            "assigned_on": r.assigned_on,
            "pcp_name": r.pcp,
            "authorization_number": str(r.authorization_id) if r.authorization_id else None,
            "authorization_start": r.start_date,
            "authorization_end": r.end_date,
            "reporting_period": period.text,
        }


def _without_part2(
    session: Session,
    records: Sequence[Any],
    programs: dict[uuid.UUID, set[str]],
    period: Period,
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    # 42 CFR Part 2: a provider is sent the member's Populations of Focus as
    # `part2.visible_programs` leaves them (the one rule of ops/access/part2.py), unless the
    # member's consent naming that provider is active at the end of the period. The PoF sent
    # is then the first visible one, or none: the same as for a member with no hidden one.
    distinct = set().union(*programs.values()) if programs else set()
    if part2.visible_programs(distinct) == distinct:
        return set()
    pairs = {(r.id, r.provider_organization_id) for r in records}
    consented = part2_consented(session, pairs, period.end) if pairs else set()
    return pairs - consented


def cs_authorization_rows(
    session: Session, actor: User, period: Period, provider: Organization | None = None
) -> Iterator[Row]:
    """The plan's Community Supports authorizations requested or in force in the period."""
    plan = actor.organization
    window = (period.start, period.end, period.production_date)
    records = plan_files.cs_authorizations(session, actor, window, _provider_id(provider))
    profiles = load_profiles(session, (r[1].id for r in records))
    for authorization, organization in records:
        member, profile = authorization.member, profiles.get(organization.id)
        yield {
            "mcp_id": plan.plan_code,
            "mcp_name": plan.name,
            "provider_name": organization.name,
            "provider_npi": profile.npi if profile else None,
            "provider_tin": profile.tin if profile else None,
            "member_cin": member.cin or member.person_id,
            PERSON_KEY: member.person_id,
            "member_last_name": member.last_name,
            "member_first_name": member.first_name,
            "birth_date": member.birth_date,
            "authorization_number": str(authorization.id),
            "cs_type": authorization.program_id,
            "status": authorization.status,
            "requested_on": authorization.requested_at.date(),
            "decided_on": authorization.decided_at.date() if authorization.decided_at else None,
            "start_date": authorization.start_date,
            "end_date": authorization.end_date,
            "presumptive_until": authorization.presumptive_until,
            "units_authorized": authorization.units_authorized,
            "amount_authorized": authorization.amount_authorized,
            "denial_reason_code": authorization.denial_reason_code,
            "reporting_period": period.text,
        }
