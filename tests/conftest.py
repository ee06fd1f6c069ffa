"""Shared pytest setup: YAML policy cases under tests/cases/ are collected as tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from case_runner import Case, CaseFileRun

CASES_DIR = Path(__file__).parent / "cases"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect tests/cases/**/*.yaml as policy case files."""
    if file_path.suffix == ".yaml" and CASES_DIR in file_path.parents:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """One YAML case file; its cases share one identification run per as-of date."""

    def collect(self) -> Iterator[pytest.Item]:
        self.run: CaseFileRun | None = None
        from case_runner import load_cases

        for case in load_cases(self.path):
            yield CaseItem.from_parent(self, name=f"{case.index:02d} {case.name}", case=case)

    def runner(self, tmp_root: Path) -> CaseFileRun:
        """The (lazily created) identification run of this file."""
        if self.run is None:
            self.run = CaseFileRun(self.path, tmp_root)
        return self.run


class CaseItem(pytest.Item):
    """One policy case: expected status per program."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        factory = self.config._tmp_path_factory  # type: ignore[attr-defined]
        parent = self.parent
        assert isinstance(parent, CaseFile)
        if parent.run is None:
            parent.run = CaseFileRun(self.path, factory.mktemp(self.path.stem))
        statuses = parent.run.statuses(self.case)
        wrong = {
            program: (expected, statuses.get(program, "<no row>"))
            for program, expected in self.case.expect.items()
            if statuses.get(program) != expected
        }
        if wrong:
            raise CaseFailure(self.case, wrong)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.case.name}"


class CaseFailure(Exception):
    """Expected and actual statuses differ."""

    def __init__(self, case: Case, wrong: dict[str, tuple[str, str]]) -> None:
        lines = [f"{case.file.name}: {case.name} (person {case.person_id}, as of {case.as_of})"]
        lines += [f"  {p}: expected {e}, got {a}" for p, (e, a) in wrong.items()]
        lines.append(
            f"  explain: calaim explain --data <case folder> --as-of {case.as_of} "
            f"--person {case.person_id}"
        )
        super().__init__("\n".join(lines))


@pytest.fixture(scope="session", autouse=True)
def attachments_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Attachments uploaded by any test go to a temporary folder, never the working tree."""
    folder = tmp_path_factory.mktemp("attachments")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALAIM_ATTACHMENTS_DIR", str(folder))
        yield folder
