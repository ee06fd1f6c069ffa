"""The dated coding table: ECM by mode and staff, CS by program, v1.3 edges."""

from __future__ import annotations

import datetime as dt

import pytest

from calaim.ops.billing.coding import (
    ECM_ENCOUNTER,
    ECM_MONTHLY,
    ECM_OUTREACH,
    Mode,
    NoBillingCode,
    StaffType,
    classify,
    coding_table,
    lookup,
)
from calaim.ops.policy import shipped_policy

DAY = dt.date(2025, 10, 15)


@pytest.mark.parametrize(
    ("mode", "staff", "code", "modifiers", "confidence"),
    [
        (Mode.IN_PERSON, StaffType.NON_CLINICAL, "G9012", ("U2",), "verified"),
        (Mode.REMOTE, StaffType.NON_CLINICAL, "G9012", ("U2", "GQ"), "verified"),
        (Mode.IN_PERSON, StaffType.CLINICAL, "G9008", ("U1",), "recalled"),
        (Mode.REMOTE, StaffType.CLINICAL, "G9008", ("U1", "GQ"), "recalled"),
    ],
)
def test_ecm_encounter_codes_by_mode_and_staff(
    mode: Mode, staff: StaffType, code: str, modifiers: tuple[str, ...], confidence: str
) -> None:
    row = lookup(ECM_ENCOUNTER, DAY, mode=mode, staff=staff)
    assert (row.code, row.modifiers, row.confidence) == (code, modifiers, confidence)


def test_outreach_is_u8_with_gq_when_remote() -> None:
    assert lookup(ECM_OUTREACH, DAY, mode=Mode.IN_PERSON).modifiers == ("U8",)
    assert lookup(ECM_OUTREACH, DAY, mode=Mode.REMOTE).modifiers == ("U8", "GQ")


def test_every_community_support_has_a_code_and_every_row_names_a_known_program() -> None:
    programs = shipped_policy().programs
    cs = {pid for pid, program in programs.items() if program.kind == "cs"}
    for program_id in cs:
        assert lookup(program_id, dt.date(2026, 2, 1)).code
    services = {row.service for row in coding_table()}
    assert services - cs == {ECM_ENCOUNTER, ECM_OUTREACH, ECM_MONTHLY}
    assert {row.confidence for row in coding_table()} <= {"verified", "recalled", "assumption"}


def test_v13_codes_start_on_2026_01_01() -> None:
    with pytest.raises(NoBillingCode, match="setup_expenses"):
        lookup("cs.community_transition", dt.date(2025, 12, 31), variant="setup_expenses")
    row = lookup("cs.community_transition", dt.date(2026, 1, 1), variant="setup_expenses")
    assert (row.code, row.modifiers) == ("H0044", ("U5",))
    assert (
        lookup(
            "cs.housing_transition_navigation", dt.date(2026, 1, 1), variant=("outreach_initiation")
        ).code
        == "T1016"
    )


def test_transitional_rent_has_no_code_before_it_exists() -> None:
    with pytest.raises(NoBillingCode):
        lookup("cs.transitional_rent", dt.date(2025, 6, 30))
    assert lookup("cs.transitional_rent", dt.date(2025, 7, 1)).code == "H0044"


def _service(code: str, modifiers: tuple[str, ...], on: dt.date) -> str | None:
    row = classify(code, modifiers, on)
    return None if row is None else row.service


def test_classify_is_keyed_on_code_and_modifier() -> None:
    # H0044 bills three different Community Supports; the modifier decides which.
    assert _service("H0044", ("U2",), DAY) == "cs.housing_deposits"
    assert _service("H0044", ("U6",), DAY) == "cs.transitional_rent"
    assert _service("H0044", ("U5",), DAY) is None  # set-up expenses only from v1.3
    assert _service("H0044", ("U5",), dt.date(2026, 1, 1)) == "cs.community_transition"
    remote = classify("G9012", ("GQ", "U2"), DAY)
    assert remote is not None
    assert remote.modifiers == ("U2", "GQ")
