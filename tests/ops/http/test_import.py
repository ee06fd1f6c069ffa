"""Member and determination import: as-of spans, payers, Part 2 flags, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.data.errors import ContractError
from calaim.ops.members.importer import import_determinations, import_members
from calaim.ops.models import Member, MemberDetermination, OrganizationKind

from ..factories import organization

AS_OF = dt.date(2025, 10, 1)
HEADER = "person_id,member_id,birth_date,enrollment_start_date,enrollment_end_date,payer,county,"
HEADER += "language,first_name,last_name,gender\n"
ROWS = [
    # Ends exactly on the as-of date: enrolled.
    "P1,91111111A,1970-01-01,2024-01-01,2025-10-01,IMPA,Kern,es,Ana,Uno,female",
    # Starts the day after: not enrolled yet.
    "P2,92222222A,1980-01-01,2025-10-02,,IMPA,Kern,en,Bo,Dos,male",
    # Open-ended: enrolled.
    "P3,93333333A,1990-01-01,2025-10-01,,IMPA,Kern,en,Cy,Tres,",
    # A payer with no organization here: skipped.
    "P4,94444444A,1990-01-01,2020-01-01,,IMPZ,Kern,en,Di,Cuatro,female",
]
DETERMINATIONS = "person_id,program_id,as_of,payer,county,eligible,offered,status,rule_version,"
DETERMINATIONS += "policy_hash\n"


def _folder(tmp_path: Path, rows: list[str]) -> Path:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    (data / "eligibility.csv").write_text(HEADER + "\n".join(rows) + "\n")
    return data


def _determinations(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "determinations.csv"
    path.write_text(DETERMINATIONS + "\n".join(rows) + "\n")
    return path


def test_members_enrolled_on_the_as_of_date_of_known_plans(
    session: Session, tmp_path: Path
) -> None:
    plan = organization(session, OrganizationKind.PLAN, "IMPA")
    result = import_members(session, _folder(tmp_path, ROWS), AS_OF)
    assert (result.members_created, result.members_updated, result.people_skipped) == (2, 0, 1)
    members = session.scalars(select(Member).where(Member.plan_organization_id == plan.id))
    by_person = {m.person_id: m for m in members}
    assert sorted(by_person) == ["P1", "P3"]
    assert (by_person["P1"].cin, by_person["P1"].sex, by_person["P1"].payer) == (
        "91111111A",
        "F",
        "IMPA",
    )
    again = import_members(session, _folder(tmp_path / "again", ROWS), AS_OF)
    assert (again.members_created, again.members_updated) == (0, 2)


def test_determinations_attach_to_members_and_flag_part2(session: Session, tmp_path: Path) -> None:
    plan = organization(session, OrganizationKind.PLAN, "IMPA")
    import_members(session, _folder(tmp_path, ROWS), AS_OF)
    # Other tests may have committed determinations: look only at this plan's members.
    mine = select(Member.id).where(Member.plan_organization_id == plan.id)
    rows = [
        "P1,ecm,2025-10-01,IMPA,Kern,true,true,eligible,2025-01-01,abc",
        "P1,ecm.smh_sud,2025-10-01,IMPA,Kern,true,true,eligible,2025-01-01,abc",
        "P4,ecm,2025-10-01,IMPZ,Kern,true,,eligible,2025-01-01,abc",
    ]
    result = import_determinations(session, _determinations(tmp_path, rows))
    assert (result.determinations, result.determinations_skipped) == (2, 1)
    flags = dict(
        session.execute(
            select(MemberDetermination.program_id, MemberDetermination.part2).where(
                MemberDetermination.member_id.in_(mine)
            )
        ).all()
    )
    assert flags == {"ecm": False, "ecm.smh_sud": True}
    # Importing the same file again replaces the rows instead of duplicating them.
    import_determinations(session, _determinations(tmp_path, rows))
    count = select(func.count()).where(MemberDetermination.member_id.in_(mine))
    assert session.scalar(count) == 2


def test_a_determinations_file_without_a_column_names_it(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("person_id,program_id\nP1,ecm\n")
    with pytest.raises(ContractError) as raised:
        import_determinations(session, path)
    assert {problem.column for problem in raised.value.problems} >= {"as_of", "eligible"}


def test_a_value_too_long_for_the_store_names_row_and_column(
    session: Session, tmp_path: Path
) -> None:
    organization(session, OrganizationKind.PLAN, "IMPA")
    rows = [*ROWS[:1], "P5,9" + "1" * 25 + ",1970-01-01,2024-01-01,,IMPA,Kern,es,Ed,Cinco,"]
    with pytest.raises(ContractError) as raised:
        import_members(session, _folder(tmp_path, rows), AS_OF)
    problem = raised.value.problems[0]
    assert (problem.row, problem.column) == (2, "member_id")


def test_a_tuva_export_imports_medicaid_spans_with_derived_counties(
    session: Session, tmp_path: Path
) -> None:
    organization(session, OrganizationKind.PLAN, "IMPT")
    data = tmp_path / "tuva"
    data.mkdir()
    (data / "eligibility.csv").write_text(
        "person_id,birth_date,enrollment_start_date,payer,payer_type,zip_code\n"
        "T1,1970-01-01,2024-01-01,IMPT,medicaid,93301\n"
        "T2,1970-01-01,2024-01-01,IMPT,medicaid,10001\n"
        "T3,1970-01-01,2024-01-01,IMPT,medicare,93301\n"
    )
    result = import_members(session, data, AS_OF, county="Fresno")
    assert result.members_created == 2
    counties = dict(session.execute(select(Member.person_id, Member.county)).all())
    assert {k: v for k, v in counties.items() if k.startswith("T")} == {
        "T1": "Kern",  # 93301 Bakersfield
        "T2": "Fresno",  # --county default
    }


@pytest.mark.parametrize(("column", "bad"), [("last_name", "Uno\x00"), ("person_id", "P\x001")])
def test_a_control_character_is_refused_naming_row_and_column(
    session: Session, tmp_path: Path, column: str, bad: str
) -> None:
    organization(session, OrganizationKind.PLAN, "IMPA")
    row = ROWS[0] if column == "last_name" else ROWS[0].replace("P1,", f"{bad},", 1)
    row = row.replace(",Uno,", f",{bad},") if column == "last_name" else row
    with pytest.raises(ContractError) as raised:
        import_members(session, _folder(tmp_path, [row]), AS_OF)
    problem = raised.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("eligibility", 1, column)
    assert "NUL" in problem.message
