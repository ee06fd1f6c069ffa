"""A plan's authorization terms, checked at load: known keys only, sensible numbers, periods
that do not overlap. Each error names the file, the entry and the key, and says what to do."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from calaim.engine.loading.errors import PolicyError

ENTRY_KEYS = ("from", "to", "ecm", "community_supports")


class ProgramTerms(BaseModel):
    """One program's terms (ECM, or one Community Support or the CS `default`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Lengths: an authorization lasts months, never decades (60 months = 5 years at most).
    initial_months: int | None = Field(None, ge=1, le=60)
    reauthorization_months: int | None = Field(None, ge=1, le=60)
    # Presumptive service while the plan decides: 0 = none; more than 180 days is no presumption.
    presumptive_days: int | None = Field(None, ge=0, le=180)
    # How old an engine determination may be for an automatic approval.
    determination_max_age_days: int | None = Field(None, ge=0, le=365)
    # Business days the plan asks referrers to allow for an ECM determination (CenCal: 10).
    determination_business_days: int | None = Field(None, ge=1, le=60)
    # Days with no successful outreach after which an ECM member is unable to reach.
    unable_to_reach_days: int | None = Field(None, ge=1, le=365)
    # Plan-specific Community Supports limits (Anthem's utility arrears, Molina's deposit cap).
    utility_arrears_months: int | None = Field(None, ge=1, le=24)
    lifetime_max_usd: Decimal | None = Field(None, ge=0, le=1_000_000)


def program_terms(raw: Any, where: str, key: str) -> dict[str, Any]:
    """The checked terms of one program, as a plain mapping of the keys given."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PolicyError(where, f"'{key}' must be a mapping of terms such as initial_months")
    try:
        checked = ProgramTerms.model_validate(dict(raw))
    except ValidationError as error:
        raise PolicyError(where, _describe(error, key)) from None
    return checked.model_dump(exclude_none=True)


def check_entry_keys(raw: Mapping[str, Any], where: str) -> None:
    """Refuse an authorization entry key calaim does not know (a typo would be ignored)."""
    unknown = sorted(str(key) for key in raw if key not in ENTRY_KEYS)
    if unknown:
        raise PolicyError(
            where, f"unknown key(s) {unknown}; an authorization entry has {list(ENTRY_KEYS)}"
        )


def check_supports(raw: Any, where: str, kinds: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The checked Community Supports terms: `default` or a known CS program id each."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "'community_supports' must map 'default' or a CS id to terms")
    supports: dict[str, dict[str, Any]] = {}
    for program, terms in raw.items():
        key = f"community_supports.{program}"
        if program != "default" and kinds.get(str(program)) != "cs":
            raise PolicyError(
                where,
                f"'{key}': {program!r} is not a Community Support id; use 'default' or a "
                "program id starting 'cs.' from programs.yaml",
            )
        supports[str(program)] = program_terms(terms, where, key)
    return supports


def check_no_overlap(periods: Sequence[tuple[Any, Any]], file: str) -> None:
    """Refuse authorization entries whose [from, to) periods overlap (one set of terms a day)."""
    ordered = sorted(enumerate(periods), key=lambda item: item[1][0])
    for (first, (_, end)), (second, (start, _)) in pairwise(ordered):
        if end is None or end > start:
            shown = "open-ended" if end is None else f"until {end}"
            raise PolicyError(
                f"{file} (authorization[{second}])",
                f"its period from {start} overlaps authorization[{first}] ({shown}); give the "
                f"earlier entry a 'to' on or before {start}",
            )


def _describe(error: ValidationError, key: str) -> str:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            known = ", ".join(ProgramTerms.model_fields)
            problems.append(f"'{key}.{field}' is not a known term (known: {known})")
        else:
            problems.append(f"'{key}.{field}': {item['msg']} (got {item['input']!r})")
    return "; ".join(problems)
