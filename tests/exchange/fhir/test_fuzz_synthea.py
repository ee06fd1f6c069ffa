"""Hypothesis: damaged Synthea Bundles never crash the importer; errors are located, nothing is
written (no output folder, no scratch folder left beside it)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.importer import import_folder

from .mutate import damaged, text_damage

BUNDLES = Path(__file__).parent / "synthea" / "bundles"
FIXTURES = {path.name: json.loads(path.read_text()) for path in sorted(BUNDLES.glob("*.json"))}
FUZZ = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def run(name: str, content: bytes) -> None:
    """Import the fixtures with `name` replaced by `content`; check the all-or-nothing rule."""
    with tempfile.TemporaryDirectory() as root:
        folder, out = Path(root) / "bundles", Path(root) / "data"
        folder.mkdir()
        for other, document in FIXTURES.items():
            (folder / other).write_text(json.dumps(document))
        (folder / name).write_bytes(content)
        failure: FhirInputError | None = None
        try:
            summary = import_folder(folder, out)
        except FhirInputError as error:
            failure = error
        if failure is not None:
            assert failure.source == str(folder / name), str(failure)
            assert failure.field, str(failure)
            assert not out.exists()
            assert sorted(p.name for p in Path(root).iterdir()) == ["bundles"]
            return
        assert summary.patients >= 1
        assert (out / "eligibility.csv").is_file()
        assert (out / "medical_claim.csv").is_file()


@FUZZ
@given(data=st.data())
def test_damaged_bundles_are_located_or_imported(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(FIXTURES)))
    document: Any = data.draw(damaged(FIXTURES[name]))
    run(name, json.dumps(document).encode())


@FUZZ
@given(name=st.sampled_from(sorted(FIXTURES)), content=text_damage())
def test_damaged_text_is_located(name: str, content: bytes) -> None:
    run(name, content)
