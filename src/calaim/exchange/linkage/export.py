"""A reconciliation report as CSV (one line per finding) and as a summary."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = [
    "category",
    "row",
    "person_id",
    "member_person_id",
    "name",
    "probability",
    "evidence",
    "detail",
]


def report_csv(rows: list[dict[str, Any]]) -> str:
    """The report's rows as CSV text (evidence as `comparison=level; ...`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        evidence = "; ".join(f"{k}={v}" for k, v in (row.get("evidence") or {}).items())
        values = {**row, "evidence": evidence}
        writer.writerow(["" if values.get(c) is None else values[c] for c in COLUMNS])
    return out.getvalue()
