"""Golden Bundles round-trip through the R4B models: parse, assert, dump, parse, equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["referral_export.json", "inbound_referral.json"])
def test_golden_bundle_round_trips(name: str) -> None:
    bundle = Bundle.model_validate_json((GOLDEN / name).read_text())
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry or []]
    assert {"ServiceRequest", "Task", "Patient"} <= set(kinds)
    task = next(e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "Task")
    assert task.intent == "order"
    assert task.code.coding[0].code == "fulfill"
    again = Bundle.model_validate_json(bundle.model_dump_json())
    assert again == bundle
    assert json.loads(again.model_dump_json()) == json.loads(bundle.model_dump_json())
