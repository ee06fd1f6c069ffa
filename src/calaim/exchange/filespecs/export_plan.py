"""Files a plan sends: the MIF (to ECM providers) and CS authorization status (to CS providers).

Rows come from the acting plan's own records only (ops/access/scopes.py) for one reporting
period; Part 2 Populations of Focus go to a provider only under the member's consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

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
from calaim.ops.access.scopes import authorization_visible, enrollment_visible
from calaim.ops.models import Authorization, Enrollment, Member, Organization, User

Row = dict[str, Value]


def _mif_query(
    actor: User, period: Period, provider: Organization | None
) -> Select[*tuple[Any, ...]]:
    provider_org = aliased(Organization)
    pcp = aliased(Organization)
    # Columns, not entities: a 100k-row MIF is mostly ORM identity-map work otherwise.
    query: Select[*tuple[Any, ...]] = (
        select(
            Enrollment.status,
            Enrollment.assigned_on,
            Enrollment.provider_organization_id,
            Member.id,
            Member.person_id,
            Member.cin,
            Member.last_name,
            Member.first_name,
            Member.birth_date,
            Member.sex,
            Member.address_line,
            Member.city,
            Member.zip_code,
            Member.county,
            Member.phone,
            Member.language,
            provider_org.name.label("provider"),
            pcp.name.label("pcp"),
            Authorization.id.label("authorization_id"),
            Authorization.start_date,
            Authorization.end_date,
        )
        .join(Member, Member.id == Enrollment.member_id)
        .join(provider_org, provider_org.id == Enrollment.provider_organization_id)
        .outerjoin(pcp, pcp.id == Member.pcp_organization_id)
        .outerjoin(Authorization, Authorization.id == Enrollment.authorization_id)
        .where(*_mif_filters(actor, period, provider))
        .order_by(Member.last_name, Member.first_name, Member.id)
    )
    return query


def _mif_filters(
    actor: User, period: Period, provider: Organization | None
) -> list[ColumnElement[bool]]:
    # The enrollments in the MIF: the actor's plan's, assigned to a provider in the period.
    filters = [
        enrollment_visible(actor),
        Enrollment.plan_organization_id == actor.organization_id,
        Enrollment.assigned_on <= period.end,
        or_(Enrollment.discontinued_on.is_(None), Enrollment.discontinued_on >= period.start),
    ]
    if provider is not None:
        filters.append(Enrollment.provider_organization_id == provider.id)
    return filters


def mif_rows(
    session: Session, actor: User, period: Period, provider: Organization | None = None
) -> Iterator[Row]:
    """The plan's MIF rows: members assigned to an ECM provider at any time in the period."""
    plan = actor.organization
    records = session.execute(_mif_query(actor, period, provider)).all()
    # The same scoped enrollments' member ids as a subquery: one statement, no 100k bound ids.
    member_ids = select(Enrollment.member_id).where(*_mif_filters(actor, period, provider))
    programs = eligible_programs(session, member_ids, period.end)
    hidden = _part2_hidden(session, records, programs, period)
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
            "pof": first_pof(eligible, hidden.get((r.id, r.provider_organization_id), frozenset())),
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


def _part2_hidden(
    session: Session,
    records: Sequence[Any],
    programs: dict[uuid.UUID, set[str]],
    period: Period,
) -> dict[tuple[uuid.UUID, uuid.UUID], frozenset[str]]:
    # 42 CFR Part 2: a substance-use PoF goes to the provider only under the member's consent
    # naming that provider, active at the end of the period (consents read in one query).
    # The Part 2 rule decided once per distinct program, then a set intersection per member.
    distinct = set().union(*programs.values()) if programs else set()
    part2_programs = frozenset(p for p in distinct if part2.is_part2_program(p))
    sensitive = {
        member_id: frozenset(eligible & part2_programs)
        for member_id, eligible in programs.items()
        if not part2_programs.isdisjoint(eligible)
    }
    pairs = {(r.id, r.provider_organization_id) for r in records if sensitive.get(r.id)}
    consented = part2_consented(session, pairs, period.end) if pairs else set()
    return {pair: sensitive[pair[0]] for pair in pairs - consented}


def cs_authorization_rows(
    session: Session, actor: User, period: Period, provider: Organization | None = None
) -> Iterator[Row]:
    """The plan's Community Supports authorizations requested or in force in the period."""
    plan = actor.organization
    provider_org = aliased(Organization)
    query = (
        select(Authorization, provider_org)
        .join(provider_org, provider_org.id == Authorization.provider_organization_id)
        .where(
            authorization_visible(actor),
            Authorization.program_id.like("cs.%"),
            or_(
                and_(
                    Authorization.start_date <= period.end, Authorization.end_date >= period.start
                ),
                and_(
                    Authorization.requested_at >= period.start,
                    Authorization.requested_at < period.production_date,
                ),
            ),
        )
        .order_by(Authorization.requested_at, Authorization.id)
    )
    if provider is not None:
        query = query.where(Authorization.provider_organization_id == provider.id)
    records = session.execute(query).all()
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
