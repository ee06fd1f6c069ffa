"""The DHCS quarterly monitoring workbook: real counts, suppression, the layout as data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pydantic import ValidationError
from sqlalchemy.orm import Session

from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Member, Organization, OrganizationKind, Role, User
from calaim.ops.policy import shipped_policy
from calaim.reports.layout import Layout, Section, load_layout
from calaim.reports.quarterly import Quarterly, quarter, quarterly
from calaim.reports.quarterly_export import quarterly_xlsx
from calaim.reports.suppression import suppress
from ops.factories import user

from .world import authorization, determination, enrollment, member, plan, provider

POLICY = shipped_policy()
Q3 = quarter("2025Q3")
HOMELESS = "ecm.homeless_adult"
RECUP, MEALS = "cs.recuperative_care", "cs.medically_tailored_meals"
K = OrganizationKind
LAYOUT = load_layout("dhcs_quarterly")


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 12, tzinfo=dt.UTC)


def people(session: Session, owner: Organization, count: int, county: str) -> list[Member]:
    found = [member(session, owner, county) for _ in range(count)]
    for who in found:
        determination(session, who, HOMELESS)
    return found


class World:
    """14 Los Angeles and 3 Orange members eligible; 11 new, 2 continuing, 1 disenrolled."""

    def __init__(self, session: Session) -> None:
        self.owner = plan(session)
        code = self.owner.plan_code or ""
        ecm = provider(session, K.ECM_PROVIDER, [HOMELESS], [code], 50)
        provider(session, K.CS_PROVIDER, [RECUP], [code], 20)
        provider(session, K.CS_PROVIDER, [RECUP], ["OTHER"], 99)  # not contracted
        la = people(session, self.owner, 14, "Los Angeles")
        self.someone = la[0]
        people(session, self.owner, 3, "Orange")
        for who in la[:11]:
            enrollment(session, who, ecm, assigned=dt.date(2025, 7, 10),
                       enrolled=dt.date(2025, 8, 1))  # fmt: skip
        for who in la[11:13]:
            enrollment(session, who, ecm, assigned=dt.date(2025, 4, 1),
                       enrolled=dt.date(2025, 5, 1))  # fmt: skip
        gone = enrollment(session, la[13], ecm, assigned=dt.date(2025, 4, 1),
                          enrolled=dt.date(2025, 5, 1))  # fmt: skip
        gone.discontinued_on, gone.discontinuation_reason_code = dt.date(2025, 9, 10), "03"
        for index, who in enumerate(la[:12]):
            authorization(session, who, RECUP, requested=at(7, 1), due=at(7, 8),
                          decided=at(7, 1 + 2 + index % 2), status="approved")  # fmt: skip
        authorization(session, la[0], MEALS, requested=at(8, 1), due=at(8, 8),
                      decided=at(8, 4), status="denied")  # fmt: skip
        # Another plan's eligible, enrolled members: never counted.
        other = plan(session)
        for who in people(session, other, 20, "Los Angeles"):
            enrollment(session, who, ecm, assigned=dt.date(2025, 7, 10),
                       enrolled=dt.date(2025, 8, 1))  # fmt: skip
        session.flush()
        self.actor: User = user(session, self.owner, Role.PLAN_CARE_COORDINATION)

    def report(self, session: Session) -> Quarterly:
        return quarterly(session, self.actor, POLICY, Q3, dt.date(2025, 10, 15))


def section(sheet: str, source: str) -> Section:
    found = next(s for s in LAYOUT.sheets if s.name == sheet)
    return next(s for s in found.sections if s.source == source)


def value(book, sheet: str, source: str, row_index: int, column_key: str) -> object:  # type: ignore[no-untyped-def]
    """The cell of a section's data row `row_index` (0-based) and column, at the layout's place."""
    where = section(sheet, source)
    row, column = where.origin
    offset = 1 + [c.key for c in where.columns].index(column_key)
    return book[sheet].cell(row + 2 + row_index, column + offset).value


def test_counts_are_the_plans_own(session: Session) -> None:
    report = World(session).report(session)
    assert report.ecm_totals == {"eligible": 17, "newly_enrolled": 11, "continuously_enrolled": 2,
                      "disenrolled": 1}  # fmt: skip
    assert report.disenrollment_reasons == {"03": 1}
    assert report.cs[RECUP] == {"requested": 12, "authorized": 12}
    assert report.ecm["county"]["Orange"] == {"eligible": 3}
    assert report.ecm["population"][HOMELESS]["newly_enrolled"] == 11
    assert sorted(report.cs_days_to_decision[RECUP]) == [2.0] * 6 + [3.0] * 6
    assert report.providers == {"ecm": (1, 50), "cs": (1, 20), RECUP: (1, 20)}


def test_workbook_cells_sit_where_the_layout_puts_them(session: Session) -> None:
    book = load_workbook(io.BytesIO(quarterly_xlsx(World(session).report(session))))
    pofs = sorted(pid for pid, p in POLICY.programs.items() if p.kind == "ecm_pof")
    homeless = pofs.index(HOMELESS)
    sheet = "ECM by Population"
    assert value(book, sheet, "ecm.population", homeless, "eligible") == 17
    assert value(book, sheet, "ecm.population", homeless, "newly_enrolled") == 11
    assert value(book, sheet, "ecm.population", homeless, "continuously_enrolled") == "<11"
    assert value(book, sheet, "ecm.population", len(pofs), "eligible") == 17  # the total
    # County: Orange (3) is suppressed, so Los Angeles (14) is too, or 17 - 14 would show it.
    assert value(book, "ECM by County", "ecm.county", 0, "eligible") == "<11"
    assert value(book, "ECM by County", "ecm.county", 1, "eligible") == "<11"
    assert value(book, "ECM by County", "ecm.county", 2, "eligible") == 17
    assert value(book, "ECM by County", "ecm.county", 0, "newly_enrolled") == 11
    # Community Supports: 1 meals request hides itself and recuperative care's 12.
    services = sorted(pid for pid, p in POLICY.programs.items() if p.kind == "cs")
    cs = "Community Supports"
    assert value(book, cs, "cs.by_service", services.index(MEALS), "requested") == "<11"
    assert value(book, cs, "cs.by_service", services.index(RECUP), "requested") == "<11"
    assert value(book, cs, "cs.by_service", len(services), "requested") == 12
    assert value(book, cs, "cs.by_service", services.index(RECUP), "authorized") == 12
    assert value(book, cs, "cs.by_service", services.index(RECUP), "median_days_to_decision") == 2.5
    assert value(book, "Providers", "providers.program", 0, "capacity") == 50
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Period"] == "2025-07-01 to 2025-09-30"
    assert about["As of"] == "2025-10-15"
    assert about["Policy hash"] == POLICY.resolve(Q3.end).policy_hash
    assert len(about["Input fingerprint"]) == 32
    note = section("ECM Demographics", "note")
    assert "race or ethnicity" in book["ECM Demographics"].cell(note.origin[0] + 1, 1).value


def test_the_layout_is_data_flagged_assumption() -> None:
    assert LAYOUT.confidence == "assumption"
    assert "could not be read" in LAYOUT.note
    assert section("ECM Demographics", "ecm.age_band").anchor == "A8"


def test_an_overlapping_layout_is_refused_by_name() -> None:
    data = yaml.safe_load(yaml.safe_dump(LAYOUT.model_dump(mode="json")))
    data["sheets"][1]["sections"][1]["anchor"] = "A4"
    with pytest.raises(ValidationError, match="ECM Demographics"):
        Layout.model_validate(data)


@pytest.mark.parametrize(
    ("cells", "total", "expected"),
    [
        ([12, 3], 15, (["<11", "<11"], 15)),  # complementary suppression
        ([12, 11], 23, ([12, 11], 23)),  # 11 is shown
        ([12, 10, 0], 22, (["<11", "<11", 0], 22)),  # 10 is not; zeros stay
        ([5, 4], 9, (["<11", "<11"], "<11")),
        ([3, 4, 20], 27, (["<11", "<11", 20], 27)),  # two hidden: no third needed
    ],
)
def test_suppression(cells: list[int], total: int, expected: tuple[list[object], object]) -> None:
    assert suppress(cells, total) == expected


@pytest.mark.parametrize("text", ["2025Q0", "Q3 2025", "", "2025-07-01"])
def test_bad_quarters_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequest, match="2025Q3"):
        quarter(text)


def test_quarter_bounds() -> None:
    fourth = quarter("2025q4")
    assert (fourth.start, fourth.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("today", "expected"),
    [(dt.date(2025, 10, 1), "2025Q3"), (dt.date(2025, 9, 30), "2025Q2"),
     (dt.date(2026, 1, 1), "2025Q4"), (dt.date(2026, 3, 31), "2025Q4")],
)  # fmt: skip
def test_the_default_quarter_is_the_last_complete_one(today: dt.date, expected: str) -> None:
    from calaim.reports.submissions import last_complete_quarter

    assert last_complete_quarter(today) == expected


def test_fingerprint_follows_the_counted_records(session: Session) -> None:
    world = World(session)
    first = world.report(session).provenance
    assert world.report(session).provenance.input_fingerprint == first.input_fingerprint
    world.someone.language = "hy"
    session.flush()
    assert world.report(session).provenance.input_fingerprint != first.input_fingerprint
