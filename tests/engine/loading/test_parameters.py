"""Dated parameters: effective dates, null ends, and errors that name the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.parameters import load_parameters

GOOD = """
cap:
  description: a dollar cap
  unit: usd
  confidence: recalled
  note: not confirmed
  reference: [{title: source}]
  values:
    2022-01-01: "7500.00"
    2024-01-01: "8000.00"
    2025-01-01: null
"""


def write(tmp_path, text, name="topic.yaml"):
    folder = tmp_path / "parameters"
    (folder / "area").mkdir(parents=True, exist_ok=True)
    (folder / "area" / name).write_text(text)
    return folder


def test_value_in_force_on_each_side_of_every_date(tmp_path):
    cap = load_parameters(write(tmp_path, GOOD))["area.topic.cap"]
    assert cap.value_at(dt.date(2021, 12, 31)) is None
    assert cap.value_at(dt.date(2022, 1, 1)) == (dt.date(2022, 1, 1), Decimal("7500.00"))
    assert cap.value_at(dt.date(2023, 12, 31))[1] == Decimal("7500.00")
    assert cap.value_at(dt.date(2024, 1, 1))[1] == Decimal("8000.00")
    assert cap.value_at(dt.date(2025, 1, 1)) is None  # null ends the parameter


def test_money_is_decimal(tmp_path):
    value = load_parameters(write(tmp_path, GOOD))["area.topic.cap"].values[0][1]
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("reference: [{title: source}]", ""), "'reference' is required"),
        (("unit: usd", "unit: dollars"), "unit 'dollars'"),
        (("confidence: recalled", "confidence: maybe"), "confidence must be one of"),
        (("2024-01-01", "2021-01-01"), "ascending"),
        (('2022-01-01: "7500.00"', "2022-13-01: 1"), "YYYY-MM-DD"),
        (("  note: not confirmed", "  colour: red"), "unexpected keys"),
    ],
)
def test_bad_parameter_files_name_the_file_and_field(tmp_path, change, message):
    folder = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(PolicyError, match=message) as caught:
        load_parameters(folder)
    assert "topic.yaml" in str(caught.value)


def test_count_must_be_a_number(tmp_path):
    text = GOOD.replace("unit: usd", "unit: count").replace('"7500.00"', "five")
    with pytest.raises(PolicyError, match="not a number"):
        load_parameters(write(tmp_path, text))
