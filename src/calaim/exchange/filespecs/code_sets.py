"""Named code sets that layout columns cite, resolved from ops enums and policy reference data.

A layout never lists codes itself: `code_set: ecm_status` points here, and here points at the
single place each list is kept (an ops enum, a reference CSV, the program registry).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from importlib import resources

import yaml

from calaim.ops.models import (
    Acuity,
    AuthorizationStatus,
    EnrollmentStatus,
    OrganizationKind,
    OutreachMethod,
)
from calaim.ops.referrals.state import ReferralStatus


class UnknownCodeSet(KeyError):
    """A layout cites a code set that does not exist."""


def _enum(values: type[StrEnum]) -> Callable[[], frozenset[str]]:
    return lambda: frozenset(member.value for member in values)


def _reference_codes(file_name: str) -> frozenset[str]:
    text = (
        resources.files("calaim.policy")
        .joinpath("reference")
        .joinpath(file_name)
        .read_text("utf-8")
    )
    return frozenset(row["code"] for row in csv.DictReader(text.splitlines()))


@cache
def _programs() -> tuple[dict[str, str], ...]:
    text = resources.files("calaim.policy").joinpath("programs.yaml").read_text("utf-8")
    return tuple(yaml.safe_load(text)["programs"])


def _pof_codes() -> frozenset[str]:
    return frozenset(str(p["pof"]) for p in _programs() if p.get("kind") == "ecm_pof")


def _cs_programs() -> frozenset[str]:
    return frozenset(p["id"] for p in _programs() if p.get("kind") == "cs")


def _loop_closure_reasons() -> frozenset[str]:
    # "Reason for Referral Loop Closure" (policy-facts §5.5): services received, or why the loop
    # closed early, which are the ECM discontinuation reasons (§2.6).
    return frozenset({ReferralStatus.SERVICES_RECEIVED.value}) | _reference_codes(
        "ecm_discontinuation_reasons.csv"
    )


def _provider_kinds() -> frozenset[str]:
    return frozenset({OrganizationKind.ECM_PROVIDER.value, OrganizationKind.CS_PROVIDER.value})


SOURCES: dict[str, Callable[[], frozenset[str]]] = {
    "ecm_status": _enum(EnrollmentStatus),
    "acuity": _enum(Acuity),
    "outreach_method": _enum(OutreachMethod),
    "authorization_status": _enum(AuthorizationStatus),
    "discontinuation_reason": lambda: _reference_codes("ecm_discontinuation_reasons.csv"),
    "loop_closure_reason": _loop_closure_reasons,
    "pof": _pof_codes,
    "cs_program": _cs_programs,
    "provider_type": _provider_kinds,
}


@cache
def codes(name: str) -> frozenset[str]:
    """The codes of the named code set (raises `UnknownCodeSet` for an unknown name)."""
    try:
        source = SOURCES[name]
    except KeyError:
        raise UnknownCodeSet(name) from None
    return source()


@cache
def program_pofs() -> dict[str, str]:
    """ECM Population of Focus program ids to their PoF codes, in registry order."""
    return {str(p["id"]): str(p["pof"]) for p in _programs() if p.get("kind") == "ecm_pof"}
