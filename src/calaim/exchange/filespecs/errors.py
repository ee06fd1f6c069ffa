"""Located problems in an exchange file: file, row (as the user sees it), column, what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from calaim.ops.errors import InvalidRequest

# How many located problems an error response or a CLI table carries (the count says the rest).
SHOWN_PROBLEMS = 200


@dataclass(frozen=True)
class FileProblem:
    """One problem: row 1 is the header row, data starts on row 2 (as a spreadsheet shows)."""

    file: str
    row: int
    column: str
    value: str
    problem: str
    action: str

    def as_dict(self) -> dict[str, str | int]:
        """The problem as a JSON-ready mapping."""
        return asdict(self)

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value else ""
        return (
            f"{self.file}, row {self.row}, column {self.column!r}{shown}: {self.problem}; "
            f"{self.action}"
        )


class FileRejected(InvalidRequest):
    """The file is not valid; nothing was applied. Carries every located problem (HTTP 422)."""

    def __init__(self, file: str, problems: list[FileProblem]) -> None:
        self.file = file
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{file}: {count} problem{'s' if count != 1 else ''}, nothing was applied; "
            "fix every listed row and send the whole file again. First: "
            + (str(problems[0]) if problems else "none"),
            field="file",
        )

    @property
    def details(self) -> dict[str, Any]:
        """The located problems (the first `SHOWN_PROBLEMS`) and their count, for the API."""
        return {
            "file": self.file,
            "problem_count": len(self.problems),
            "problems": [problem.as_dict() for problem in self.problems[:SHOWN_PROBLEMS]],
        }


class CellProblem(ValueError):
    """A cell's value is not acceptable (located later by the reader)."""

    def __init__(self, problem: str, action: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.action = action
