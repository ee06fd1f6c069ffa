"""Problems found in an input folder, and the error that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as possible."""

    file: str
    """File name, e.g. "eligibility.csv" (or the folder, for folder-level problems)."""
    row: int | None
    """1-based data row (the header is not counted); None for file- or column-level problems."""
    column: str | None
    message: str
    """What is wrong, quoting the bad value."""
    hint: str
    """What to do about it."""
    count: int = 1
    """How many rows this entry stands for: above 1 only on a "... more rows" summary line."""

    def location(self, with_file: bool = True) -> str:
        """Where the problem is, e.g. "eligibility.csv, row 3, column birth_date"."""
        parts = [self.file] if with_file else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def render(self, with_file: bool = True) -> str:
        """One line: location, what is wrong, and the fix."""
        where = self.location(with_file)
        text = f"{self.message.rstrip('.')}. Fix: {self.hint}"
        return f"{where}: {text}" if where else text


class ContractError(Exception):
    """The input folder breaks the data contract; `problems` lists everything found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.render())

    @property
    def total(self) -> int:
        """Number of problems, counting the rows behind each "... more rows" line."""
        return sum(problem.count for problem in self.problems)

    def render(self) -> str:
        """A readable multi-line report, grouped by file, with totals."""
        by_file: dict[str, list[Problem]] = {}
        for problem in self.problems:
            by_file.setdefault(problem.file, []).append(problem)
        files = "file" if len(by_file) == 1 else "files"
        lines = [
            f"The input does not follow the data contract: {_count(self.total)} in "
            f"{len(by_file)} {files}. Nothing was loaded.",
        ]
        for file, problems in by_file.items():
            lines.append("")
            lines.append(f"{file}: {_count(sum(p.count for p in problems))}")
            lines.extend(_file_lines(problems))
        return "\n".join(lines)


def _file_lines(problems: list[Problem]) -> list[str]:
    """One line per problem; the fix once after each run of problems sharing it."""
    lines: list[str] = []
    for i, problem in enumerate(problems):
        where = problem.location(with_file=False)
        lines.append(f"  {where}: {problem.message}" if where else f"  {problem.message}")
        following = problems[i + 1] if i + 1 < len(problems) else None
        if following is None or (following.column, following.hint) != (
            problem.column,
            problem.hint,
        ):
            lines.append(f"    Fix: {problem.hint}")
    return lines


def _count(n: int) -> str:
    return f"{n:,} problem" if n == 1 else f"{n:,} problems"
