"""County of residence from a Patient's address.

The rule, in order: (1) `address.district` naming a California county (name, `Name County`, or
Medi-Cal county code); (2) `address.postalCode` through calaim's California ZIP -> county
crosswalk (policy/reference/ca_zip_county.csv), else `address.city` among the places calaim's
synthetic geography knows; (3) the importer's `--county` default. The address used is the
first `home` address in use (no `period.end`), else the first address. Otherwise the Patient
has no county: a located error.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from calaim.data.columns import county_names
from calaim.data.derive import zip_counties
from calaim.data.synth.geography import COUNTIES


@cache
def known_places() -> dict[str, str]:
    """County name by lower-case city and by ZIP code (synthetic geography)."""
    places: dict[str, str] = {}
    for county in COUNTIES:
        for city, zip_code in county.places:
            places[zip_code] = county.name
            places.setdefault(city.lower(), county.name)
    return places


def county_of_name(text: str | None) -> str | None:
    """The county a name or code denotes (`Los Angeles`, `Los Angeles County`, `19`)."""
    if not text:
        return None
    key = text.strip().lower().removesuffix(" county").strip()
    return county_names().get(key)


def current_address(addresses: list[Any] | None) -> tuple[int, Any] | None:
    """(index, address): the first home address in use, else the first one."""
    listed = list(enumerate(addresses or []))
    for index, address in listed:
        ended = address.period is not None and address.period.end is not None
        if address.use in (None, "home") and not ended:
            return index, address
    return listed[0] if listed else None


def county_of(address: Any, default: str | None) -> str | None:
    """The county by the rule above (None if nothing matches)."""
    if address is not None:
        named = county_of_name(address.district)
        if named:
            return named
        places = known_places()
        postal = (address.postalCode or "").strip()[:5]
        city = (address.city or "").strip().lower()
        found = zip_counties().get(postal) or places.get(postal) or places.get(city)
        if found:
            return found
    return county_of_name(default)
