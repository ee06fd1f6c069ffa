"""Database rules on enrollments added after the workflow tables (revision 0007_ecm)."""

from __future__ import annotations

from sqlalchemy import Index, text

from calaim.ops.models.enrollment import Enrollment

_ACTIVE = text("status <> 'discontinued'")

# One active ECM enrollment per member at a time (policy-facts §2.2: one assigned provider,
# one Lead Care Manager). The service checks first; this index settles races.
ONE_ACTIVE_ENROLLMENT = Index(
    "uq_enrollments_active_member",
    Enrollment.member_id,
    unique=True,
    sqlite_where=_ACTIVE,
    postgresql_where=_ACTIVE,
)
