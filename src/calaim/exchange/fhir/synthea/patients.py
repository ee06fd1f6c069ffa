"""Patient -> the person columns of `eligibility` (demographics, contact, county)."""

from __future__ import annotations

from typing import Any

from calaim.exchange.fhir.bundle import Entry
from calaim.exchange.fhir.codes import CIN_SYSTEM
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.county import county_of, current_address
from calaim.exchange.fhir.synthea.values import as_date, iso, resource_key

RACE_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
ETHNICITY_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
RACES = {
    "1002-5": "american indian or alaska native",
    "2028-9": "asian",
    "2054-5": "black or african american",
    "2076-8": "native hawaiian or other pacific islander",
    "2106-3": "white",
    "2131-1": "other race",
}
ETHNICITIES = {"2135-2": "hispanic or latino", "2186-5": "not hispanic or latino"}


def person_row(entry: Entry, default_county: str | None) -> dict[str, str]:
    """The person columns of every eligibility span of this Patient."""
    patient: Any = entry.resource
    birth = as_date(patient.birthDate)
    if birth is None:
        raise FhirInputError(
            "the Patient has no birthDate; calaim needs it to place members by age",
            field=f"{entry.path}.birthDate",
        )
    located = current_address(patient.address)
    address = located[1] if located else None
    county = county_of(address, default_county)
    if county is None:
        where = f"{entry.path}.address[{located[0]}]" if located else f"{entry.path}.address"
        raise FhirInputError(
            "no California county: give address.district (county name or code), a known "
            "postalCode, or pass --county",
            field=where,
        )
    return {
        "person_id": resource_key(entry.full_url, patient.id),
        "member_id": _cin(patient) or "",
        "birth_date": iso(birth),
        "death_date": iso(as_date(patient.deceasedDateTime)),
        "gender": patient.gender or "",
        "race": _category(patient, RACE_URL, RACES),
        "ethnicity": _category(patient, ETHNICITY_URL, ETHNICITIES),
        "county": county,
        "language": _language(patient),
        **_name(patient),
        **_contact(patient, address),
    }


def _cin(patient: Any) -> str | None:
    """The Medi-Cal CIN among the Patient's identifiers."""
    for identifier in patient.identifier or []:
        if identifier.system == CIN_SYSTEM and identifier.value:
            return str(identifier.value)
    return None


def _category(patient: Any, url: str, names: dict[str, str]) -> str:
    """The OMB category of a US Core race or ethnicity extension ('' if absent)."""
    for extension in patient.extension or []:
        if extension.url != url:
            continue
        for part in extension.extension or []:
            coding = part.valueCoding
            if part.url == "ombCategory" and coding is not None and coding.code in names:
                return names[str(coding.code)]
        return "unknown"
    return ""


def _language(patient: Any) -> str:
    """The preferred (else first) communication language, as ISO 639-1 (`en-US` -> `en`)."""
    spoken = patient.communication or []
    chosen = next((c for c in spoken if c.preferred), spoken[0] if spoken else None)
    if chosen is None or chosen.language is None:
        return ""
    for coding in chosen.language.coding or []:
        if coding.code:
            return str(coding.code).split("-")[0].lower()
    return str(chosen.language.text or "")


def _name(patient: Any) -> dict[str, str]:
    """First and last name of the official (else first) name."""
    names = patient.name or []
    name = next((n for n in names if n.use == "official"), names[0] if names else None)
    given = (name.given or []) if name else []
    return {
        "first_name": str(given[0]) if given else "",
        "last_name": str(name.family or "") if name else "",
    }


def _contact(patient: Any, address: Any) -> dict[str, str]:
    """Street address, city, state, ZIP, phone and email."""
    telecom = patient.telecom or []
    phone = next((t.value for t in telecom if t.system == "phone" and t.value), "")
    email = next((t.value for t in telecom if t.system == "email" and t.value), "")
    lines = (address.line or []) if address is not None else []
    return {
        "address": ", ".join(str(line) for line in lines),
        "city": str(address.city or "") if address is not None else "",
        "state": str(address.state or "") if address is not None else "",
        "zip_code": str(address.postalCode or "") if address is not None else "",
        "phone": str(phone),
        "email": str(email),
    }
