"""The fast cell-means fits equal statsmodels' clustered WLS; bad requests name the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from calaim.data.synth.planted import DEFAULT, load_scenario
from calaim.reports.evaluation.did import did_all, event_study
from calaim.reports.evaluation.spec import EvaluationError, EvaluationSpec


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for unit in range(300):
        treated = unit < 100
        person = f"P{unit % 250}"  # some controls reused, as matching with replacement does
        weight = 1.0 if treated else rng.choice([0.5, 1.0])
        level = rng.gamma(1.0, 0.2)
        for rel in range(-6, 6):
            effect = -0.1 if treated and rel >= 0 else 0.0
            y = rng.poisson(max(level + effect, 0.01))
            rows.append((unit, person, treated, weight, rel, float(y)))
    frame = pd.DataFrame(rows, columns=["unit", "person_id", "treated", "weight", "rel", "y"])
    frame["post"] = (frame["rel"] >= 0).astype(float)
    return frame


def test_fast_did_equals_statsmodels(panel: pd.DataFrame) -> None:
    slow = did_all(panel, ["y"])[0]
    fast = did_all(panel, ["y"], fast=True)[0]
    for field in ("estimate", "se", "ci_low", "ci_high", "p_value"):
        assert getattr(fast, field) == pytest.approx(getattr(slow, field), rel=1e-9), field


def test_event_study_equals_statsmodels_with_month_dummies(panel: pd.DataFrame) -> None:
    study = event_study(panel, "y")
    rels = [r for r in range(-6, 6) if r != -1]
    t = panel["treated"].to_numpy(dtype=float)
    months = np.column_stack([(panel["rel"] == r).to_numpy(dtype=float) for r in rels])
    x = np.column_stack([np.ones_like(t), t, months, months * t[:, None]])
    groups = pd.factorize(panel["person_id"])[0]
    res = sm.WLS(panel["y"].to_numpy(), x, weights=panel["weight"].to_numpy()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    ci = np.asarray(res.conf_int(0.05))[2 + len(rels) :]
    table = study.table.set_index("rel")
    for i, r in enumerate(rels):
        assert table.loc[r, "estimate"] == pytest.approx(res.params[2 + len(rels) + i], abs=1e-12)
        assert table.loc[r, "ci_low"] == pytest.approx(ci[i, 0], rel=1e-9)
    assert 0 <= study.pretrend_p <= 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": dt.date(2025, 1, 1)}, "--start"),
        ({"pre_months": 5}, "--pre-months"),
        ({"post_months": 13}, "--post-months"),
        ({"as_of": dt.date(2025, 11, 29)}, "--as-of"),
        ({"neighbours": 0}, "--neighbours"),
    ],
)
def test_a_bad_request_names_its_field(change: dict[str, object], field: str) -> None:
    base = {
        "program_id": "ecm",
        "start": dt.date(2024, 1, 1),
        "end": dt.date(2024, 12, 31),
        "as_of": dt.date(2025, 12, 31),
    }
    spec = EvaluationSpec(**{**base, **change})  # type: ignore[arg-type]
    with pytest.raises(EvaluationError, match=field):
        spec.check()


def test_the_last_follow_up_day_is_enough() -> None:
    spec = EvaluationSpec("ecm", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 12, 31))
    spec.check()
    # Starting in December 2024, the 12th month of follow-up is November 2025.
    assert spec.last_month_end == dt.date(2025, 11, 30)


def test_scenario_file_round_trip_and_errors(tmp_path: Path) -> None:
    assert load_scenario("default") is DEFAULT
    good = tmp_path / "good.yaml"
    good.write_text(
        "uptake: {ecm: 0.05}\neffects:\n  - {service: ecm, outcome: ed, reduction: 0.3,"
        " groups: {county: [Fresno]}}\n"
    )
    scenario = load_scenario(good)
    assert scenario.uptake == {"ecm": 0.05}
    assert scenario.effects[0].groups == {"county": ("Fresno",)}
    bad = tmp_path / "bad.yaml"
    bad.write_text("effects:\n  - {service: ecm, outcome: deaths, reduction: 0.3}\n")
    with pytest.raises(ValueError, match="outcome is inpatient or ed"):
        load_scenario(bad)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("uptake: {yoga: 0.1}\n")
    with pytest.raises(ValueError, match="unknown service 'yoga'"):
        load_scenario(unknown)


def test_the_fingerprint_reads_tables_given_as_folders_of_parts(tmp_path: Path) -> None:
    from calaim.reports.evaluation.run import input_fingerprint

    (tmp_path / "eligibility.csv").write_text("person_id\nA\n")
    parts = tmp_path / "medical_claim"
    parts.mkdir()
    (parts / "part-0.parquet").write_bytes(b"one")
    (tmp_path / "notes.txt").write_text("not a table")
    first = input_fingerprint(tmp_path)
    (parts / "part-1.parquet").write_bytes(b"two")
    second = input_fingerprint(tmp_path)
    assert second != first
    (parts / "part-1.parquet").write_bytes(b"TWO")
    assert input_fingerprint(tmp_path) != second
    third = input_fingerprint(tmp_path)
    (tmp_path / "notes.txt").write_text("changed")  # not a table: not counted
    assert input_fingerprint(tmp_path) == third
