"""Import a folder of Synthea Bundles (`*.json`, one per patient) into contract tables.

Every file is read and checked first; the tables are written only if all of them are valid,
so a bad Bundle (located error: file and JSON path) leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from calaim.exchange.fhir.bundle import load_bundle, parse_json
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.bundle_rows import BundleRows, Defaults, bundle_rows
from calaim.exchange.fhir.synthea.output import Format, check_target, write_tables

Progress = Callable[[str, int, int], None]


@dataclass
class SyntheaSummary:
    """What an import wrote: counts, and resources skipped by type (and reason)."""

    files: int = 0
    patients: int = 0
    claim_lines: int = 0
    eligibility_spans: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def bundle_files(folder: Path) -> list[Path]:
    """The Bundle files of a folder (`*.json`, sorted), or an error saying what is wrong."""
    if not folder.is_dir():
        raise FhirInputError(
            "no such folder; give a folder of Synthea Bundles", field=None, source=str(folder)
        )
    files = sorted(path for path in folder.glob("*.json") if path.is_file())
    if not files:
        raise FhirInputError("holds no *.json Bundle files", field=None, source=str(folder))
    return files


def read_file(path: Path, defaults: Defaults) -> BundleRows:
    """One file's rows; any problem is a FhirInputError naming the file and JSON path."""
    source = str(path)
    try:
        data = parse_json(path.read_bytes(), source=source)
        return bundle_rows(load_bundle(data, source), defaults)
    except FhirInputError as error:
        raise error.at(source) from None


def import_folder(
    folder: Path,
    out: Path,
    *,
    county: str | None = None,
    payer: str | None = None,
    fmt: Format = "csv",
    progress: Progress | None = None,
) -> SyntheaSummary:
    """Read every Bundle of `folder`, then write eligibility and medical_claim into `out`."""
    check_target(out)
    files = bundle_files(folder)
    summary = SyntheaSummary(files=len(files))
    eligibility: list[dict[str, str]] = []
    lines: list[dict[str, str]] = []
    seen: dict[str, Path] = {}
    for done, path in enumerate(files):
        if progress:
            progress(path.name, done, len(files))
        rows = read_file(path, Defaults(county, payer))
        _check_unique(rows.persons, path, seen)
        eligibility.extend(rows.eligibility)
        lines.extend(rows.claim_lines)
        for kind, count in rows.skipped.items():
            summary.skipped[kind] = summary.skipped.get(kind, 0) + count
    if progress:
        progress("writing", len(files), len(files))
    write_tables(out, {"eligibility": eligibility, "medical_claim": lines}, fmt)
    summary.patients = len(seen)
    summary.claim_lines = len(lines)
    summary.eligibility_spans = len(eligibility)
    return summary


def _check_unique(persons: list[str], path: Path, seen: dict[str, Path]) -> None:
    """A person may come from one file only (the same Patient twice would double its claims)."""
    for person in persons:
        if person in seen:
            raise FhirInputError(
                f"Patient {person!r} is also in {seen[person]}; give each patient once",
                field="entry",
                source=str(path),
            )
        seen[person] = path
