"""The member page's "Why" text: program names, the rules' date and confidence, go-live."""

from __future__ import annotations

import datetime as dt

from calaim.ops.models import Member
from calaim.reports.reasons import reason


def member(county: str) -> Member:
    return Member(payer="HEALTHNET", county=county)


def test_reason_names_the_program_and_the_rules_in_force() -> None:
    text = str(
        reason(
            "ecm.avoidable_utilization",
            "eligible",
            True,
            True,
            member("Stanislaus"),
            dt.date(2024, 6, 1),
        )
    )
    assert text.startswith(
        "Meets the statewide criteria of Individuals at risk for avoidable hospital or ED "
        "utilization on 2024-06-01."
    )
    assert "Rules in force from 2024-01-01: confirmed in a published source." in text
    assert "Live in Stanislaus County since 2022-07-01" in text
    assert "ecm.avoidable_utilization" not in text


def test_reason_for_a_program_not_yet_live_in_the_county() -> None:
    text = str(
        reason(
            "ecm.avoidable_utilization",
            "not_eligible",
            False,
            True,
            member("Stanislaus"),
            dt.date(2022, 3, 1),
        )
    )
    assert "Goes live in Stanislaus County on 2022-07-01" in text
    assert "calaim" not in text  # no command lines on screens
    assert "Does not meet the criteria of" in text


def test_reason_accepts_the_program_name_too() -> None:
    text = str(
        reason(
            "Respite Services", "eligible", True, False, member("Los Angeles"), dt.date(2024, 6, 1)
        )
    )
    assert "does not offer it in Los Angeles" in text
    assert "from DHCS guidance as recalled" in text
    assert "In effect statewide since 2022-01-01." in text
