"""SNOMED CT -> ICD-10-CM for the Conditions Synthea writes (snomed_icd10cm.csv beside this).

Version 2026-12-07. Only concepts whose ICD-10-CM code falls in a value set calaim's rules
cite are listed (tests check each target against the value sets): the engine reads ICD-10-CM,
and a SNOMED CT code outside this map stays unmapped, counted by code in the import summary.
Source: the default target of the NLM SNOMED CT to ICD-10-CM Map (US Edition) for each
concept, as recalled (`confidence: recalled`; the map itself needs a UMLS licence to
download, so it is not read here). Verify against the map before relying on a row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

SNOMED_SYSTEM = "http://snomed.info/sct"
MAP_FILE = "exchange/fhir/synthea/snomed_icd10cm.csv"
MAP_VERSION = "2026-12-07"


@dataclass(frozen=True)
class MapRow:
    """One mapped concept."""

    snomed: str
    snomed_display: str
    icd10cm: str
    """ICD-10-CM without the dot, as the contract writes it."""
    confidence: str


@cache
def snomed_map() -> dict[str, MapRow]:
    """The map, by SNOMED CT concept id."""
    text = resources.files("calaim").joinpath(MAP_FILE).read_text("utf-8")
    return {
        row["snomed"]: MapRow(
            row["snomed"],
            row["snomed_display"],
            row["icd10cm"].replace(".", "").upper(),
            row["confidence"],
        )
        for row in csv.DictReader(io.StringIO(text))
    }


def to_icd10cm(code: str) -> str | None:
    """The ICD-10-CM code (no dot) of a SNOMED CT concept, if mapped."""
    row = snomed_map().get(code)
    return row.icd10cm if row else None
