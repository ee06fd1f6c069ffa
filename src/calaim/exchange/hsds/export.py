"""The directory as HSDS 3.0: each provider an `organization` with its `services` (one per
program it serves, eligibility described from the policy registry, live capacity as a
`service_capacity`), its sites as `locations`, and `service_at_location` links.

Ids are calaim's organization and site ids (UUIDs, as HSDS asks); a service id is derived
from its organization and program (uuid5), so the same directory exports the same ids.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.rules import load_programs
from calaim.ops.models.provider_credential import ProviderSite
from calaim.ops.providers.repository import directory_sites
from calaim.reports.directory import Provider, providers

VOCABULARY = "calaim-program"
NAMESPACE = uuid.UUID("6f1d3c7e-8d8a-4a8e-9a55-0c6a1b8b7f10")


@cache
def program_registry() -> dict[str, tuple[str, str]]:
    """Program id → (name, eligibility in words) from the policy registry and rules."""
    root = default_policy_dir()
    programs = load_programs(root / "programs.yaml")
    return {pid: (p.name, eligibility(root / "rules" / p.rule_path)) for pid, p in programs.items()}


def eligibility(rule: Path) -> str:
    """The current rule version's top-level criteria labels, as one sentence."""
    if not rule.is_file():
        return ""
    versions = (yaml.safe_load(rule.read_text(encoding="utf-8")) or {}).get("versions") or []
    criteria = versions[-1].get("criteria", {}) if versions else {}
    for word, joiner in (("any", "; or "), ("all", "; and ")):
        parts = [c.get("label") for c in criteria.get(word, []) if isinstance(c, dict)]
        if parts and all(parts):
            return joiner.join(str(part) for part in parts).capitalize() + "."
    label = criteria.get("label")
    return f"{str(label).capitalize()}." if label else ""


def service_id(organization_id: uuid.UUID, program_id: str) -> str:
    """The stable id of a provider's service of one program."""
    return str(uuid.uuid5(NAMESPACE, f"{organization_id}:{program_id}"))


def _service(provider: Provider, program_id: str, updated: str | None) -> dict[str, Any]:
    name, description = program_registry().get(program_id, (program_id, ""))
    return {
        "id": service_id(provider.organization_id, program_id),
        "organization_id": str(provider.organization_id),
        "name": name,
        "status": "active" if provider.open_capacity > 0 else "inactive",
        "eligibility_description": description or f"Eligibility as defined for {name} by DHCS.",
        "languages": [{"code": code} for code in provider.languages],
        "attributes": [{"taxonomy_term": {"code": program_id, "vocabulary": VOCABULARY}}],
        "capacities": [
            {
                "unit": {"name": "people"},
                "available": provider.open_capacity,
                "maximum": provider.capacity,
                "updated": updated,
            }
        ],
    }


def _location(site: ProviderSite) -> dict[str, Any]:
    return {
        "id": str(site.id),
        "organization_id": str(site.organization_id),
        "location_type": "physical",
        "name": site.name,
        "addresses": [
            {
                "address_1": site.address_line,
                "city": site.city,
                "region": site.county,
                "state_province": "CA",
                "postal_code": site.zip_code,
                "country": "US",
                "address_type": "physical",
            }
        ],
        "languages": [{"code": code} for code in site.languages or []],
        "phones": [{"number": site.phone}] if site.phone else [],
    }


def organization(
    provider: Provider, sites: list[ProviderSite], updated: str | None = None
) -> dict[str, Any]:
    """One provider as an HSDS organization with its services and locations."""
    services = [_service(provider, p, updated) for p in sorted(provider.programs)]
    locations = [_location(s) for s in sites]
    for service in services:
        service["service_at_locations"] = [
            {
                "id": str(uuid.uuid5(NAMESPACE, f"{service['id']}:{loc['id']}")),
                "service_id": service["id"],
                "location_id": loc["id"],
            }
            for loc in locations
        ]
    return {
        "id": str(provider.organization_id),
        "name": provider.name,
        "description": f"{provider.name}: serves {', '.join(sorted(provider.counties))}.",
        "phones": [{"number": provider.phone}] if provider.phone else [],
        "services": services,
        "locations": locations,
    }


TABLES = {
    "organizations.csv": ["id", "name", "description"],
    "services.csv": [
        "id",
        "organization_id",
        "name",
        "status",
        "eligibility_description",
        "program",
    ],
    "locations.csv": [
        "id",
        "organization_id",
        "name",
        "address_1",
        "city",
        "region",
        "postal_code",
    ],
    "service_at_locations.csv": ["id", "service_id", "location_id"],
    "service_capacities.csv": ["service_id", "unit", "available", "maximum", "updated"],
    "languages.csv": ["service_id", "code"],
}


def _rows(organizations: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    rows: dict[str, list[list[Any]]] = {name: [] for name in TABLES}
    for org in organizations:
        rows["organizations.csv"].append([org["id"], org["name"], org["description"]])
        for loc in org["locations"]:
            a = loc["addresses"][0]
            rows["locations.csv"].append(
                [
                    loc["id"],
                    org["id"],
                    loc["name"],
                    a["address_1"],
                    a["city"],
                    a["region"],
                    a["postal_code"],
                ]
            )
        for s in org["services"]:
            program = s["attributes"][0]["taxonomy_term"]["code"]
            rows["services.csv"].append(
                [s["id"], org["id"], s["name"], s["status"], s["eligibility_description"], program]
            )
            rows["service_at_locations.csv"] += [
                [link["id"], s["id"], link["location_id"]] for link in s["service_at_locations"]
            ]
            for c in s["capacities"]:
                rows["service_capacities.csv"].append(
                    [s["id"], c["unit"]["name"], c["available"], c["maximum"], c["updated"] or ""]
                )
            rows["languages.csv"] += [[s["id"], lang["code"]] for lang in s["languages"]]
    return rows


def as_csv_zip(organizations: list[dict[str, Any]]) -> bytes:
    """HSDS tables as CSV files (one per table, with headers) in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _rows(organizations).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(TABLES[name])
            writer.writerows(rows)
            archive.writestr(name, text.getvalue())
    return out.getvalue()


def directory(session: Session) -> list[dict[str, Any]]:
    """Every provider of the directory as an HSDS organization (live capacity included)."""
    sites = directory_sites(session)
    return [
        organization(
            p,
            sites.get(p.organization_id, []),
            p.capacity_updated_at.isoformat() if p.capacity_updated_at else None,
        )
        for p in providers(session)
    ]
