"""Small-cell suppression with complementary suppression, for files that leave the plan.

A count of 1 to 10 is shown as "<11" (the DHCS de-identification rule). When a breakdown shows
its total, one suppressed cell could be recovered by subtraction, so the smallest other non-zero
cell is suppressed too; a total that is itself 1 to 10 is suppressed with its cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from calaim.ops.determinations.aggregates import SMALL_CELL_LIMIT
from calaim.reports.scope import SUPPRESSED

Shown = int | str


def small(count: int) -> bool:
    """Whether a count must not leave the plan as a number."""
    return 0 < count < SMALL_CELL_LIMIT


def suppress(cells: Sequence[int], total: int | None = None) -> tuple[list[Shown], Shown | None]:
    """The cells and total as they may be published (see the module docstring)."""
    hidden = {i for i, count in enumerate(cells) if small(count)}
    if total is not None and len(hidden) == 1:
        others = [(count, i) for i, count in enumerate(cells) if i not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    shown: list[Shown] = [SUPPRESSED if i in hidden else c for i, c in enumerate(cells)]
    if total is None:
        return shown, None
    return shown, SUPPRESSED if small(total) else total


def withheld(cells: Sequence[int], total: int) -> tuple[list[int | None], int | None]:
    """`suppress` for tables that show None as "<11": each withheld cell or total is None."""
    shown, shown_total = suppress(cells, total)
    return [c if isinstance(c, int) else None for c in shown], (
        shown_total if isinstance(shown_total, int) else None
    )
