"""identify(): the contract's determinations and evidence, on the fixture policy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from calaim.data.errors import ContractError
from calaim.engine.identify import OutputPathError, identify
from conftest import claims, person

CONTRACT_COLUMNS = [
    "person_id",
    "program_id",
    "as_of",
    "payer",
    "county",
    "eligible",
    "offered",
    "status",
    "rule_version",
    "policy_hash",
]
AS_OF = dt.date(2024, 6, 1)
ED_TWICE = ({"ed": "2024-04-01"}, {"ed": "2024-05-01"})


def rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Determinations keyed by (person, program), all values as text."""
    cursor = duckdb.execute(f"SELECT * FROM read_csv('{path}', all_varchar=true)")
    names = [d[0] for d in cursor.description]
    found = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return {(r["person_id"], r["program_id"]): r for r in found}


def test_one_row_per_enrolled_person_and_program_with_contract_columns(
    policy, write_inputs, tmp_path
):
    data = write_inputs(
        {
            "eligibility": [
                person("A"),
                person("B"),
                person("GONE", enrollment_end_date="2024-05-31"),
                person("DEAD", death_date="2024-05-01"),
            ],
        }
    )
    out = tmp_path / "out" / "det.csv"
    result = identify(data, AS_OF, out, policy=policy)
    header = out.read_text().splitlines()[0].split(",")
    assert header == CONTRACT_COLUMNS
    found = rows(out)
    assert {p for p, _ in found} == {"A", "B"}
    assert {prog for _, prog in found} == {"ecm.test_pof", "ecm", "cs.test_support"}
    assert result.rows == 6
    assert result.members == 2
    assert {r["as_of"] for r in found.values()} == {"2024-06-01"}
    assert {r["policy_hash"] for r in found.values()} == {result.policy_hash}


def test_eligible_excluded_and_rule_version(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [person("A"), person("H"), person("N")],
            "medical_claim": claims("A", *ED_TWICE)
            + claims("H", *ED_TWICE)
            + claims("N", ED_TWICE[0]),
            "program_enrollment": [
                {"person_id": "H", "program": "hospice", "start_date": "2024-01-01"}
            ],
        }
    )
    found = rows(identify(data, AS_OF, tmp_path / "d.csv", policy=policy).determinations)
    assert found[("A", "ecm.test_pof")]["status"] == "eligible"
    assert found[("A", "ecm")]["eligible"] == "true"
    assert found[("H", "ecm.test_pof")]["status"] == "excluded"
    assert found[("H", "ecm")]["eligible"] == "false"
    assert found[("N", "ecm")]["status"] == "not_eligible"
    assert found[("A", "ecm")]["rule_version"] == "2022-01-01"


def test_compact_layout_keeps_the_long_rows_that_are_not_not_eligible(
    policy, write_inputs, tmp_path
):
    data = write_inputs(
        {
            "eligibility": [person("A"), person("H"), person("N")],
            "medical_claim": claims("A", *ED_TWICE)
            + claims("H", *ED_TWICE)
            + claims("N", ED_TWICE[0]),
            "program_enrollment": [
                {"person_id": "H", "program": "hospice", "start_date": "2024-01-01"}
            ],
        }
    )
    long = identify(data, AS_OF, tmp_path / "long.csv", policy=policy)
    compact = identify(data, AS_OF, tmp_path / "compact.csv", policy=policy, layout="compact")
    every, kept = rows(long.determinations), rows(compact.determinations)
    assert kept == {key: row for key, row in every.items() if row["status"] != "not_eligible"}
    assert ("A", "ecm") in kept
    assert ("H", "ecm.test_pof") in kept  # excluded is kept
    assert ("N", "ecm") not in kept
    assert compact.rows == len(kept) < long.rows
    assert compact.members == long.members
    dictionary = json.loads(compact.dictionary.read_text())
    assert dictionary["determinations_layout"] == "compact"
    assert compact.summary == long.summary
    with pytest.raises(OutputPathError, match="layout"):
        identify(data, AS_OF, tmp_path / "x.csv", policy=policy, layout="wide")


