"""Import an HSDS 3.0 directory (JSON): every problem located by its JSON path, and nothing
written unless the whole file is sound.

An organization whose id is a calaim provider updates that provider's profile (programs from
services' `calaim-program` attributes, languages, capacity, counties from locations) and its
sites; an unknown id creates the provider (ECM when it offers ECM, else Community Supports).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from calaim.exchange.hsds.export import VOCABULARY, program_registry
from calaim.ops.errors import InvalidRequest
from calaim.ops.members.languages import language_code
from calaim.ops.models import Organization, OrganizationKind, ProviderProfile
from calaim.ops.models.provider_credential import ProviderSite
from calaim.ops.providers.repository import directory_sites


class HsdsInvalid(InvalidRequest):
    """The file has problems; each is listed with its JSON path. Nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        shown = "; ".join(problems[:20]) + (
            f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        )
        super().__init__(f"{len(problems)} problem(s), nothing imported: {shown}", field="file")
        self.problems = problems


@dataclass
class Found:
    """One organization as read (checked)."""

    id: uuid.UUID
    name: str
    programs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    capacity: int = 0
    sites: list[dict[str, Any]] = field(default_factory=list)


def _text(value: Any, where: str, problems: list[str], limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: required text is missing")
        return ""
    if len(value) > limit:
        problems.append(f"{where}: longer than {limit} characters")
    return value.strip()[:limit]


def _uuid(value: Any, where: str, problems: list[str]) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a UUID (HSDS ids are UUIDs)")
        return uuid.uuid4()


def _languages(items: Any, where: str, problems: list[str]) -> list[str]:
    codes = []
    for k, item in enumerate(items or []):
        try:
            code = language_code(
                item.get("code") if isinstance(item, dict) else None, field=f"{where}[{k}].code"
            )
        except InvalidRequest as error:
            problems.append(str(error))
            continue
        if code is None:
            problems.append(f"{where}[{k}].code: required text is missing")
        elif code not in codes:
            codes.append(code)
    return codes


def _service(raw: Any, where: str, found: Found, problems: list[str]) -> None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object")
        return
    _text(raw.get("name"), f"{where}.name", problems)
    codes = [
        a.get("taxonomy_term", {}).get("code")
        for a in raw.get("attributes") or []
        if isinstance(a, dict) and a.get("taxonomy_term", {}).get("vocabulary") == VOCABULARY
    ]
    if not codes:
        problems.append(f"{where}.attributes: name the program with a {VOCABULARY} taxonomy term")
    for code in codes:
        if code not in program_registry():
            problems.append(f"{where}.attributes: {code!r} is not a program in the policy registry")
        elif code not in found.programs:
            found.programs.append(code)
    found.languages += [
        c
        for c in _languages(raw.get("languages"), f"{where}.languages", problems)
        if c not in found.languages
    ]
    for k, cap in enumerate(raw.get("capacities") or []):
        maximum = cap.get("maximum") if isinstance(cap, dict) else None
        if not isinstance(maximum, int) or isinstance(maximum, bool) or not 0 <= maximum <= 100_000:
            problems.append(f"{where}.capacities[{k}].maximum: a whole number from 0 to 100000")
        else:
            found.capacity = max(found.capacity, maximum)


def _location(raw: Any, where: str, problems: list[str]) -> dict[str, Any]:
    address = (raw.get("addresses") or [None])[0] if isinstance(raw, dict) else None
    if not isinstance(address, dict):
        problems.append(f"{where}.addresses[0]: a physical address is required")
        return {}
    a = f"{where}.addresses[0]"
    return {
        "id": _uuid(raw.get("id"), f"{where}.id", problems),
        "name": _text(raw.get("name"), f"{where}.name", problems),
        "address_line": _text(address.get("address_1"), f"{a}.address_1", problems),
        "city": _text(address.get("city"), f"{a}.city", problems, 100),
        "county": _text(address.get("region"), f"{a}.region", problems, 60),
        "zip_code": _text(address.get("postal_code"), f"{a}.postal_code", problems, 10),
        "languages": _languages(raw.get("languages"), f"{where}.languages", problems),
    }


def read(document: Any) -> list[Found]:
    """The checked organizations of an HSDS document, or `HsdsInvalid` naming every problem."""
    problems: list[str] = []
    items = document.get("organizations") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise HsdsInvalid(['$: expected a list of organizations (or {"organizations": [...]})'])
    found = []
    for i, raw in enumerate(items):
        where = f"organizations[{i}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected an object")
            continue
        org = Found(
            _uuid(raw.get("id"), f"{where}.id", problems),
            _text(raw.get("name"), f"{where}.name", problems),
        )
        for j, service in enumerate(raw.get("services") or []):
            _service(service, f"{where}.services[{j}]", org, problems)
        org.sites = [
            _location(loc, f"{where}.locations[{k}]", problems)
            for k, loc in enumerate(raw.get("locations") or [])
        ]
        found.append(org)
    if problems:
        raise HsdsInvalid(problems)
    return found


@dataclass(frozen=True)
class Imported:
    """What an import changed."""

    created: int
    updated: int
    sites: int


def apply(session: Session, organizations: list[Found]) -> Imported:
    """Write checked organizations (the caller commits; on error it rolls everything back)."""
    created = updated = 0
    existing_sites = directory_sites(session)
    for item in organizations:
        org = session.get(Organization, item.id)
        if org is not None and org.kind not in (
            OrganizationKind.ECM_PROVIDER,
            OrganizationKind.CS_PROVIDER,
        ):
            raise HsdsInvalid(
                [f"organization {item.name!r}: its id names a calaim {org.kind}, not a provider"]
            )
        if org is None:
            kind = (
                OrganizationKind.ECM_PROVIDER
                if any(p.startswith("ecm") for p in item.programs)
                else OrganizationKind.CS_PROVIDER
            )
            org = Organization(id=item.id, name=item.name, kind=kind.value, counties_served=[])
            session.add(org)
            session.flush()
            session.add(ProviderProfile(organization_id=org.id, contracted_plans=[]))
            session.flush()
            created += 1
        else:
            updated += 1
        profile = session.get(ProviderProfile, org.id) or ProviderProfile(
            organization_id=org.id, contracted_plans=[]
        )
        profile.programs_served, profile.languages, profile.capacity = (
            item.programs,
            item.languages,
            item.capacity,
        )
        session.add(profile)
        org.name = item.name
        org.counties_served = sorted(
            {s["county"] for s in item.sites} | set(org.counties_served or [])
        )
        for old in existing_sites.get(org.id, []):
            session.delete(old)
        session.flush()
        session.add_all(ProviderSite(organization_id=org.id, **site) for site in item.sites)
    session.flush()
    return Imported(created, updated, sum(len(i.sites) for i in organizations))
