"""Member languages: one code list (ISO 639 codes labelled with the DHCS threshold language
names, `policy/reference/languages.csv`). Every import stores the code; people see the name."""

from __future__ import annotations

import csv
from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.errors import InvalidRequest


class UnknownLanguage(InvalidRequest):
    """A language value that is neither a known code nor a known name."""


@cache
def language_names() -> dict[str, str]:
    """ISO 639 code → DHCS threshold language name, in the file's order."""
    return {row["code"]: row["name"] for row in _rows()}


@cache
def _aliases() -> dict[str, str]:
    found: dict[str, str] = {}
    for row in _rows():
        spellings = [row["code"], row["name"], *(row["also_written"] or "").split("|")]
        for spelling in spellings:
            if spelling.strip():
                found[spelling.strip().casefold()] = row["code"]
    return found


def _rows() -> list[dict[str, str]]:
    path = default_policy_dir() / "reference" / "languages.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def language_code(value: object, *, field: str = "language") -> str | None:
    """The code of a language given as a code or a name (any case); None when blank.

    `UnknownLanguage` names the value and the accepted codes.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    code = _aliases().get(text.casefold()) or _aliases().get(text.split("-")[0].casefold())
    if code is None:
        accepted = ", ".join(f"{c} ({n})" for c, n in language_names().items())
        raise UnknownLanguage(
            f"{field} {text[:40]!r} is not a known language; use one of {accepted}",
            field=field,
        )
    return code


def language_name(code: str | None) -> str:
    """The name people see for a stored language code (the value itself if not a code)."""
    if not code:
        return ""
    return language_names().get(code, code)
