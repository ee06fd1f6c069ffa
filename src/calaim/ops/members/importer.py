"""Import members (from an engine input folder) and determinations (from `calaim identify`).

A member is imported into each plan organization whose plan code is the payer of an
enrollment span covering the as-of date (contract §1.1 `eligibility`); people of payers with
no organization here are counted and skipped. Determinations (contract §2) are attached to
those members; rows for programs that reveal a substance-use disorder are marked `part2`.
Everything happens in the caller's transaction, so a failed import changes nothing; problems
name the file, row and column. The import is audited as one bulk event per table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from calaim.data.errors import ContractError, Problem
from calaim.data.reader import open_inputs
from calaim.data.text_rules import ACTION, control_character_problem
from calaim.ops.access.part2 import is_part2_program
from calaim.ops.audit.service import record
from calaim.ops.models import Member, MemberDetermination, Organization, OrganizationKind, User

Progress = Callable[[str, int, int], None]

# Eligibility column -> member field, with the member column's size (None: not text).
MEMBER_COLUMNS: dict[str, tuple[str, int | None]] = {
    "member_id": ("cin", 20),
    "first_name": ("first_name", 100),
    "last_name": ("last_name", 100),
    "birth_date": ("birth_date", None),
    "payer": ("payer", 40),
    "county": ("county", 60),
    "language": ("language", 40),
    "phone": ("phone", 20),
    "address": ("address_line", 200),
    "city": ("city", 100),
    "zip_code": ("zip_code", 10),
}
DETERMINATION_COLUMNS = (
    "person_id",
    "program_id",
    "as_of",
    "payer",
    "eligible",
    "offered",
    "status",
    "rule_version",
    "policy_hash",
)
_SEX = {"female": "F", "male": "M", "f": "F", "m": "M"}


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    members_created: int = 0
    members_updated: int = 0
    people_skipped: int = 0
    determinations: int = 0
    determinations_skipped: int = 0


def _noop(_step: str, _done: int, _total: int) -> None:
    return None


def plans_by_code(session: Session) -> dict[str, Organization]:
    """Plan organizations by their plan code (the engine's payer)."""
    plans = session.scalars(select(Organization).where(Organization.kind == OrganizationKind.PLAN))
    return {plan.plan_code: plan for plan in plans if plan.plan_code}


def members_of(
    session: Session, plans: dict[str, Organization]
) -> dict[tuple[uuid.UUID, str], Member]:
    """The plans' members by (plan organization id, person id)."""
    plan_ids = [plan.id for plan in plans.values()]
    members = session.scalars(select(Member).where(Member.plan_organization_id.in_(plan_ids)))
    return {(member.plan_organization_id, member.person_id): member for member in members}


def read_enrolled(data: Path, as_of: dt.date, county: str | None = None) -> list[dict[str, Any]]:
    """Each person's Medicaid enrollment span covering `as_of`, per payer (the latest-starting
    one); `county` is the default county where the files give none (data/derive.py)."""
    con = duckdb.connect()
    try:
        open_inputs(data, con, county=county)
        cursor = con.execute(
            "SELECT row_number() OVER () AS source_row, * FROM eligibility "
            "WHERE enrollment_start_date <= $d "
            "AND (enrollment_end_date IS NULL OR enrollment_end_date >= $d) "
            "AND coalesce(payer_type, 'medicaid') = 'medicaid' "  # only Medi-Cal spans enroll
            "QUALIFY row_number() OVER (PARTITION BY person_id, payer "
            "ORDER BY enrollment_start_date DESC) = 1 ORDER BY person_id, payer",
            {"d": as_of},
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    return rows


def _refuse_control_characters(row: dict[str, Any], column: str, value: str) -> None:
    """The API's rule for text (`text_rules.py`): a NUL or other control character is refused."""
    problem = control_character_problem(value)
    if problem:
        number = int(row["source_row"])
        raise ContractError([Problem("eligibility", number, column, f"{column} {problem}", ACTION)])


def _member_values(row: dict[str, Any]) -> dict[str, Any]:
    """Member fields of one eligibility row; text longer than its column is a problem."""
    values: dict[str, Any] = {}
    for column, (field, size) in MEMBER_COLUMNS.items():
        value = row.get(column)
        if size is not None and value is not None:
            value = str(value).strip()
            _refuse_control_characters(row, column, value)
            if len(value) > size:
                raise ContractError(
                    [
                        Problem(
                            "eligibility",
                            int(row["source_row"]),
                            column,
                            f"{column} {value[:40]!r} is longer than {size} characters",
                            "shorten it; the operational store keeps at most that many",
                        )
                    ]
                )
        values[field] = value
    values["first_name"] = values["first_name"] or ""
    values["last_name"] = values["last_name"] or ""
    values["sex"] = _SEX.get(str(row.get("gender") or "").lower())
    return values


def import_members(
    session: Session,
    data: Path,
    as_of: dt.date,
    *,
    actor: User | None = None,
    progress: Progress = _noop,
    county: str | None = None,
) -> ImportResult:
    """Create or update the members of every known plan enrolled on `as_of`."""
    plans = plans_by_code(session)
    rows = read_enrolled(data, as_of, county)
    existing = members_of(session, plans)
    created = updated = skipped = 0
    for done, row in enumerate(rows, start=1):
        plan = plans.get(str(row["payer"]))
        if plan is None:
            skipped += 1
            continue
        _refuse_control_characters(row, "person_id", str(row["person_id"]))
        values = _member_values(row)
        member = existing.get((plan.id, str(row["person_id"])))
        if member is None:
            member = Member(plan_organization_id=plan.id, person_id=str(row["person_id"]))
            session.add(member)
            existing[(plan.id, member.person_id)] = member
            created += 1
        else:
            updated += 1
        for field, value in values.items():
            setattr(member, field, value)
        if done % 500 == 0:
            progress("members", done, len(rows))
    session.flush()
    progress("members", len(rows), len(rows))
    details = {"source": str(data), "as_of": as_of.isoformat(), "created": created}
    details |= {"updated": updated, "skipped_no_plan": skipped}
    record(session, actor, "member.import", entity_type="import", details=details)
    return ImportResult(members_created=created, members_updated=updated, people_skipped=skipped)


def read_determinations(path: Path) -> list[dict[str, Any]]:
    """The rows of a determinations file (CSV or Parquet), checked for the contract's columns."""
    if not path.is_file():
        raise FileNotFoundError(f"determinations file {path} does not exist")
    reader = "read_parquet" if path.suffix.lower() == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        cursor = con.execute(f"SELECT * FROM {reader}($p)", {"p": str(path)})
        names = [column[0].lower() for column in cursor.description]
        missing = [name for name in DETERMINATION_COLUMNS if name not in names]
        if missing:
            raise ContractError(
                [
                    Problem(
                        path.name,
                        None,
                        name,
                        f"column {name} is missing",
                        "use the file `calaim identify` wrote (contract §2)",
                    )
                    for name in missing
                ]
            )
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _as_date(value: Any, path: Path, row: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        problem = Problem(path.name, row, "as_of", f"as_of {value!r} is not a date", "YYYY-MM-DD")
        raise ContractError([problem]) from error


def _as_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return None if text == "" else text in {"true", "1", "t", "yes"}


def determination_values(
    row: dict[str, Any], number: int, path: Path, member_id: uuid.UUID
) -> dict[str, Any]:
    """The `member_determinations` row for one determinations file row."""
    eligible = _as_bool(row["eligible"])
    if eligible is None:
        problem = Problem(path.name, number, "eligible", "eligible is empty", "true or false")
        raise ContractError([problem])
    return {
        "id": uuid.uuid4(),
        "member_id": member_id,
        "program_id": str(row["program_id"]),
        "as_of": _as_date(row["as_of"], path, number),
        "eligible": eligible,
        "offered": _as_bool(row["offered"]),
        "status": str(row["status"]),
        "rule_version": str(row["rule_version"]),
        "policy_hash": str(row["policy_hash"]),
        "part2": is_part2_program(str(row["program_id"])),
    }


def import_determinations(
    session: Session, path: Path, *, actor: User | None = None, progress: Progress = _noop
) -> ImportResult:
    """Replace the imported members' determinations for each as-of date in the file."""
    rows = read_determinations(path)
    plans = plans_by_code(session)
    members = {key: member.id for key, member in members_of(session, plans).items()}
    values: list[dict[str, Any]] = []
    skipped = 0
    for number, row in enumerate(rows, start=1):
        plan = plans.get(str(row["payer"]))
        member_id = members.get((plan.id, str(row["person_id"]))) if plan else None
        if member_id is None:
            skipped += 1
            continue
        values.append(determination_values(row, number, path, member_id))
    progress("determinations", 0, len(values))
    _replace(session, values)
    progress("determinations", len(values), len(values))
    details = {"source": str(path), "rows": len(values), "skipped_no_member": skipped}
    record(session, actor, "determination.import", entity_type="import", details=details)
    session.flush()
    return ImportResult(determinations=len(values), determinations_skipped=skipped)


def _replace(session: Session, values: list[dict[str, Any]]) -> None:
    """Delete the same members' rows for the same dates, then insert in bulk."""
    for as_of in sorted({row["as_of"] for row in values}):
        member_ids = list({row["member_id"] for row in values if row["as_of"] == as_of})
        for start in range(0, len(member_ids), 500):
            session.execute(
                delete(MemberDetermination).where(
                    MemberDetermination.as_of == as_of,
                    MemberDetermination.member_id.in_(member_ids[start : start + 500]),
                )
            )
    if values:
        session.execute(insert(MemberDetermination), values)
