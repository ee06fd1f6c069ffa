"""The screening tools as policy data (`policy/reference/mh_screening_tools.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.yamlio import read_yaml

TOOLS_FILE = "reference/mh_screening_tools.yaml"


@dataclass(frozen=True)
class Item:
    """One question: its weight when answered yes, and how sure calaim is of it."""

    id: str
    text: str
    weight: int
    confidence: str
    area: str
    part2: bool = False
    direct_to: str | None = None


@dataclass(frozen=True)
class Tool:
    """One tool: safety questions first, then scored items and the cut-off."""

    id: str
    label: str
    scored: bool
    safety: tuple[Item, ...]
    items: tuple[Item, ...]
    county_at_least: int | None
    threshold_confidence: str | None
    fields: tuple[str, ...]


def _item(raw: dict[str, Any]) -> Item:
    return Item(
        id=str(raw["id"]),
        text=str(raw["text"]),
        weight=int(raw.get("weight", 0)),
        confidence=str(raw["confidence"]),
        area=str(raw.get("area", "safety")),
        part2=bool(raw.get("part2", False)),
        direct_to=raw.get("direct_to"),
    )


def _tool(tool_id: str, raw: dict[str, Any]) -> Tool:
    threshold = raw.get("threshold") or {}
    return Tool(
        id=tool_id,
        label=str(raw["label"]),
        scored=bool(raw.get("scored", True)),
        safety=tuple(_item(item) for item in raw.get("safety", [])),
        items=tuple(_item(item) for item in raw.get("items", [])),
        county_at_least=threshold.get("county_at_least"),
        threshold_confidence=threshold.get("confidence"),
        fields=tuple(raw.get("fields", [])),
    )


@cache
def screening_tools() -> dict[str, Tool]:
    """Every tool by id, loaded once."""
    raw = read_yaml(default_policy_dir() / TOOLS_FILE)
    return {tool_id: _tool(tool_id, body) for tool_id, body in raw["tools"].items()}


@cache
def route_labels() -> dict[str, str]:
    """Plain words for each route."""
    raw = read_yaml(default_policy_dir() / TOOLS_FILE)
    return {str(key): str(value) for key, value in raw["routes"].items()}
