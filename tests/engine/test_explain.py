"""explain(): per-criterion reasons that agree with the determinations."""

from __future__ import annotations

import datetime as dt

import pytest

from calaim.engine.explain import UnknownProgramError, explain
from calaim.engine.explain_text import render_text
from calaim.engine.identify import identify
from conftest import claims, person

AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def data(write_inputs):
    return write_inputs(
        {
            "eligibility": [person("A", payer="TESTPLAN", birth_date="1960-01-01"), person("B")],
            "medical_claim": claims(
                "A", {"ed": "2024-04-01"}, {"ed": "2024-05-01"}, {"ed": "2024-01-01"}
            ),
            "housing_status": [
                {
                    "person_id": "A",
                    "observed_date": "2024-05-01",
                    "status": "unsheltered",
                    "source": "hmis",
                }
            ],
        }
    )


def test_explanation_agrees_with_every_determination(policy, data, tmp_path):
    result = identify(data, AS_OF, tmp_path / "d.csv", policy=policy)
    import duckdb

    statuses = dict(
        duckdb.execute(
            f"SELECT program_id, status FROM read_csv('{result.determinations}') "
            "WHERE person_id = 'A'"
        ).fetchall()
    )
    explained = explain(data, AS_OF, "A", policy=policy)
    assert {p.program_id: p.status for p in explained.programs} == statuses


def test_leaf_shows_count_threshold_parameter_and_claim_lines(policy, data):
    explained = explain(data, AS_OF, "A", program="ecm.test_pof", policy=policy)
    (program,) = explained.programs
    assert program.status == "eligible"
    leaf = program.criteria.children[0]
    assert leaf.kind == "leaf"
    assert leaf.passed
    assert leaf.value == 2
    assert "at least 2 ED visits in the last 3 months" in leaf.label
    assert [e["detail"] for e in leaf.evidence] == ["ED visit, claim A-0", "ED visit, claim A-1"]
    (threshold,) = [p for p in leaf.parameters if p["argument"] == "at_least"]
    assert threshold == {
        "argument": "at_least",
        "parameter": "test.ed_visits",
        "value": 2,
        "effective": "2022-01-01",
        "confidence": "recalled",
        "source": "test",
    }


def test_plan_overlay_is_shown_for_the_members_plan(policy, data):
    (program,) = explain(data, AS_OF, "A", program="cs.test_support", policy=policy).programs
    assert program.status == "eligible"
    assert program.offered is True
    assert len(program.overlays) == 1
    assert program.overlays[0].label.startswith("TESTPLAN requires")
    text = render_text(explain(data, AS_OF, "A", program="cs.test_support", policy=policy))
    assert "housing status unsheltered (source: hmis)" in text


def test_not_enrolled_and_unknown_person_are_explained(policy, data):
    before = explain(data, dt.date(2020, 1, 1), "A", policy=policy)
    assert not before.enrolled
    assert "not enrolled on 2020-01-01" in before.note
    missing = explain(data, AS_OF, "NOBODY", policy=policy)
    assert "No person 'NOBODY'" in missing.note


def test_unknown_program_is_rejected(policy, data):
    with pytest.raises(UnknownProgramError, match=r"ecm\.test_pof"):
        explain(data, AS_OF, "A", program="cs.nope", policy=policy)


def test_program_not_in_effect_gives_the_reason(policy, data):
    (program,) = explain(
        data, dt.date(2023, 6, 1), "A", program="cs.test_support", policy=policy
    ).programs
    assert program.rule_version is None
    assert "not in effect" in program.reason


def test_evidence_lists_only_the_persons_own_rows(policy, write_inputs):
    status = {"observed_date": "2024-05-01", "status": "unsheltered"}
    data = write_inputs(
        {
            "eligibility": [person("A"), person("B")],
            "housing_status": [
                {**status, "person_id": "A", "source": "mine"},
                {**status, "person_id": "B", "source": "theirs"},
            ],
            "program_enrollment": [
                {"person_id": "B", "program": "hospice", "start_date": "2024-01-01"}
            ],
        }
    )
    text = render_text(explain(data, AS_OF, "A", policy=policy))
    assert "(source: mine)" in text
    assert "theirs" not in text
    assert "enrolled in hospice from" not in text


def test_ecm_aggregate_lists_each_population_of_focus_on_one_line(policy, data):
    text = render_text(explain(data, AS_OF, "A", program="ecm", policy=policy))
    assert "✓ Test population of focus" in text
    assert "ecm.test_pof" not in text  # names, never ids
    assert "ED visit, claim" not in text  # details stay with the PoF itself
