"""Bar chart geometry for server-rendered inline SVG (no script, no chart library)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 560  # drawing width of the bars, in SVG user units
LABEL = 200  # room on the left for the labels
ROW = 34  # height of one bar row


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value (None: suppressed or withheld), position and length."""

    label: str
    value: int | None
    y: int
    length: int
    series: int = 0  # which colour (0 or 1) in a paired chart


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: bars, its total height and the scale's maximum."""

    bars: tuple[Bar, ...]
    height: int
    maximum: int
    width: int = WIDTH
    label_width: int = LABEL


def bars(items: list[tuple[str, int | None]], *, per_group: int = 1) -> Chart:
    """Bars of `items` scaled to the largest value; `per_group` bars share one row group."""
    maximum = max([value or 0 for _, value in items] + [1])
    found = []
    for index, (label, value) in enumerate(items):
        group, series = divmod(index, per_group)
        y = group * (ROW * per_group + 10) + series * ROW
        length = round(WIDTH * (value or 0) / maximum)
        found.append(Bar(label, value, y, length, series))
    groups = -(-len(items) // per_group)
    return Chart(tuple(found), max(groups * (ROW * per_group + 10), ROW), maximum)
