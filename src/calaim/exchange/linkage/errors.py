"""Roster errors: each names the file, the row and the column, and says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calaim.ops.errors import InvalidRequest

# How many problems one error message lists (the rest are counted).
SHOWN = 20


@dataclass(frozen=True)
class RosterProblem:
    """One problem in one cell (row 1 is the header; `row` is None for the file as a whole)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class RosterInvalid(InvalidRequest):
    """The roster has problems; nothing was read into the store. Fix them and send it again."""

    def __init__(self, problems: list[RosterProblem], total: int | None = None) -> None:
        self.problems = problems[:SHOWN]
        self.total = total if total is not None else len(problems)
        lines = [str(problem) for problem in self.problems]
        more = self.total - len(self.problems)
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        super().__init__(
            "the roster was not reconciled (nothing changed); fix these and send it again:\n"
            + "\n".join(lines),
            field="file",
        )
        self.details = {
            "problems": [problem.as_dict() for problem in self.problems],
            "total": self.total,
        }
