"""Standard procedure codes (the SDOHCC ServiceRequest.code binding) <-> calaim programs.

The SDOH Clinical Care IG binds ServiceRequest.code (required) to US Core Procedure Codes:
SNOMED CT procedures, CPT, HCPCS Level II, ICD-10-PCS, LOINC. calaim names programs with its
own system (codes.PROGRAM_SYSTEM). Inbound, a standard coding is mapped to a program through
the HCPCS billing table (policy/reference/billing_codes.csv: a code billing exactly one
program) or the small SNOMED CT map beside this module (sdoh_procedure_programs.csv, version
2026-12-07; each row's confidence and note say why). Outbound, each program's HCPCS code from
the billing table is sent beside calaim's program coding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from calaim.ops.billing.coding import coding_table

HCPCS = "urn:oid:2.16.840.1.113883.6.285"
HCPCS_SYSTEMS = frozenset(
    (
        HCPCS,
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    )
)
CPT = "http://www.ama-assn.org/go/cpt"
SNOMED = "http://snomed.info/sct"
PROCEDURE_SYSTEMS = HCPCS_SYSTEMS | {
    CPT,
    SNOMED,
    "http://www.cms.gov/Medicare/Coding/ICD10",  # ICD-10-PCS
    "http://loinc.org",
    "http://ada.org/cdt",
}
"""Code systems of US Core Procedure Codes (the required binding of ServiceRequest.code)."""
MAP_FILE = "exchange/fhir/sdoh_procedure_programs.csv"
# Billing rows for ECM's outreach and monthly services bill ECM.
_BILLED_AS = {"ecm.outreach": "ecm", "ecm.monthly": "ecm"}


@dataclass(frozen=True)
class ProgramCode:
    """A standard coding and the program it maps to (None: no or several programs)."""

    system: str
    code: str
    display: str | None
    program: str | None
    candidates: tuple[str, ...]

    @property
    def label(self) -> str:
        """e.g. `HCPCS H2016` or `SNOMED CT 710925007 Provision of food`."""
        name = (
            "SNOMED CT"
            if self.system == SNOMED
            else "HCPCS"
            if self.system in HCPCS_SYSTEMS
            else self.system
        )
        return f"{name} {self.code}" + (f" {self.display}" if self.display else "")


@cache
def snomed_programs() -> dict[str, str]:
    """Program by SNOMED CT procedure code."""
    text = resources.files("calaim").joinpath(MAP_FILE).read_text("utf-8")
    return {row["snomed"]: row["program"] for row in csv.DictReader(io.StringIO(text))}


@cache
def hcpcs_programs() -> dict[str, tuple[str, ...]]:
    """The programs each HCPCS code bills (several for a reused code such as H0044)."""
    found: dict[str, set[str]] = {}
    for row in coding_table():
        found.setdefault(row.code, set()).add(_BILLED_AS.get(row.service, row.service))
    return {code: tuple(sorted(programs)) for code, programs in found.items()}


def program_of(concept: Any) -> ProgramCode | None:
    """The first standard procedure coding of a CodeableConcept, with its program if known."""
    for coding in (concept.coding or []) if concept is not None else []:
        system, code = str(coding.system or ""), str(coding.code or "").strip()
        if system not in PROCEDURE_SYSTEMS or not code:
            continue
        display = str(coding.display) if coding.display else None
        if system in HCPCS_SYSTEMS or system == CPT:
            candidates = hcpcs_programs().get(code.upper(), ())
        else:
            mapped = snomed_programs().get(code) if system == SNOMED else None
            candidates = (mapped,) if mapped else ()
        program = candidates[0] if len(candidates) == 1 else None
        return ProgramCode(system, code, display, program, candidates)
    return None


def program_coding(program_id: str, on: dt.date) -> dict[str, str] | None:
    """The HCPCS coding that bills `program_id` on `on` (first row in force), if any."""
    for row in coding_table():
        if _BILLED_AS.get(row.service, row.service) == program_id and row.in_force(on):
            return {"system": HCPCS, "code": row.code}
    return None
