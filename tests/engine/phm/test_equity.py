"""The equity check: small cells suppressed, shares against the overall share, groups called
out past the disparity threshold (all thresholds read from the shipped policy)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from calaim.engine.loading.policy import Policy
from calaim.engine.phm.equity import equity_rows, write_equity
from calaim.engine.phm.model import ResolvedModel
from calaim.engine.phm.tiers import resolved_model


@pytest.fixture(scope="module")
def model() -> ResolvedModel:
    return resolved_model(Policy.load(), dt.date(2025, 6, 30))


def counts(dimension: str, group: str, high: int, rising: int, low: int) -> list[dict[str, object]]:
    return [
        {"dimension": dimension, "grp": group, "tier": tier, "n": n}
        for tier, n in (("high", high), ("rising", rising), ("low", low))
        if n
    ]


def test_small_groups_and_small_cells_are_suppressed(model, tmp_path):
    small = model.min_cell
    rows = equity_rows(
        counts("county", "Big", small * 10, small * 10, small * 80)
        + counts("county", "Tiny", 1, 0, small - 2)  # min_cell - 1 members: suppressed
        + counts("county", "Edge", 0, 0, small)  # exactly min_cell members: shown
        + counts("language", "xx", small - 1, small, small * 20),  # high cell suppressed
        model,
    )
    by_group = {(r.dimension, r.group): r for r in rows}
    tiny = by_group[("county", "Tiny")]
    assert tiny.members is None
    assert all(value is None for value in tiny.tiers.values())
    assert tiny.top_share is None
    assert not tiny.flagged
    edge = by_group[("county", "Edge")]
    assert edge.members == small
    assert edge.tiers["high"] == 0  # zero is not a small cell
    language = by_group[("language", "xx")]
    assert language.members == small * 22 - 1
    assert language.tiers["high"] is None
    assert language.top_share is None  # a share would reveal the suppressed count
    # The high cell alone hidden would be the total minus the others: the next smallest
    # (rising) is hidden with it, the largest stays.
    assert language.tiers["rising"] is None
    assert language.tiers["low"] == small * 20
    out = tmp_path / "equity.csv"
    write_equity(out, rows)
    with out.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column in ("members", "tier_high", "tier_rising", "tier_low"):
                if row[column]:
                    assert not 0 < int(row[column]) < small, (row["group"], column)


def test_a_group_past_the_threshold_is_called_out_in_a_sentence(model):
    small = model.min_cell
    base = small * 100
    overall = counts("county", "A", base // 10, 0, base - base // 10)
    # The county rows are the whole population (10% high); "far" is the threshold plus one
    # point above it, "near" one point under the threshold.
    gap = (model.disparity_points + 1) / 100
    high_b = round(base * (0.1 + gap))
    near = round(base * (0.1 + (model.disparity_points - 1) / 100))
    rows = equity_rows(
        overall
        + counts("race_ethnicity", "near", near, 0, base - near)
        + counts("race_ethnicity", "far", high_b, 0, base - high_b),
        model,
    )
    by_group = {r.group: r for r in rows}
    assert by_group["far"].flagged
    assert "percentage points more" in by_group["far"].sentence
    assert "high risk" in by_group["far"].sentence
    assert not by_group["near"].flagged
    assert by_group["near"].sentence == ""
    assert by_group["far"].ratio == pytest.approx(
        by_group["far"].top_share / by_group["far"].overall_share
    )
