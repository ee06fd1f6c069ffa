"""Resolving references inside one Bundle, with a located error when one points nowhere."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry, resolve
from calaim.exchange.fhir.errors import FhirInputError


def target(bundle: Bundle, reference: Any, path: str, kinds: tuple[str, ...]) -> Entry | None:
    """The entry a Reference points to (None if the Reference is absent or only a display).

    A reference to something outside the Bundle, or to the wrong resource type, is an error
    at `path` (Synthea Bundles are self-contained: every reference is a `urn:uuid:` entry).
    """
    if reference is None or not reference.reference:
        return None
    found = resolve(bundle, reference.reference)
    if found is None:
        raise FhirInputError(
            f"reference {reference.reference!r} points to no entry of this Bundle; "
            "include the resource (urn:uuid fullUrl) or remove the reference",
            field=f"{path}.reference",
        )
    kind = found.resource.get_resource_type()
    if kind not in kinds:
        raise FhirInputError(
            f"reference {reference.reference!r} is a {kind}; expected {' or '.join(kinds)}",
            field=f"{path}.reference",
        )
    return found
