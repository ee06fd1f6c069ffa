"""YAML policy cases (PolicyEngine-style): a person's facts in, expected statuses out.

A case file lives at the rule's path under tests/cases/ (e.g. tests/cases/ecm/smh_sud.yaml):

    defaults: {as_of: 2024-06-01}          # optional: as_of, payer, county, person, plans
    cases:
      - name: adult with exactly 5 ED visits in 6 months
        person: {birth_date: 1980-01-01}    # eligibility columns (sensible defaults)
        claims:                              # shorthands, see CLAIM_SHORTHANDS, or raw columns
          - {ed: 2024-01-10}
          - {inpatient: 2024-02-01, discharge: 2024-02-05, admit_type: "1"}
          - {dx: F200, date: 2024-03-01}
          - {service: T2033, modifier: U6, date: 2024-01-01, units: 30}
        housing_status: [{observed_date: 2024-05-01, status: unsheltered}]
        expect: {ecm.avoidable_utilization: eligible, ecm: eligible}

Every case becomes one person; a file's cases are identified together, once per as-of date.
Statuses are the contract's: eligible, not_eligible, excluded, not_offered.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from calaim.engine.identify import identify
from calaim.engine.loading.policy import Policy, default_plans_dir

SUPPLEMENTS = (
    "housing_status",
    "program_enrollment",
    "incarceration",
    "pre_release_service",
    "pregnancy",
    "facility_stay",
    "member_fact",
)
PERSON_DEFAULTS = {
    "birth_date": "1980-01-01",
    "gender": "female",
    "race": "white",
    "enrollment_start_date": "2021-01-01",
    "payer": "STATEWIDE",
    "county": "Los Angeles",
}


@dataclass
class Case:
    """One case: one person, one as-of date, expected statuses."""

    file: Path
    index: int
    name: str
    as_of: dt.date
    plans: str
    person: dict[str, Any]
    claims: list[dict[str, Any]]
    supplements: dict[str, list[dict[str, Any]]]
    expect: dict[str, str]
    person_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.person_id = f"C{self.index:04d}"


def load_cases(file: Path) -> list[Case]:
    """Parse a case file."""
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    defaults = raw.get("defaults", {})
    cases = []
    for i, item in enumerate(raw["cases"]):
        person = {**PERSON_DEFAULTS, **defaults.get("person", {}), **item.get("person", {})}
        for key in ("payer", "county"):
            if key in item or key in defaults:
                person[key] = item.get(key, defaults.get(key))
        cases.append(
            Case(
                file=file,
                index=i,
                name=str(item["name"]),
                as_of=_date(item.get("as_of", defaults.get("as_of"))),
                plans=str(item.get("plans", defaults.get("plans", "none"))),
                person=person,
                claims=list(item.get("claims", [])),
                supplements={t: list(item.get(t, [])) for t in SUPPLEMENTS},
                expect={str(k): str(v) for k, v in item["expect"].items()},
            )
        )
    return cases


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def claim_rows(case: Case) -> list[dict[str, Any]]:
    """Expand claim shorthands into contract rows."""
    rows = []
    for n, claim in enumerate(case.claims):
        row = expand_claim(claim)
        row.setdefault("claim_id", f"{case.person_id}-{n}")
        row.setdefault("claim_line_number", 1)
        row["person_id"] = case.person_id
        rows.append(row)
    return rows


def expand_claim(claim: dict[str, Any]) -> dict[str, Any]:
    """One shorthand → contract columns (unknown keys pass through as raw columns)."""
    c = dict(claim)
    dx = c.pop("dx_codes", None)
    if "ed" in c:
        row = {
            "claim_type": "professional",
            "claim_start_date": c.pop("ed"),
            "place_of_service_code": "23",
            "hcpcs_code": "99284",
        }
    elif "inpatient" in c or "snf" in c:
        kind = "inpatient" if "inpatient" in c else "snf"
        start = c.pop(kind)
        end = c.pop("discharge", start)
        row = {
            "claim_type": "institutional",
            "claim_start_date": start,
            "claim_end_date": end,
            "admission_date": start,
            "discharge_date": end,
            "bill_type_code": "111" if kind == "inpatient" else "211",
            "admit_type_code": c.pop("admit_type", "1" if kind == "inpatient" else "3"),
        }
    elif "dx" in c:
        row = {
            "claim_type": "professional",
            "claim_start_date": c.pop("date"),
            "place_of_service_code": "11",
            "hcpcs_code": "99213",
            "diagnosis_code_1": c.pop("dx"),
        }
    elif "service" in c:
        start = c.pop("date")
        row = {
            "claim_type": "professional",
            "claim_start_date": start,
            "claim_end_date": c.pop("end", start),
            "hcpcs_code": c.pop("service"),
            "hcpcs_modifier_1": c.pop("modifier", ""),
            "service_unit_quantity": c.pop("units", 1),
        }
    else:
        row = {}
    row.update(c)
    for i, code in enumerate(dx or [], start=1):
        row[f"diagnosis_code_{i}"] = code
    return row


def write_folder(folder: Path, cases: list[Case]) -> None:
    """Write the cases as a contract input folder (CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    people = [{**c.person, "person_id": c.person_id} for c in cases]
    write_csv(folder / "eligibility.csv", people)
    write_csv(folder / "medical_claim.csv", [r for c in cases for r in claim_rows(c)])
    for table in SUPPLEMENTS:
        rows = [{**r, "person_id": c.person_id} for c in cases for r in c.supplements[table]]
        if rows:
            write_csv(folder / f"{table}.csv", rows)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = sorted({key for row in rows for key in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})


class CaseFileRun:
    """Identifies every case of a file, once per (as-of date, plans) group, and caches it."""

    def __init__(self, file: Path, workdir: Path) -> None:
        self.cases = load_cases(file)
        self.workdir = workdir
        self._statuses: dict[str, dict[str, str]] = {}

    def statuses(self, case: Case) -> dict[str, str]:
        """program id → status for the case's person."""
        if case.person_id not in self._statuses:
            self._run_group(case.as_of, case.plans)
        return self._statuses.get(case.person_id, {})

    def _run_group(self, as_of: dt.date, plans: str) -> None:
        group = [c for c in self.cases if c.as_of == as_of and c.plans == plans]
        folder = self.workdir / f"{as_of}-{plans}"
        write_folder(folder / "data", group)
        plans_dir = default_plans_dir() if plans == "sample" else _empty_plans(self.workdir)
        out = folder / "determinations.csv"
        identify(folder / "data", as_of, out, policy=_policy(plans_dir))
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for person, program, status in duckdb.execute(
            f"SELECT person_id, program_id, status FROM read_csv('{out}', all_varchar=true)"
        ).fetchall():
            found[person][program] = status
        for case in group:
            self._statuses[case.person_id] = found.get(case.person_id, {})


_POLICIES: dict[Path, Policy] = {}


def _policy(plans_dir: Path) -> Policy:
    if plans_dir not in _POLICIES:
        _POLICIES[plans_dir] = Policy.load(plans_dir=plans_dir)
    return _POLICIES[plans_dir]


def _empty_plans(workdir: Path) -> Path:
    folder = workdir / "no-plans"
    folder.mkdir(exist_ok=True)
    return folder
