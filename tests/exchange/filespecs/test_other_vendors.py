"""DHCS files written by other implementations: longer headers, "10 mins", date-time ranges
(accepted as the layouts declare), and unknown headers named with the closest known one."""

from __future__ import annotations

import datetime as dt

import pytest

from calaim.exchange.filespecs.adapters import get_variant
from calaim.exchange.filespecs.layout import load_layouts
from calaim.exchange.filespecs.reader import parse_file
from calaim.exchange.filespecs.value_formats import (
    minutes_text,
    range_start_date,
    time_range_minutes,
)

OTF_HEADER = (
    "Primary Payer (MCP) Identifier,ECM Provider National Provider Identifier (NPI),"
    "Member Client Index Number,Date of Outreach Attempt,Outreach Attempt Method,"
    "Outreach Attempt Successful,Time Spent Performing Outreach"
)


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_file(load_layouts()["otf"], get_variant(None), "otf.csv", text.encode())


def test_another_vendors_headers_and_values_are_read() -> None:
    parsed = parse(
        OTF_HEADER + "\n"
        "LACARE,1245319599,91234567A,2025-03-05,phone,Y,10 mins\n"
        "LACARE,1245319599,91234567A,2025-03-05 10:00 - 10:45,in_person,N,"
        "03/05/2025 10:00 AM - 03/05/2025 10:45 AM\n"
    )
    assert parsed.problems == []
    rows = [row for _, row in parsed.rows]
    assert [(r["provider_npi"], r["member_cin"]) for r in rows] == [("1245319599", "91234567A")] * 2
    assert [r["minutes"] for r in rows] == [10, 45]
    assert [r["attempted_on"] for r in rows] == [dt.date(2025, 3, 5)] * 2


def test_an_unknown_header_names_the_closest_known_column() -> None:
    parsed = parse(OTF_HEADER.replace("Outreach Attempt Method", "Outreach Attempt Methods") + "\n")
    unknown, missing = parsed.problems
    assert (unknown.row, unknown.column) == (1, "Outreach Attempt Methods")
    assert "closest known column is 'Outreach Attempt Method'" in unknown.action
    # ... and the column it would have been is reported missing, as before.
    assert (missing.column, missing.problem) == (
        "Outreach Attempt Method",
        "required column missing",
    )


def test_a_column_given_twice_under_two_names_is_refused() -> None:
    parsed = parse(OTF_HEADER + ",ECM Provider NPI\n")
    assert [(p.column, p.problem) for p in parsed.problems] == [
        ("ECM Provider NPI", "the column appears twice")
    ]


def test_a_value_in_no_declared_format_is_still_refused() -> None:
    parsed = parse(OTF_HEADER + "\nLACARE,1245319599,91234567A,2025-03-05,phone,Y,ten minutes\n")
    assert [(p.column, p.value, p.problem) for p in parsed.problems] == [
        ("Time Spent Performing Outreach", "ten minutes", "not a whole number")
    ]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("10 mins", 10), ("10 min", 10), ("45 minutes", 45), ("1 hr 15 min", 75), ("1.5 hours", 90)],
)
def test_minutes_text(text: str, minutes: int) -> None:
    assert minutes_text(text) == minutes


@pytest.mark.parametrize("text", ["10", "10 apples", "mins", "1.25 min", ""])
def test_not_minutes_text(text: str) -> None:
    assert minutes_text(text) is None


def test_time_ranges() -> None:
    assert time_range_minutes("2025-03-05 10:00-10:30") == 30
    assert time_range_minutes("03/05/2025 11:30 PM - 03/06/2025 12:15 AM") == 45
    assert time_range_minutes("2025-03-05 10:30 - 10:00") is None  # ends before it starts
    assert range_start_date("2025-03-05T23:30 - 2025-03-06T00:10") == dt.date(2025, 3, 5)
    assert range_start_date("yesterday") is None


def test_every_alias_and_format_says_where_it_comes_from() -> None:
    for layout in load_layouts().values():
        for column in layout.columns:
            for declared in (*column.aliases, *column.formats):
                assert declared.source.strip(), (layout.id, column.id, declared)
