"""Plan variants (`adapters/*.yaml`): renamed headers, order, extra columns, dates, codes.

A variant maps calaim's canonical layout to one plan's spelling of it, both ways. Canonical
(no variant) means the layout's own headers and order, ISO dates (YYYY-MM-DD) and Y/N flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from calaim.exchange.filespecs.layout import Column, Layout, LayoutError


@dataclass(frozen=True)
class ExtraColumn:
    """A plan-only column: written with a constant value, ignored on import."""

    header: str
    value: str = ""


@dataclass(frozen=True)
class LayoutAdapter:
    """How one plan spells one layout."""

    headers: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    extra_columns: tuple[ExtraColumn, ...] = ()


@dataclass(frozen=True)
class Variant:
    """One plan's variant of the DHCS files."""

    id: str
    plan: str
    description: str
    confidence: str
    date_format: str = "%Y-%m-%d"
    yes: str = "Y"
    no: str = "N"
    layouts: dict[str, LayoutAdapter] = field(default_factory=dict)

    def adapter(self, layout_id: str) -> LayoutAdapter:
        """The adapter for one layout (the canonical spelling when the plan declares none)."""
        return self.layouts.get(layout_id, LayoutAdapter())


CANONICAL = Variant(id="canonical", plan="", description="calaim's layout", confidence="")


@dataclass(frozen=True)
class FileColumn:
    """A column as it appears in a file: its header and either a layout column or a constant."""

    header: str
    column: Column | None
    constant: str = ""


def file_columns(layout: Layout, variant: Variant) -> list[FileColumn]:
    """The file's columns in order, after the variant's renames, order and extra columns."""
    adapter = variant.adapter(layout.id)
    by_key: dict[str, FileColumn] = {
        column.id: FileColumn(adapter.headers.get(column.id, column.header), column)
        for column in layout.columns
    }
    for extra in adapter.extra_columns:
        by_key[extra.header] = FileColumn(extra.header, None, extra.value)
    ordered = [by_key.pop(key) for key in adapter.order if key in by_key]
    return ordered + list(by_key.values())


def _layout_adapter(raw: dict[str, Any]) -> LayoutAdapter:
    return LayoutAdapter(
        headers={str(k): str(v) for k, v in (raw.get("headers") or {}).items()},
        order=tuple(str(key) for key in raw.get("order") or ()),
        codes={
            str(column): {str(k): str(v) for k, v in mapping.items()}
            for column, mapping in (raw.get("codes") or {}).items()
        },
        extra_columns=tuple(
            ExtraColumn(str(extra["header"]), str(extra.get("value", "")))
            for extra in raw.get("extra_columns") or ()
        ),
    )


def parse_variant(raw: dict[str, Any]) -> Variant:
    """A `Variant` from its YAML mapping."""
    try:
        return Variant(
            id=str(raw["id"]),
            plan=str(raw["plan"]),
            description=str(raw.get("description", "")),
            confidence=str(raw["confidence"]),
            date_format=str(raw.get("date_format", "%Y-%m-%d")),
            yes=str((raw.get("yes_no") or ["Y", "N"])[0]),
            no=str((raw.get("yes_no") or ["Y", "N"])[1]),
            layouts={str(k): _layout_adapter(v) for k, v in (raw.get("layouts") or {}).items()},
        )
    except KeyError as error:
        raise LayoutError(f"variant {raw.get('id')!r}: missing {error}") from error


@cache
def load_variants() -> dict[str, Variant]:
    """Every shipped plan variant by id, loaded once."""
    folder = resources.files("calaim.exchange.filespecs").joinpath("adapters")
    variants: dict[str, Variant] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            variant = parse_variant(yaml.safe_load(entry.read_text("utf-8")))
            variants[variant.id] = variant
    return variants


def get_variant(variant_id: str | None) -> Variant:
    """The named variant, `CANONICAL` for None; `LookupError` naming the known ones otherwise."""
    if variant_id is None or variant_id == CANONICAL.id:
        return CANONICAL
    variants = load_variants()
    if variant_id not in variants:
        known = ", ".join(sorted(variants))
        raise LookupError(f"unknown variant {variant_id!r}; known variants: {known}")
    return variants[variant_id]
