"""Small readers of FHIR values: dates, codes, references and money, as the tables need them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

ICD10_SYSTEMS = frozenset(("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10"))
HCPCS_SYSTEMS = frozenset(
    (
        "http://www.ama-assn.org/go/cpt",
        "urn:oid:2.16.840.1.113883.6.285",
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    )
)


def as_date(value: object) -> dt.date | None:
    """The calendar date of a FHIR date or dateTime (as written, in its own offset)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def iso(value: dt.date | None) -> str:
    """A date as the contract writes it (empty = null)."""
    return value.isoformat() if value else ""


def period_dates(period: Any) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) dates of a Period, or (None, None)."""
    if period is None:
        return None, None
    return as_date(period.start), as_date(period.end)


def codes(concept: Any, systems: frozenset[str] | None = None) -> list[str]:
    """The codes of a CodeableConcept (only those of `systems`, if given)."""
    if concept is None:
        return []
    return [
        str(coding.code)
        for coding in concept.coding or []
        if coding.code and (systems is None or coding.system in systems)
    ]


def icd10(concept: Any) -> str | None:
    """The first ICD-10-CM code of a concept, without the dot (`E11.9` -> `E119`)."""
    found = codes(concept, ICD10_SYSTEMS)
    return found[0].replace(".", "").strip().upper() if found else None


def money(value: Any) -> Decimal | None:
    """A Money's value as Decimal (never float)."""
    if value is None or value.value is None:
        return None
    return Decimal(str(value.value))


def resource_key(full_url: str | None, resource_id: str | None) -> str:
    """A stable key for a resource: its id, else its fullUrl without `urn:uuid:`."""
    if resource_id:
        return str(resource_id)
    if full_url:
        return full_url.removeprefix("urn:uuid:").rsplit("/", 1)[-1]
    return ""
