"""What a plan's outgoing files read: the MIF (to ECM providers) and CS authorization status.

Rows come from the acting plan's own records only (`calaim.ops.access.scopes`) for one
reporting period; `calaim.exchange.filespecs.export_plan` shapes them into file rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from calaim.ops.access.scopes import authorization_visible, enrollment_visible
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    User,
)


def mif_filters(
    actor: User, start: dt.date, end: dt.date, provider_id: uuid.UUID | None
) -> list[ColumnElement[bool]]:
    """The enrollments in the MIF: the actor's plan's, assigned to a provider in the period."""
    filters = [
        enrollment_visible(actor),
        Enrollment.plan_organization_id == actor.organization_id,
        Enrollment.assigned_on <= end,
        or_(Enrollment.discontinued_on.is_(None), Enrollment.discontinued_on >= start),
    ]
    if provider_id is not None:
        filters.append(Enrollment.provider_organization_id == provider_id)
    return filters


def mif_member_ids(
    actor: User, start: dt.date, end: dt.date, provider_id: uuid.UUID | None
) -> Select[uuid.UUID]:
    """The MIF's member ids as a subquery: one statement, no 100k bound ids."""
    return select(Enrollment.member_id).where(*mif_filters(actor, start, end, provider_id))


def mif_records(
    session: Session, actor: User, start: dt.date, end: dt.date, provider_id: uuid.UUID | None
) -> list[Row[Any]]:
    """One row per MIF enrollment with its member, provider, PCP and authorization columns."""
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
        .where(*mif_filters(actor, start, end, provider_id))
        .order_by(Member.last_name, Member.first_name, Member.id)
    )
    return list(session.execute(query).all())


def undetermined_count(
    session: Session, actor: User, start: dt.date, end: dt.date, provider_id: uuid.UUID | None
) -> int:
    """MIF members with no ECM determination on or before `end` (PoF unknown)."""
    member_ids = mif_member_ids(actor, start, end, provider_id)
    determined = select(MemberDetermination.member_id).where(
        MemberDetermination.member_id.in_(member_ids),
        MemberDetermination.program_id.like("ecm%"),
        MemberDetermination.as_of <= end,
    )
    statement = select(func.count(func.distinct(Enrollment.member_id))).where(
        *mif_filters(actor, start, end, provider_id), Enrollment.member_id.not_in(determined)
    )
    return int(session.scalar(statement) or 0)


def cs_authorizations(
    session: Session,
    actor: User,
    period: tuple[dt.date, dt.date, dt.date],
    provider_id: uuid.UUID | None,
) -> list[tuple[Authorization, Organization]]:
    """The plan's CS authorizations in force from `start` to `end` or requested from `start`
    until the file's production date (`period` is start, end, production date)."""
    start, end, produced = period
    provider_org = aliased(Organization)
    query = (
        select(Authorization, provider_org)
        .join(provider_org, provider_org.id == Authorization.provider_organization_id)
        .where(
            authorization_visible(actor),
            Authorization.program_id.like("cs.%"),
            or_(
                and_(Authorization.start_date <= end, Authorization.end_date >= start),
                and_(Authorization.requested_at >= start, Authorization.requested_at < produced),
            ),
        )
        .order_by(Authorization.requested_at, Authorization.id)
    )
    if provider_id is not None:
        query = query.where(Authorization.provider_organization_id == provider_id)
    return [(authorization, organization) for authorization, organization in session.execute(query)]
