"""Hypothesis strategies that damage a valid FHIR JSON document in small, targeted ways."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "2025-13-40", "urn:uuid:nowhere", "Patient", "EMER", "Encounter/x"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
RESOURCE_TYPES = st.sampled_from(
    ["Patient", "Claim", "Task", "Bundle", "Observation", "NotAType", "Coverage", "Encounter", ""]
)


def paths(document: Any, prefix: Path = ()) -> list[Path]:
    """Every path to a value inside `document` (not the root)."""
    found: list[Path] = []
    items: list[tuple[str | int, Any]] = (
        list(document.items())
        if isinstance(document, dict)
        else list(enumerate(document))
        if isinstance(document, list)
        else []
    )
    for key, value in items:
        found.append((*prefix, key))
        found.extend(paths(value, (*prefix, key)))
    return found


def apply(document: Any, path: Path, action: str, value: Any) -> Any:
    """A copy of `document` with the value at `path` deleted or replaced."""
    result = copy.deepcopy(document)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    else:
        parent[last] = value
    return result


@st.composite
def damaged(draw: st.DrawFn, document: Any) -> Any:
    """`document` with one to three deletions or replacements anywhere in it."""
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        found = paths(document)
        if not found:
            return document
        path = draw(st.sampled_from(found))
        action = draw(st.sampled_from(["delete", "replace", "type"]))
        if action == "type":
            value: Any = draw(RESOURCE_TYPES)
            if _is_dict_parent(document, path):
                path = (*path[:-1], "resourceType")
            else:
                value = {"resourceType": value}
            action = "replace"
        else:
            value = draw(JSON)
        document = apply(document, path, action, value)
    return document


def _is_dict_parent(document: Any, path: Path) -> bool:
    """Whether `path` ends in a key of a dict (so it can be set)."""
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    return isinstance(parent, dict)


def text_damage() -> st.SearchStrategy[bytes]:
    """Bytes that are rarely JSON: truncations, binary noise, wrong top-level values."""
    return st.binary(max_size=40) | st.sampled_from(
        [b"", b"[]", b"null", b"42", b'"Bundle"', b'{"resourceType": "Bundle"', b"\xff\xfe{}"]
    )
