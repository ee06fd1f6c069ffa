"""ECM discontinuation reason codes, read from policy data (policy-facts §2.6)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.errors import InvalidRequest

REASONS_FILE = "reference/ecm_discontinuation_reasons.csv"

# Codes the services use themselves (they must exist in the data file).
UNABLE_TO_REACH = "unable_to_reach"
PROVIDER_CHANGE = "provider_change"


@dataclass(frozen=True)
class DiscontinuationReason:
    """One reason code: its label, whether the fact is recalled, whether the member chose it."""

    code: str
    label: str
    recalled: bool
    initiated_by_member: bool
    note: str


class UnknownReasonCode(InvalidRequest):
    """The discontinuation reason code is not in the vocabulary."""


@cache
def discontinuation_reasons() -> dict[str, DiscontinuationReason]:
    """Every discontinuation reason, by code, in file order."""
    path = default_policy_dir() / REASONS_FILE
    with path.open(encoding="utf-8") as handle:
        return {
            row["code"]: DiscontinuationReason(
                code=row["code"],
                label=row["label"],
                recalled=row["recalled"] == "true",
                initiated_by_member=row["initiated_by_member"] == "true",
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        }


def reason(code: str) -> DiscontinuationReason:
    """The reason with `code`, or `UnknownReasonCode` listing the valid codes."""
    reasons = discontinuation_reasons()
    if code not in reasons:
        raise UnknownReasonCode(
            f"discontinuation reason code {code!r} is unknown; use one of {sorted(reasons)}",
            field="reason_code",
        )
    return reasons[code]
