"""Plan configuration: where each plan operates, which Community Supports it offers where and
when, how it narrows Community Support criteria, and its authorization terms.

One YAML file per plan (`<CODE>.yaml`) in a plans folder. DHCS lets plans narrow Community
Supports but forbids narrowing ECM Populations of Focus; the loader enforces that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calaim.engine.loading.criteria import Node, parse_node
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.plan_terms import (
    check_entry_keys,
    check_no_overlap,
    check_supports,
    program_terms,
)
from calaim.engine.loading.yamlio import parse_date, read_yaml

MODELS = ("two_plan", "gmc", "cohs", "single_plan", "regional", "direct_contract")


@dataclass(frozen=True)
class Dated:
    """A period [start, end) in which a configuration entry applies."""

    start: dt.date
    end: dt.date | None

    def covers(self, as_of: dt.date) -> bool:
        """Whether the period includes `as_of`."""
        return self.start <= as_of and (self.end is None or as_of < self.end)


@dataclass(frozen=True)
class Election:
    """A plan offers a Community Support in some counties over a period."""

    program_id: str
    counties: tuple[str, ...]
    period: Dated


@dataclass(frozen=True)
class Overlay:
    """Extra criteria a plan adds to a Community Support (always narrowing: AND-ed)."""

    program_id: str
    counties: tuple[str, ...] | None  # None = every county the plan serves
    period: Dated
    label: str
    require: Node


@dataclass(frozen=True)
class AuthorizationTerms:
    """A plan's authorization parameters in force from a date (used by operations)."""

    period: Dated
    ecm: Mapping[str, Any]
    community_supports: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class PlanConfig:
    """One managed care plan's configuration."""

    code: str
    name: str
    model: str
    counties: tuple[tuple[str, Dated], ...]
    elections: tuple[Election, ...]
    overlays: tuple[Overlay, ...]
    authorization: tuple[AuthorizationTerms, ...]
    file: str

    def serves(self, county: str, as_of: dt.date) -> bool:
        """Whether the plan operates in `county` on `as_of`."""
        return any(name == county and period.covers(as_of) for name, period in self.counties)


def load_plans(
    folder: Path, *, counties: set[str], program_kinds: Mapping[str, str]
) -> dict[str, PlanConfig]:
    """Load every `*.yaml` plan file in `folder`; `program_kinds` maps program id → kind."""
    if not folder.is_dir():
        raise PolicyError(folder, "is not a folder of plan configuration files")
    plans: dict[str, PlanConfig] = {}
    for file in sorted(folder.glob("*.yaml")):
        plan = _load_plan(file, counties, program_kinds)
        if plan.code in plans:
            raise PolicyError(file, f"plan code {plan.code!r} is configured twice")
        plans[plan.code] = plan
    return plans


def _load_plan(file: Path, counties: set[str], kinds: Mapping[str, str]) -> PlanConfig:
    raw = read_yaml(file)
    if not isinstance(raw, Mapping):
        raise PolicyError(file, "must be a mapping")
    for key in ("code", "name", "model", "counties"):
        if not raw.get(key):
            raise PolicyError(file, f"'{key}' is required")
    if raw["model"] not in MODELS:
        raise PolicyError(file, f"model must be one of {list(MODELS)}")
    served = tuple(_county_entry(item, file, counties) for item in raw["counties"])
    served_names = {name for name, _ in served}
    return PlanConfig(
        code=str(raw["code"]).upper(),
        name=str(raw["name"]),
        model=str(raw["model"]),
        counties=served,
        elections=tuple(
            _election(item, f"{file} (community_supports[{i}])", served_names, kinds)
            for i, item in enumerate(raw.get("community_supports") or [])
        ),
        overlays=tuple(
            _overlay(item, f"{file} (overlays[{i}])", served_names, kinds)
            for i, item in enumerate(raw.get("overlays") or [])
        ),
        authorization=_authorizations(raw.get("authorization"), file, kinds),
        file=str(file),
    )


def _county_entry(raw: Any, file: Path, counties: set[str]) -> tuple[str, Dated]:
    where = f"{file} (counties)"
    if not isinstance(raw, Mapping) or raw.get("county") not in counties:
        raise PolicyError(where, f"{raw!r}: each entry needs a known 'county' name and 'from'")
    return str(raw["county"]), _period(raw, where)


def _counties(raw: Any, where: str, served: set[str]) -> tuple[str, ...]:
    if raw == "all":
        return tuple(sorted(served))
    if not isinstance(raw, list) or not raw:
        raise PolicyError(where, "'counties' must be a list of county names or 'all'")
    unknown = sorted(set(raw) - served)
    if unknown:
        raise PolicyError(where, f"the plan does not serve {unknown}; add them under 'counties'")
    return tuple(str(county) for county in raw)


def _election(raw: Any, where: str, served: set[str], kinds: Mapping[str, str]) -> Election:
    if not isinstance(raw, Mapping) or "program" not in raw:
        raise PolicyError(where, "needs 'program', 'counties' and 'from'")
    _require_kind(raw["program"], where, kinds, "offer")
    return Election(
        str(raw["program"]), _counties(raw.get("counties"), where, served), _period(raw, where)
    )


def _overlay(raw: Any, where: str, served: set[str], kinds: Mapping[str, str]) -> Overlay:
    if not isinstance(raw, Mapping) or "program" not in raw or "require" not in raw:
        raise PolicyError(where, "needs 'program', 'from', 'label' and 'require'")
    _require_kind(raw["program"], where, kinds, "narrow")
    counties = raw.get("counties")
    return Overlay(
        program_id=str(raw["program"]),
        counties=None if counties is None else _counties(counties, where, served),
        period=_period(raw, where),
        label=str(raw.get("label") or "plan-specific criteria"),
        require=parse_node(raw["require"], f"{where}.require"),
    )


def _require_kind(program_id: Any, where: str, kinds: Mapping[str, str], verb: str) -> None:
    kind = kinds.get(str(program_id))
    if kind is None:
        raise PolicyError(where, f"unknown program {program_id!r}")
    if kind != "cs":
        raise PolicyError(
            where,
            f"cannot {verb} {program_id!r}: ECM is a statewide benefit and DHCS forbids plans "
            "to narrow or opt out of ECM Populations of Focus. Plans may only configure "
            "Community Supports (ids starting 'cs.'). Remove this entry.",
        )


def _authorizations(
    raw: Any, file: Path, kinds: Mapping[str, str]
) -> tuple[AuthorizationTerms, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PolicyError(f"{file} (authorization)", "must be a list of dated entries")
    terms = tuple(
        _authorization(item, f"{file} (authorization[{i}])", kinds) for i, item in enumerate(raw)
    )
    check_no_overlap([(t.period.start, t.period.end) for t in terms], str(file))
    return terms


def _authorization(raw: Any, where: str, kinds: Mapping[str, str]) -> AuthorizationTerms:
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "needs 'from', 'ecm' and 'community_supports'")
    check_entry_keys(raw, where)
    return AuthorizationTerms(
        period=_period(raw, where),
        ecm=program_terms(raw.get("ecm"), where, "ecm"),
        community_supports=check_supports(raw.get("community_supports"), where, kinds),
    )


def _period(raw: Mapping[str, Any], where: str) -> Dated:
    start = parse_date(raw.get("from"), where, "from")
    end = None if raw.get("to") is None else parse_date(raw["to"], where, "to")
    if end is not None and end <= start:
        raise PolicyError(where, f"'to' ({end}) must be after 'from' ({start})")
    return Dated(start, end)
