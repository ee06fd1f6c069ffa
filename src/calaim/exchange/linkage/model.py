"""The linkage model (model.yaml) as Splink settings, and its thresholds."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities that decide what a pair means (calaim's assumptions, as data)."""

    match: float
    duplicate: float
    review: float


@dataclass(frozen=True)
class LinkageModel:
    """The comparisons with fixed m/u probabilities, blocking rules and thresholds."""

    data: dict[str, Any]

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds of model.yaml."""
        values = self.data["thresholds"]
        return Thresholds(
            match=float(values["match_probability"]["value"]),
            duplicate=float(values["duplicate_probability"]["value"]),
            review=float(values["review_probability"]["value"]),
        )

    def comparison_names(self) -> list[str]:
        """The comparisons' names (Splink's `mw_<name>` columns hold their match weights)."""
        return [comparison["name"] for comparison in self.data["comparisons"]]

    def level_label(self, comparison: str, weight: float | None) -> str:
        """The level a pair reached in one comparison, known from its match weight."""
        if weight is None:
            return "not compared"
        levels = next(c for c in self.data["comparisons"] if c["name"] == comparison)["levels"]
        best = min(levels, key=lambda level: abs(level_weight(level) - weight))
        return str(best["label"])

    def splink_settings(self) -> dict[str, Any]:
        """A Splink settings dictionary: dedupe of one table, fixed parameters, no training."""
        return {
            "link_type": "dedupe_only",
            "unique_id_column_name": "unique_id",
            "probability_two_random_records_match": self.data[
                "probability_two_random_records_match"
            ],
            "blocking_rules_to_generate_predictions": list(self.data["blocking_rules"]),
            "comparisons": [_comparison(c) for c in self.data["comparisons"]],
            "retain_matching_columns": False,
            "retain_intermediate_calculation_columns": True,  # mw_*: each comparison's weight
        }


def level_weight(level: dict[str, Any]) -> float:
    """A level's match weight: log2(m/u); a missing value weighs nothing."""
    if level.get("missing"):
        return 0.0
    return math.log2(float(level["m"]) / float(level["u"]))


def comparison_sql(condition: str) -> str:
    """Splink's column form of a condition written like a blocking rule: `l.cin` -> `cin_l`."""
    return re.sub(r"\b([lr])\.(\w+)", r"\2_\1", condition)


def _comparison(data: dict[str, Any]) -> dict[str, Any]:
    levels = []
    for level in data["levels"]:
        entry: dict[str, Any] = {
            "sql_condition": "ELSE" if level["when"] == "else" else comparison_sql(level["when"]),
            "label_for_charts": level["label"],
        }
        if level.get("missing"):
            entry["is_null_level"] = True
        else:
            entry["m_probability"] = level["m"]
            entry["u_probability"] = level["u"]
        levels.append(entry)
    return {
        "output_column_name": data["name"],
        "comparison_description": data["description"],
        "comparison_levels": levels,
    }


@cache
def linkage_model() -> LinkageModel:
    """The packaged linkage model."""
    text = resources.files("calaim.exchange.linkage").joinpath("model.yaml").read_text("utf-8")
    return LinkageModel(yaml.safe_load(text))