def test_dated_parameter_changes_the_threshold(policy, write_inputs, tmp_path):
    # test.ed_visits is 2 until 2024-06-30 and 3 from 2024-07-01.
    data = write_inputs(
        {
            "eligibility": [person("A")],
            "medical_claim": claims("A", {"ed": "2024-06-01"}, {"ed": "2024-06-20"}),
        }
    )
    before = rows(
        identify(data, dt.date(2024, 6, 30), tmp_path / "a.csv", policy=policy).determinations
    )
    after = rows(
        identify(data, dt.date(2024, 7, 1), tmp_path / "b.csv", policy=policy).determinations
    )
    assert before[("A", "ecm.test_pof")]["status"] == "eligible"
    assert after[("A", "ecm.test_pof")]["status"] == "not_eligible"


def test_offered_not_offered_overlay_and_unconfigured_payer(policy, write_inputs, tmp_path):
    homeless = {"observed_date": "2024-05-01", "status": "unsheltered"}
    data = write_inputs(
        {
            "eligibility": [
                person("OLD", payer="TESTPLAN", birth_date="1960-01-01"),
                person("YOUNG", payer="TESTPLAN", birth_date="1990-01-01"),
                person("SAC", payer="TESTPLAN", county="Sacramento", birth_date="1960-01-01"),
                person("STATE", payer="OTHERPLAN", birth_date="1990-01-01"),
            ],
            "housing_status": [
                {**homeless, "person_id": p} for p in ("OLD", "YOUNG", "SAC", "STATE")
            ],
        }
    )
    found = rows(identify(data, AS_OF, tmp_path / "d.csv", policy=policy).determinations)
    assert found[("OLD", "cs.test_support")]["status"] == "eligible"
    assert found[("OLD", "cs.test_support")]["offered"] == "true"
    # The plan's overlay (50 or over, Los Angeles only) narrows the criteria.
    assert found[("YOUNG", "cs.test_support")]["status"] == "not_eligible"
    # Sacramento: the overlay does not apply there, but the plan does not offer the service.
    assert found[("SAC", "cs.test_support")]["status"] == "not_offered"
    assert found[("SAC", "cs.test_support")]["eligible"] == "true"
    # A payer with no configuration: statewide rules, offered left empty.
    assert found[("STATE", "cs.test_support")]["status"] == "eligible"
    assert found[("STATE", "cs.test_support")]["offered"] is None
    assert found[("STATE", "ecm")]["offered"] is None
    assert found[("OLD", "ecm")]["offered"] == "true"


def test_program_not_in_effect_is_not_eligible_for_everyone(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [person("A")],
            "housing_status": [
                {"person_id": "A", "observed_date": "2023-11-01", "status": "sheltered"}
            ],
        }
    )
    found = rows(
        identify(data, dt.date(2023, 12, 31), tmp_path / "d.csv", policy=policy).determinations
    )
    assert found[("A", "cs.test_support")]["status"] == "not_eligible"
    assert found[("A", "cs.test_support")]["rule_version"] is None
    later = rows(
        identify(data, dt.date(2024, 1, 1), tmp_path / "e.csv", policy=policy).determinations
    )
    assert later[("A", "cs.test_support")]["status"] == "eligible"


def test_value_set_exclusion_rows_carve_codes_out(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [person("Z0"), person("Z01")],
            "medical_claim": claims("Z0", {"dx": "Z5900", "date": "2024-05-01"})
            + claims("Z01", {"dx": "Z59.01", "date": "2024-05-01"}),
        }
    )
    found = rows(identify(data, AS_OF, tmp_path / "d.csv", policy=policy).determinations)
    assert found[("Z0", "cs.test_support")]["status"] == "eligible"
    assert found[("Z01", "cs.test_support")]["status"] == "not_eligible"


