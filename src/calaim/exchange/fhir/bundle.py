"""Reading Bundles: JSON text -> a validated R4B Bundle, and finding entries by type or reference.

fhir.resources validates structure and datatypes (dates, references, cardinality) but not
code values such as Task.status: the importers check those against calaim's tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from calaim.exchange.fhir.errors import FhirInputError, json_path

ACCEPTED_TYPES = ("collection", "transaction", "batch", "message", "searchset")


@dataclass(frozen=True)
class Entry:
    """One Bundle entry: its index (for error paths), fullUrl and resource."""

    index: int
    full_url: str | None
    resource: Resource

    @property
    def path(self) -> str:
        """The entry's resource as a JSON path."""
        return f"entry[{self.index}].resource"


def parse_json(text: str | bytes, source: str | None = None) -> Any:
    """JSON text, or a located error (line and column)."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = (
            f"line {error.lineno} column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else f"byte {error.start}"
        )
        raise FhirInputError(
            f"not valid JSON ({error}); send a FHIR Bundle as JSON", field=where, source=source
        ) from error


def load_bundle(data: Any, source: str | None = None) -> Bundle:
    """A validated R4B Bundle from parsed JSON, or a located error naming the first problem."""
    if not isinstance(data, dict):
        raise FhirInputError("expected a JSON object (a Bundle)", field="(root)", source=source)
    if data.get("resourceType") != "Bundle":
        raise FhirInputError(
            f"resourceType is {data.get('resourceType')!r}; send a Bundle",
            field="resourceType",
            source=source,
        )
    _check_resource_types(data, source)
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise FhirInputError(
            f"{first['msg']}; fix this element (FHIR R4)",
            field=json_path(tuple(first["loc"])),
            source=source,
        ) from error
    except (ValueError, TypeError, KeyError) as error:
        raise FhirInputError(
            f"not a FHIR R4 Bundle: {error}", field="(root)", source=source
        ) from error
    if bundle.type not in ACCEPTED_TYPES:
        raise FhirInputError(
            f"Bundle.type {bundle.type!r} is not accepted; use collection or transaction",
            field="type",
            source=source,
        )
    return bundle


def _check_resource_types(data: dict[str, Any], source: str | None) -> None:
    """Name the entry whose resourceType is unknown (the model would only say 'invalid')."""
    raw = data.get("entry")
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        kind = resource.get("resourceType")
        try:
            get_fhir_model_class(str(kind))
        except (ValueError, KeyError):
            raise FhirInputError(
                f"resourceType {kind!r} is not a FHIR R4 resource",
                field=f"entry[{index}].resource.resourceType",
                source=source,
            ) from None


def entries(bundle: Bundle) -> list[Entry]:
    """The entries that hold a resource."""
    return [
        Entry(index, entry.fullUrl, entry.resource)
        for index, entry in enumerate(bundle.entry or [])
        if entry.resource is not None
    ]


def of_type(bundle: Bundle, resource_type: str) -> list[Entry]:
    """The entries holding resources of one type."""
    return [e for e in entries(bundle) if e.resource.get_resource_type() == resource_type]


def resolve(bundle: Bundle, reference: str | None) -> Entry | None:
    """The entry a reference points to: by fullUrl, or `Type/id` (possibly absolute)."""
    if not reference:
        return None
    for entry in entries(bundle):
        if entry.full_url and entry.full_url == reference:
            return entry
        local = f"{entry.resource.get_resource_type()}/{entry.resource.id}"
        if entry.resource.id and (reference == local or reference.endswith("/" + local)):
            return entry
    return None
