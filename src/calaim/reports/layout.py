"""Report layouts as data: sheets, sections, rows and columns, loaded from YAML and checked.

A layout's positions are data so a corrected DHCS template is a data change. `load_layout`
refuses a layout whose fixed sections would overlap or whose variable-length section is not the
last of its sheet, naming the sheet and section.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(Strict):
    """A row or column: its key in the numbers and its label in the file."""

    key: str
    label: str


class Section(Strict):
    """One table (or a note) starting at `anchor`."""

    source: str
    title: str
    anchor: str
    row_header: str = ""
    rows: tuple[Line, ...] = ()
    rows_from: Literal["ecm_pof", "cs"] | None = None
    dynamic: bool = False
    columns: tuple[Line, ...] = ()
    text: str | None = None

    @property
    def origin(self) -> tuple[int, int]:
        """(row, column) of the anchor, 1-based."""
        letters, row = coordinate_from_string(self.anchor)
        return row, column_index_from_string(letters)

    def height(self, rows: int) -> int:
        """Lines taken: title, header, rows, total (a note: title and text)."""
        return 2 if self.source == "note" else rows + 3


class Sheet(Strict):
    name: str = Field(max_length=31)
    sections: tuple[Section, ...]


class Layout(Strict):
    """A workbook layout with its confidence and the note printed on the cover."""

    id: str
    title: str
    confidence: Literal["assumption", "confirmed"]
    note: str
    ecm_columns: tuple[Line, ...] = ()
    sheets: tuple[Sheet, ...]

    @model_validator(mode="after")
    def _fits(self) -> Layout:
        for sheet in self.sheets:
            ordered = sorted(sheet.sections, key=lambda s: s.origin)
            for index, section in enumerate(ordered):
                later = ordered[index + 1 :]
                if section.dynamic and later:
                    raise ValueError(
                        f"sheet {sheet.name!r}: section {section.title!r} has a variable number "
                        "of rows, so it must be the last section of its sheet"
                    )
                if not section.dynamic and section.rows_from is None and later:
                    end = section.origin[0] + section.height(len(section.rows))
                    if end > later[0].origin[0]:
                        raise ValueError(
                            f"sheet {sheet.name!r}: section {section.title!r} runs to row {end} "
                            f"and overlaps {later[0].title!r} at {later[0].anchor}"
                        )
        return self


@cache
def load_layout(name: str) -> Layout:
    """The shipped layout `name` (a YAML file in `calaim/reports/layouts`)."""
    text = resources.files("calaim.reports.layouts").joinpath(f"{name}.yaml").read_text("utf-8")
    return Layout.model_validate(yaml.safe_load(text))
