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
    """Claim and line adjustments standing by plan, group code and CARC reason (largest first).

    Net of reversals: an adjustment a later 835 negated (CLP02 22) no longer counts; `count`
    is how many claims or lines carry a non-zero net adjustment of that group and reason.
    """
    require_claim_read(actor)
    adjustment = RemittanceAdjustment
    net = (
        select(
            Claim.plan_organization_id.label("plan_id"),
            adjustment.group_code.label("group_code"),
            adjustment.reason_code.label("reason_code"),
            func.sum(adjustment.amount).label("amount"),
        )
        .join(Claim, Claim.id == adjustment.claim_id)
        .where(claim_visible(actor))
        .group_by(
            Claim.plan_organization_id,
            adjustment.claim_id,
            adjustment.claim_line_id,
            adjustment.group_code,
            adjustment.reason_code,
        )
        # Not `!= 0`: SQLite sums NUMERIC as floats.
        .having(func.abs(func.sum(adjustment.amount)) >= Decimal("0.005"))
        .subquery()
    )
    rows = session.execute(
        select(
            Organization.name,
            net.c.group_code,
            net.c.reason_code,
            func.count(),
            func.sum(net.c.amount),
        )
        .join(Organization, Organization.id == net.c.plan_id)
        .group_by(Organization.name, net.c.group_code, net.c.reason_code)
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
