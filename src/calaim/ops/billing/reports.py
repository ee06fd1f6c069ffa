"""Denials and adjustments by CARC reason and plan, over the claims the actor may see."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.access.scopes import claim_visible
from calaim.ops.audit.service import record
from calaim.ops.billing.repository import require_claim_read
from calaim.ops.models import Organization, User
from calaim.ops.models.billing import Claim, RemittanceAdjustment


@cache
def carc_labels() -> dict[str, str]:
    """Common Claim Adjustment Reason Codes (policy/reference/carc_codes.csv, recalled)."""
    path = default_policy_dir() / "reference" / "carc_codes.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class DenialRow:
    """Adjustments of one plan, group and reason: how many and how much."""

    plan: str
    group: str
    reason: str
    label: str
    count: int
    amount: Decimal


def denials(session: Session, actor: User) -> list[DenialRow]:
    """Claim and line adjustments by plan, group code and CARC reason (largest first)."""
    require_claim_read(actor)
    rows = session.execute(
        select(
            Organization.name,
            RemittanceAdjustment.group_code,
            RemittanceAdjustment.reason_code,
            func.count(),
            func.sum(RemittanceAdjustment.amount),
        )
        .join(Claim, Claim.id == RemittanceAdjustment.claim_id)
        .join(Organization, Organization.id == Claim.plan_organization_id)
        .where(claim_visible(actor))
        .group_by(
            Organization.name, RemittanceAdjustment.group_code, RemittanceAdjustment.reason_code
        )
    ).all()
    labels = carc_labels()
    found = [
        DenialRow(
            plan,
            group,
            reason,
            labels.get(reason, "unknown reason code"),
            count,
            Decimal(total or 0).quantize(Decimal("0.01")),
        )
        for plan, group, reason, count, total in rows
    ]
    # Counts only, no member data; audited as a report read.
    record(
        session,
        actor,
        "billing.denials_read",
        entity_type="report",
        entity_id="denials",
        details={"rows": len(found)},
    )
    return sorted(found, key=lambda row: (-row.amount, row.plan, row.reason))
