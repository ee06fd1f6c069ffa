"""File layouts declared as data (`layouts/*.yaml`): columns, types, code sets, confidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from calaim.exchange.filespecs.value_formats import FORMATS


class ColumnType(StrEnum):
    """What a column holds; decides how a cell is written and parsed."""

    STRING = "string"
    DATE = "date"
    CODE = "code"
    PHONE = "phone"
    ZIP = "zip"
    NPI = "npi"
    TIN = "tin"
    INTEGER = "integer"
    DECIMAL = "decimal"
    YES_NO = "yes_no"


class LayoutError(ValueError):
    """A layout or adapter file is malformed (a packaging error, caught by code-health tests)."""


@dataclass(frozen=True)
class Alias:
    """Another header an implementation writes for a column, and where we saw it."""

    header: str
    source: str
    """Where this spelling comes from, or `assumption`."""


@dataclass(frozen=True)
class ValueFormat:
    """Another way of writing a column's values (value_formats.py), and where we saw it."""

    name: str
    source: str


@dataclass(frozen=True)
class Column:
    """One column: its id (the key of canonical rows), header, type and constraints."""

    id: str
    header: str
    type: ColumnType
    required: bool = False
    max_length: int | None = None
    code_set: str | None = None
    description: str = ""
    aliases: tuple[Alias, ...] = ()
    """Other headers accepted on import (never written)."""
    formats: tuple[ValueFormat, ...] = ()
    """Other value formats accepted on import (never written)."""


@dataclass(frozen=True)
class Layout:
    """One file's declared layout: who sends it to whom, how sure we are, and its columns."""

    id: str
    name: str
    version: str
    direction: str
    sender: str
    receiver: str
    confidence: str
    reference: str
    columns: tuple[Column, ...]

    def column(self, column_id: str) -> Column:
        """The column with this id (KeyError if none)."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    @property
    def column_ids(self) -> tuple[str, ...]:
        """Every column id, in file order."""
        return tuple(column.id for column in self.columns)


def _column(raw: dict[str, Any]) -> Column:
    try:
        return Column(
            id=str(raw["id"]),
            header=str(raw["header"]),
            type=ColumnType(raw["type"]),
            required=bool(raw.get("required", False)),
            max_length=raw.get("max_length"),
            code_set=raw.get("code_set"),
            description=str(raw.get("description", "")),
            aliases=tuple(
                Alias(str(a["header"]), str(a["source"])) for a in raw.get("aliases") or ()
            ),
            formats=tuple(_format(f) for f in raw.get("formats") or ()),
        )
    except (KeyError, ValueError) as error:
        raise LayoutError(f"column {raw!r}: {error}") from error


def _format(raw: dict[str, Any]) -> ValueFormat:
    name = str(raw["name"])
    if name not in FORMATS:
        raise ValueError(f"unknown value format {name!r}; known: {', '.join(FORMATS)}")
    return ValueFormat(name, str(raw["source"]))


def parse_layout(raw: dict[str, Any]) -> Layout:
    """A `Layout` from its YAML mapping."""
    sender, _, receiver = str(raw["direction"]).partition("_to_")
    return Layout(
        id=str(raw["id"]),
        name=str(raw["name"]),
        version=str(raw["version"]),
        direction=str(raw["direction"]),
        sender=sender,
        receiver=receiver,
        confidence=str(raw["confidence"]),
        reference=str(raw.get("reference", "")),
        columns=tuple(_column(column) for column in raw["columns"]),
    )


@cache
def load_layouts() -> dict[str, Layout]:
    """Every shipped layout by id, loaded once."""
    folder = resources.files("calaim.exchange.filespecs").joinpath("layouts")
    layouts: dict[str, Layout] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            layout = parse_layout(yaml.safe_load(entry.read_text("utf-8")))
            layouts[layout.id] = layout
    return layouts


def get_layout(layout_id: str) -> Layout:
    """The shipped layout with this id; `LookupError` naming the known ones otherwise."""
    layouts = load_layouts()
    if layout_id not in layouts:
        known = ", ".join(sorted(layouts))
        raise LookupError(f"unknown file layout {layout_id!r}; known layouts: {known}")
    return layouts[layout_id]
