"""What makes a report's numbers reproducible: period, as-of date, policy hash, input fingerprint.

The fingerprint is a SHA-256 over the sorted (table, id, version) of every row counted, so the
same store gives the same fingerprint and any changed, added or removed row changes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from calaim.engine.loading.policy import Policy
from calaim.reports.filters import Period

RowKey = tuple[str, str, int]  # (table, id, version)


@dataclass(frozen=True)
class Provenance:
    """The facts printed on every report file so a number can be reproduced."""

    period: Period
    as_of: dt.date
    policy_hash: str
    input_fingerprint: str
    rows_counted: int

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a cover sheet or a CSV preamble."""
        return [
            ("Period", f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"),
            ("As of", self.as_of.isoformat()),
            ("Policy hash", self.policy_hash),
            ("Input fingerprint", self.input_fingerprint),
            ("Records counted", str(self.rows_counted)),
        ]


def fingerprint(rows: Iterable[RowKey]) -> tuple[str, int]:
    """The SHA-256 of the sorted row keys, and how many distinct rows there were."""
    keys = sorted(set(rows))
    digest = hashlib.sha256()
    for table, key, version in keys:
        digest.update(f"{table}:{key}:{version}\n".encode())
    return digest.hexdigest()[:32], len(keys)


def provenance(
    policy: Policy, period: Period, as_of: dt.date, rows: Iterable[RowKey]
) -> Provenance:
    """The provenance of a report over `period` counted from `rows`."""
    digest, count = fingerprint(rows)
    return Provenance(period, as_of, policy.resolve(period.end).policy_hash, digest, count)