def test_once_per_lifetime_limit_excludes(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [person("U")],
            "housing_status": [
                {"person_id": "U", "observed_date": "2024-05-01", "status": "unsheltered"}
            ],
            "medical_claim": claims(
                "U", {"service": "H0044", "modifier": "u2", "date": "2024-02-01"}
            ),
        }
    )
    before = rows(
        identify(data, dt.date(2024, 1, 31), tmp_path / "a.csv", policy=policy).determinations
    )
    after = rows(identify(data, AS_OF, tmp_path / "b.csv", policy=policy).determinations)
    assert before[("U", "cs.test_support")]["status"] == "not_eligible"  # not homeless yet
    assert after[("U", "cs.test_support")]["status"] == "excluded"


def test_evidence_and_dictionary_describe_every_column(policy, write_inputs, tmp_path):
    data = write_inputs({"eligibility": [person("A")], "medical_claim": claims("A", *ED_TWICE)})
    result = identify(data, AS_OF, tmp_path / "d.parquet", policy=policy)
    evidence = duckdb.execute(f"SELECT * FROM read_parquet('{result.evidence}')")
    columns = [d[0] for d in evidence.description]
    record = dict(zip(columns, evidence.fetchall()[0], strict=True))
    dictionary = json.loads(result.dictionary.read_text())
    assert dictionary["policy_hash"] == result.policy_hash
    described = set(dictionary["evidence_columns"])
    assert set(columns) - {"person_id", "payer", "county", "offers"} <= described
    ed_key = next(
        k for k, v in dictionary["evidence_columns"].items() if v.get("feature") == "ed_visits"
    )
    assert record[ed_key] == 2
    assert record[f"{ed_key}__met"] is True
    assert (
        dictionary["evidence_columns"][ed_key]["args"]["at_least"]["parameter"] == "test.ed_visits"
    )


def test_bad_input_writes_nothing(policy, write_inputs, tmp_path):
    data = write_inputs({"eligibility": [person("A", birth_date="1980-13-01")]})
    out = tmp_path / "out" / "d.csv"
    with pytest.raises(ContractError) as caught:
        identify(data, AS_OF, out, policy=policy)
    assert caught.value.problems[0].column == "birth_date"
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_output_must_be_csv_or_parquet(policy, write_inputs, tmp_path):
    data = write_inputs({"eligibility": [person("A")]})
    with pytest.raises(OutputPathError, match=r"\.csv or \.parquet"):
        identify(data, AS_OF, tmp_path / "d.xlsx", policy=policy)


def test_same_inputs_same_bytes(policy, write_inputs, tmp_path):
    data = write_inputs(
        {"eligibility": [person(p) for p in "CBA"], "medical_claim": claims("B", *ED_TWICE)}
    )
    first = identify(data, AS_OF, tmp_path / "1.csv", policy=policy).determinations.read_bytes()
    second = identify(data, AS_OF, tmp_path / "2.csv", policy=policy).determinations.read_bytes()
    assert first == second
    assert [line.split(",")[0] for line in first.decode().splitlines()[1:4]] == ["A", "A", "A"]


def test_short_prefixes_in_value_sets_match(write_inputs, tmp_path):
    # Regression: a 2-character prefix (like O0 for pregnancy) must not be pre-filtered away.
    import shutil

    from calaim.engine.loading.policy import Policy
    from conftest import FIXTURE_POLICY

    root = tmp_path / "policy"
    shutil.copytree(FIXTURE_POLICY, root)
    with (root / "value_sets" / "homeless_z.csv").open("a") as handle:
        handle.write("Z9,Short prefix for the test,prefix,true,,\n")
    policy = Policy.load(root)
    data = write_inputs(
        {
            "eligibility": [person("S"), person("N")],
            "medical_claim": claims("S", {"dx": "Z992", "date": "2024-05-01"})
            + claims("N", {"dx": "Y992", "date": "2024-05-01"}),
        }
    )
    found = rows(identify(data, AS_OF, tmp_path / "d.csv", policy=policy).determinations)
    assert found[("S", "cs.test_support")]["status"] == "eligible"
    assert found[("N", "cs.test_support")]["status"] == "not_eligible"
