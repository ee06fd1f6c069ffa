"""Explanations a care manager can read, on the shipped policy: program names, plain words,
criteria that cannot be checked, go-live in the member's county, the rule version's
confidence, and the one-page packet (text and HTML)."""

from __future__ import annotations

import datetime as dt
import html
from html.parser import HTMLParser

import pytest

from calaim.engine.explain import explain
from calaim.engine.explain_packet import packet_html, packet_text
from calaim.engine.explain_text import render_text
from calaim.engine.loading.policy import Policy
from conftest import claims, person

AS_OF = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return Policy.load()


def homeless_adult(write_inputs, **extra):
    tables = {
        "eligibility": [person("P1", payer="LACARE")],
        "medical_claim": claims("P1", {"inpatient": "2024-03-01", "discharge": "2024-03-05"}),
        "housing_status": [
            {"person_id": "P1", "observed_date": "2024-05-01", "status": "sheltered"}
        ],
        "member_fact": [
            {
                "person_id": "P1",
                "observed_date": "2024-05-01",
                "fact": "complex_health_need",
                "value": "true",
            }
        ],
    }
    tables.update(extra)
    return write_inputs(tables)


def test_household_test_shows_as_not_checked_without_household_data(shipped, write_inputs):
    data = homeless_adult(write_inputs)
    (program,) = explain(
        data, AS_OF, "P1", program="ecm.homeless_family_youth", policy=shipped
    ).programs
    assert program.status == "not_eligible"
    text = render_text(
        explain(data, AS_OF, "P1", program="ecm.homeless_family_youth", policy=shipped)
    )
    assert "? lives with their children (under 21)" in text
    assert "not checked: no household data recorded for this member" in text


def test_household_record_is_checked_when_present(shipped, write_inputs):
    fact = {"person_id": "P1", "observed_date": "2024-05-01"}
    data = homeless_adult(
        write_inputs,
        member_fact=[
            {**fact, "fact": "complex_health_need", "value": "true"},
            {**fact, "fact": "lives_with_dependent_children", "value": "true"},
        ],
    )
    result = explain(data, AS_OF, "P1", program="ecm.homeless_family_youth", policy=shipped)
    assert result.programs[0].status == "eligible"
    text = render_text(result)
    assert "✓ lives with their children (under 21)" in text
    assert "no household data" not in text


def test_a_missing_table_is_named_in_plain_words(shipped, write_inputs):
    data = write_inputs(
        {
            "eligibility": [person("P1", payer="LACARE")],
            "medical_claim": claims("P1", {"ed": "2024-05-20"}),
        }
    )
    text = render_text(explain(data, AS_OF, "P1", program="cs.respite", policy=shipped))
    assert "not checked: no screening or assessment data in the data provided" in text


def test_program_names_and_plain_settings_never_ids(shipped, write_inputs):
    data = homeless_adult(write_inputs)
    text = render_text(explain(data, AS_OF, "P1", policy=shipped))
    assert "Housing Transition Navigation Services: " in text
    assert "cs.housing_transition_navigation" not in text
    assert "ecm.homeless_adult" not in text
    assert "acute_hospital stay" not in text
    assert "an acute hospital stay 2024-03-01 to 2024-03-05, claim P1-0" in text


def test_rule_confidence_and_go_live_in_the_members_county(shipped, write_inputs):
    data = write_inputs(
        {
            "eligibility": [person("P1", county="Stanislaus")],
            "medical_claim": claims("P1", *({"ed": f"2022-0{m}-10"} for m in range(1, 6))),
        }
    )
    before = explain(
        data, dt.date(2022, 6, 30), "P1", program="ecm.avoidable_utilization", policy=shipped
    )
    (program,) = before.programs
    # Stanislaus is not a Whole Person Care county: PoF 2 went live there in July 2022.
    assert program.status == "not_eligible"
    assert program.go_live == (
        "Goes live in Stanislaus County on 2022-07-01 (counties went live at different times)."
    )
    assert program.confidence == "recalled"
    after = explain(
        data, dt.date(2022, 7, 1), "P1", program="ecm.avoidable_utilization", policy=shipped
    )
    assert after.programs[0].status == "eligible"
    assert after.programs[0].confidence == "verified"
    assert after.programs[0].go_live == (
        "Live in Stanislaus County since 2022-07-01 (counties went live at different times)."
    )
    text = render_text(after)
    assert "rules in force from 2022-07-01, confirmed in a published source" in text


def test_ed_visits_are_shown_with_and_without_urgent_care_revenue_0456(shipped, write_inputs):
    ed = [{"ed": f"2024-0{m}-10"} for m in range(1, 5)]
    urgent = {
        "claim_type": "institutional",
        "claim_start_date": "2024-05-10",
        "revenue_center_code": "0456",
        "bill_type_code": "131",
    }
    data = write_inputs({"eligibility": [person("P1")], "medical_claim": claims("P1", *ed, urgent)})
    result = explain(data, AS_OF, "P1", program="ecm.avoidable_utilization", policy=shipped)
    assert result.programs[0].status == "not_eligible"
    text = render_text(result)
    assert (
        "4 ED visits without urgent-care visits billed as revenue code 0456, 5 with them "
        "(not counted here)" in text
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_one_page_packet_in_text_and_html(shipped, write_inputs):
    data = homeless_adult(write_inputs)
    result = explain(data, AS_OF, "P1", program="ecm.homeless_adult", policy=shipped)
    text = packet_text(result)
    assert (
        "Adults without dependent children/youth living with them experiencing homelessness" in text
    )
    assert "Outcome: Eligible" in text
    assert "Rules in force from 2024-01-01; confirmed in a published source." in text
    assert "In effect statewide" not in text  # 1a went live by county in 2022
    assert "Live in Los Angeles County since 2022-01-01" in text
    assert "✓ meets the DHCS homelessness definition" in text
    assert "Not checked (no data on file):" in text
    assert "No household data recorded for this member: lives with their children" in text
    assert "Sources: L.A. Care, ECM eligibility" in text
    assert "ecm.homeless_adult" not in text
    assert "calaim explain" not in text  # no command lines for people
    page = packet_html(result)
    parser = _Text()
    parser.feed(page)
    shown = " ".join(" ".join(parser.parts).split())
    assert "Outcome" not in shown or "Eligible" in shown
    assert "Eligible" in shown
    assert "No household data recorded for this member" in shown
    assert {"html", "h1", "h2", "li", "footer"} <= set(parser.tags)
    assert "ecm.homeless_adult" not in page


def test_packet_html_escapes_what_it_shows(shipped, write_inputs):
    data = homeless_adult(
        write_inputs,
        housing_status=[
            {
                "person_id": "P1",
                "observed_date": "2024-05-01",
                "status": "sheltered",
                "source": "<script>alert(1)</script>",
            }
        ],
    )
    result = explain(data, AS_OF, "P1", program="ecm.homeless_adult", policy=shipped)
    page = packet_html(result)
    assert "<script>" not in page
    assert html.escape("<script>alert(1)</script>") in page


def test_packet_for_every_program_is_a_summary(shipped, write_inputs):
    data = homeless_adult(write_inputs)
    text = packet_text(explain(data, AS_OF, "P1", policy=shipped))
    assert "Programs (explain one program for the criteria behind it):" in text
    assert "  Housing Deposits: " in text
    assert "Why:" not in text
