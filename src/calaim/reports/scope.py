"""Who may read which report, which rows each actor's numbers count, and small-cell suppression.

Row conditions come from `calaim.ops.access.scopes`: a plan counts its own members' records, an
ECM or CS provider the records it holds, and the state every record but sees each count of 1 to
10 as "<11" (the DHCS de-identification rule of `calaim.ops.determinations.aggregates`, reused).
Referrers see no member data, so they get no dashboards; the coverage grid (policy data only)
is open to every signed-in user.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.access.scopes import sees_member_rows
from calaim.ops.audit.service import record
from calaim.ops.determinations.aggregates import SMALL_CELL_LIMIT
from calaim.ops.models import User
from calaim.ops.read_models.counting import counted, is_state

__all__ = [
    "SUPPRESSED",
    "audit",
    "cell",
    "counted",
    "is_state",
    "require_dashboards",
    "shown",
    "suppressed_below",
]

SUPPRESSED = f"<{SMALL_CELL_LIMIT}"


def require_dashboards(actor: User) -> None:
    """Refuse actors with no member data to count (referrers)."""
    if not (sees_member_rows(actor) or is_state(actor)):
        raise PermissionDenied(
            f"your role ({actor.role}) may not read dashboards: they count member records, "
            "and referrers see only the referrals they made"
        )


def cell(actor: User, count: int) -> int | None:
    """A count as the actor may see it: None when the state would see 1 to 10 members."""
    if is_state(actor) and 0 < count < SMALL_CELL_LIMIT:
        return None
    return count


def suppressed_below(actor: User) -> int | None:
    """The suppression threshold applied to the actor's counts, if any."""
    return SMALL_CELL_LIMIT if is_state(actor) else None


def shown(value: int | None) -> str:
    """A cell for CSV and tables: the number, or "<11" when suppressed."""
    return SUPPRESSED if value is None else str(value)


def audit(session: Session, actor: User, report: str, details: dict[str, Any]) -> None:
    """Record that the actor read a report (aggregate reads are audited like member reads)."""
    record(session, actor, f"report.{report}", None, entity_type="report", details=details)
    session.flush()
