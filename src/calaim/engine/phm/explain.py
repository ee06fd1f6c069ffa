"""One member's risk tier in plain words: each factor, the value observed, the points it
adds, the score and the cut points that decide the tier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from calaim.engine.loading.policy import Policy
from calaim.engine.phm.model import ResolvedModel
from calaim.engine.phm.score_sql import met_name, points_name, value_name
from calaim.engine.phm.tiers import score_members


class NotScoredError(ValueError):
    """The person has no Medi-Cal enrollment on the as-of date, so has no tier."""


@dataclass(frozen=True)
class FactorLine:
    """One factor as scored for the member."""

    id: str
    label: str
    value: str | None
    met: bool
    points: int
    possible: int
    confidence: str


@dataclass(frozen=True)
class TierExplanation:
    """Why a member is in a tier."""

    person_id: str
    as_of: dt.date
    score: int
    tier: str
    tier_label: str
    factors: tuple[FactorLine, ...]
    cut_points: tuple[tuple[str, int], ...]
    default_label: str
    policy_hash: str
    withheld: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "person_id": self.person_id,
            "as_of": self.as_of.isoformat(),
            "score": self.score,
            "tier": self.tier,
            "factors": [vars(line) for line in self.factors],
            "cut_points": dict(self.cut_points),
            "policy_hash": self.policy_hash,
            "part2_withheld": self.withheld,
        }


def explain_tier(
    data: Path,
    as_of: dt.date,
    person: str,
    *,
    policy: Policy,
    county: str | None = None,
    withhold_part2: bool = False,
) -> TierExplanation:
    """Score one person and explain the result (without Part 2 factors, when withheld)."""
    model, rows = score_members(data, as_of, policy=policy, person=person, county=county)
    if not rows:
        raise NotScoredError(
            f"{person} has no Medi-Cal enrollment on {as_of} in these files, so has no risk tier."
        )
    explained = explanation(model, rows[0])
    return without_part2(explained, model) if withhold_part2 else explained


def without_part2(explained: TierExplanation, model: ResolvedModel) -> TierExplanation:
    """The explanation for a viewer without 42 CFR Part 2 consent: Part 2 factors are left
    out and the score and tier are recomputed without them. Every such viewer sees the score
    computed the same way, so the difference cannot reveal the hidden factor."""
    hidden = {factor.id for factor in model.factors if factor.part2}
    lines = tuple(line for line in explained.factors if line.id not in hidden)
    score = sum(line.points for line in lines)
    tier = next((t for t in model.tiers if score >= t.at_least), None)
    return replace(
        explained,
        factors=lines,
        score=score,
        tier=tier.tier if tier else model.default_tier,
        tier_label=tier.label if tier else model.default_label,
        withheld=True,
    )


def explanation(model: ResolvedModel, row: dict[str, Any]) -> TierExplanation:
    """The explanation of one scored row."""
    lines = []
    for factor in model.factors:
        confidence = model.parameters_used.get(factor.points_parameter, {}).get(
            "confidence", "not in force"
        )
        value = row.get(value_name(factor.id))
        lines.append(
            FactorLine(
                id=factor.id,
                label=factor.label,
                value=None if value is None else str(value),
                met=bool(row[met_name(factor.id)]),
                points=int(row[points_name(factor.id)]),
                possible=factor.points,
                confidence=str(confidence),
            )
        )
    labels = {t.tier: t.label for t in model.tiers}
    return TierExplanation(
        person_id=str(row["person_id"]),
        as_of=model.as_of,
        score=int(row["score"]),
        tier=str(row["tier"]),
        tier_label=labels.get(str(row["tier"]), model.default_label),
        factors=tuple(lines),
        cut_points=tuple((t.label, t.at_least) for t in model.tiers),
        default_label=model.default_label,
        policy_hash=model.policy_hash,
    )


def render(explained: TierExplanation) -> str:
    """Plain text, one factor a line."""
    cuts = "; ".join(f"{label} from {points} points" for label, points in explained.cut_points)
    out = [
        f"{explained.person_id} on {explained.as_of}: {explained.tier_label} "
        f"(score {explained.score}).",
        f"Tiers: {cuts}; otherwise {explained.default_label}.",
        "Factors (the points are calaim's own assumption: DHCS publishes no point system):",
    ]
    for line in explained.factors:
        mark = "yes" if line.met else "no "
        seen = f" (observed: {line.value})" if line.value not in (None, "") else ""
        if line.possible == 0:
            worth = "not scored on this date"
        elif line.met:
            worth = f"+{_points(line.points)}"
        else:
            worth = f"0 of {_points(line.possible)}"
        out.append(f"  [{mark}] {line.label}{seen}: {worth}")
    if explained.withheld:
        out.append(
            "Substance use information is withheld (no 42 CFR Part 2 consent on file); the "
            "score and tier above leave it out."
        )
    out.append(_reason(explained))
    out.append(f"Policy {explained.policy_hash}.")
    return "\n".join(out) + "\n"


def _reason(explained: TierExplanation) -> str:
    reached = [
        (label, points) for label, points in explained.cut_points if explained.score >= points
    ]
    if reached:
        label, points = reached[0]
        above = [(lab, pts) for lab, pts in explained.cut_points if pts > points]
        below = f" and is below the {above[-1][0]} cut point ({above[-1][1]})" if above else ""
        return f"A score of {explained.score} reaches the {label} cut point ({points}){below}."
    lowest_label, lowest = explained.cut_points[-1]
    return (
        f"A score of {explained.score} is below the {lowest_label} cut point ({lowest}), "
        f"so the tier is {explained.default_label}."
    )


def _points(count: int) -> str:
    return f"{count} point" if count == 1 else f"{count} points"
