"""The declared roster layout (layout.yaml): fields, which are required, header aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

FieldType = Literal["text", "cin", "date", "sex", "zip", "phone"]


@dataclass(frozen=True)
class RosterField:
    """One field of the roster layout."""

    name: str
    type: FieldType
    required: bool
    aliases: tuple[str, ...]


def header_key(header: str) -> str:
    """A header as compared with aliases: lower case, without spaces, `_`, `-` or dots."""
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


@cache
def roster_fields() -> tuple[RosterField, ...]:
    """Every field of the layout, in file order."""
    text = resources.files("calaim.exchange.linkage").joinpath("layout.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return tuple(
        RosterField(
            name=item["name"],
            type=item["type"],
            required=bool(item["required"]),
            aliases=(*item["aliases"], item["name"]),
        )
        for item in data["fields"]
    )


def match_headers(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Map each layout field to the index of its column, and list required fields missing.

    The first column whose header matches an alias wins; unknown columns are ignored.
    """
    keys = [header_key(header) for header in headers]
    found: dict[str, int] = {}
    for field in roster_fields():
        aliases = {header_key(alias) for alias in field.aliases}
        for index, key in enumerate(keys):
            if key in aliases:
                found[field.name] = index
                break
    missing = [f.name for f in roster_fields() if f.required and f.name not in found]
    return found, missing
