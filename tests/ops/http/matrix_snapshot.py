"""Every stored row about a tenant, to show that other tenants' requests changed none of them."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, or_, select

from calaim.ops.models import Base

from .matrix_world import Tenant

# Columns that tie a row to a tenant's records.
LINKS = (
    "id",
    "member_id",
    "referral_id",
    "enrollment_id",
    "episode_id",
    "authorization_id",
    "subject_id",
    "organization_id",
    "user_id",
    "case_id",
)
# The audit trail records other tenants' failed look-ups (their own trail, by design).
SKIPPED = {"audit_events"}


def snapshot(engine: Engine, tenant: Tenant) -> dict[str, list[str]]:
    """Each table's rows linked to the tenant's records or organizations, as sorted text."""
    ids = {uuid.UUID(value) for value in tenant.ids.values()}
    ids |= set(tenant.orgs.values()) | {person.id for person in tenant.users.values()}
    rows: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            links = [table.c[name].in_(ids) for name in LINKS if name in table.c]
            if not links:
                continue
            found = connection.execute(select(table).where(or_(*links))).mappings()
            rows[table.name] = sorted(str(dict(row)) for row in found)
    return rows
