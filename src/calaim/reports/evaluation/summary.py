"""The plain-language summary: what the evaluation found, in sentences a program manager reads."""

from __future__ import annotations

import csv
from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.reports.evaluation.costs import CostRatio
from calaim.reports.evaluation.did import Estimate
from calaim.reports.evaluation.run import Evaluation
from calaim.reports.evaluation.spec import MONEY_OUTCOMES, OUTCOMES


@cache
def _names() -> dict[str, str]:
    path = default_policy_dir() / "reference" / "program_names.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: row["en"] for row in csv.DictReader(handle)}


def program_name(program_id: str) -> str:
    """The program's plain name (never its id), from the shipped names file."""
    return _names().get(program_id, program_id.split(".")[-1].replace("_", " ").capitalize())


def _per_100_years(value: float) -> str:
    return f"{abs(value) * 1200:.1f}"


def finding(e: Estimate) -> str:
    """One sentence about one outcome: direction, size, and whether chance could explain it."""
    label = OUTCOMES[e.outcome].replace(" ($)", "")
    if e.outcome in MONEY_OUTCOMES:
        direction = "less" if e.estimate < 0 else "more"
        size = f"${abs(e.estimate):,.2f} {direction} per member per month"
    else:
        direction = "fewer" if e.estimate < 0 else "more"
        size = f"{_per_100_years(e.estimate)} {direction} per 100 members per year"
    sure = e.ci_high < 0 or e.ci_low > 0
    certainty = (
        "larger than chance alone would explain (the 95% interval excludes no difference)."
        if sure
        else "this could be chance (the 95% interval includes no difference)."
    )
    return f"{label}: {size}; {certainty}"


def cost_sentence(cost: CostRatio | None) -> str:
    """The ILOS cost ratio in words."""
    if cost is None:
        return "The cost ratio could not be computed (no follow-up months with costs)."
    if cost.ratio is None:
        return "No payments for the service were found, so there is no cost ratio."
    verdict = (
        "paid for itself"
        if cost.avoided_low >= cost.service_cost
        else ("did not clearly pay for itself")
    )
    return (
        f"The service cost ${cost.service_cost:,} per member per month; the estimated avoided "
        f"cost of other care was ${cost.avoided:,} (95% interval ${cost.avoided_low:,} to "
        f"${cost.avoided_high:,}), a cost ratio of {cost.ratio}. By this measure it {verdict} "
        f"in the follow-up window."
    )


def summary(ev: Evaluation) -> list[str]:
    """The summary paragraphs, most important first."""
    s = ev.spec
    matched = ev.cohort - ev.unmatched
    lead = (
        f"{program_name(s.program_id)}: {ev.cohort:,} members started between "
        f"{s.start:%B %-d, %Y} and {s.end:%B %-d, %Y}; {matched:,} were compared with similar "
        f"members who did not start, over {s.pre_months} months before and {s.post_months} "
        f"months from the start."
    )
    return [lead, *(finding(e) for e in ev.estimates), cost_sentence(ev.cost)]
