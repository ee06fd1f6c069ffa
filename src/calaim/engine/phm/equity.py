"""The equity check: tier distribution by race/ethnicity, language and county, and a
disparity summary (each group's share in the highest tier against the overall share).

Counts from 1 up to one below the `min_cell` parameter are suppressed (shown empty), and so
is any share or ratio computed from a suppressed count. When a group's total is shown and only
one of its tier counts is suppressed, the next smallest is suppressed too (complementary
suppression), so no hidden count is the total minus the others. A group is called out when its share
differs from the overall share by more than the `disparity_points` parameter (percentage
points): a prompt for review, not a finding of bias.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calaim.engine.phm.model import ResolvedModel

DIMENSIONS = {"race_ethnicity": "race/ethnicity", "language": "language", "county": "county"}


@dataclass(frozen=True)
class EquityRow:
    """One group's tier counts (None where suppressed) and its disparity reading."""

    dimension: str
    group: str
    members: int | None
    tiers: Mapping[str, int | None]
    top_share: float | None
    overall_share: float
    ratio: float | None
    flagged: bool
    sentence: str


def suppress(count: int, min_cell: int) -> int | None:
    """The count, or None when it is a small cell (1 to min_cell - 1)."""
    return None if 0 < count < min_cell else count


def equity_rows(counts: Iterable[Mapping[str, Any]], model: ResolvedModel) -> list[EquityRow]:
    """Rows from (dimension, grp, tier, n) counts, in dimension then group order."""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in counts:
        table[row["dimension"]][str(row["grp"])][row["tier"]] = int(row["n"])
    tier_names = [t.tier for t in model.tiers] + [model.default_tier]
    top, top_label = model.tiers[0].tier, model.tiers[0].label
    everyone = table.get("county", {})
    total = sum(sum(by_tier.values()) for by_tier in everyone.values())
    total_top = sum(by_tier.get(top, 0) for by_tier in everyone.values())
    overall = total_top / total if total else 0.0
    rows = []
    for dimension, label in DIMENSIONS.items():
        for group, by_tier in sorted(table.get(dimension, {}).items()):
            rows.append(
                _row(dimension, label, group, by_tier, tier_names, top, top_label, overall, model)
            )
    return rows


def _row(
    dimension: str,
    label: str,
    group: str,
    by_tier: Mapping[str, int],
    tier_names: list[str],
    top: str,
    top_label: str,
    overall: float,
    model: ResolvedModel,
) -> EquityRow:
    size = sum(by_tier.values())
    members = suppress(size, model.min_cell)
    tiers = {name: suppress(by_tier.get(name, 0), model.min_cell) for name in tier_names}
    tiers = dict.fromkeys(tier_names) if members is None else _complementary(tiers)
    top_count = tiers[top]
    share = None if members is None or top_count is None else top_count / size
    ratio = None if share is None or overall == 0 else share / overall
    gap = None if share is None else (share - overall) * 100
    flagged = gap is not None and abs(gap) > model.disparity_points
    if members is None:
        sentence = f"Fewer than {model.min_cell} members: counts suppressed."
    elif share is None:
        sentence = f"Fewer than {model.min_cell} members in the {top_label} tier: share suppressed."
    elif flagged and gap is not None:
        direction = "more" if gap > 0 else "less"
        sentence = (
            f"{label.capitalize()} {group}: {share:.1%} in the {top_label} tier against "
            f"{overall:.1%} overall, {abs(gap):.1f} percentage points {direction}; review "
            "whether the factors or the data explain the gap."
        )
    else:
        sentence = ""
    return EquityRow(dimension, group, members, tiers, share, overall, ratio, flagged, sentence)


def _complementary(tiers: dict[str, int | None]) -> dict[str, int | None]:
    """With the group total shown, one suppressed cell is the total minus the others: hide
    the smallest other cell too, so no suppressed count can be worked out."""
    hidden = [name for name, count in tiers.items() if count is None]
    if len(hidden) != 1:
        return tiers
    shown = {name: count for name, count in tiers.items() if count is not None}
    if not shown:
        return tiers
    smallest = min(shown, key=lambda name: (shown[name], name))
    return {name: None if name == smallest else count for name, count in tiers.items()}


def write_equity(path: Path, rows: list[EquityRow]) -> None:
    """The equity rows as CSV (suppressed cells empty), written whole or not at all."""
    tier_names = list(rows[0].tiers) if rows else []
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "dimension",
                "group",
                "members",
                *(f"tier_{name}" for name in tier_names),
                "top_tier_share",
                "overall_top_tier_share",
                "ratio_to_overall",
                "flagged",
                "summary",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row.dimension,
                    row.group,
                    _cell(row.members),
                    *(_cell(row.tiers[name]) for name in tier_names),
                    _cell(row.top_share, 4),
                    _cell(row.overall_share, 4),
                    _cell(row.ratio, 2),
                    "yes" if row.flagged else "no",
                    row.sentence,
                ]
            )
    partial.replace(path)


def _cell(value: float | None, digits: int | None = None) -> str:
    if value is None:
        return ""
    return str(round(value, digits)) if digits is not None else str(value)
