"""Whom to refer to: providers serving a county and a program, contracted with a plan, not full.

The provider directory (organizations, profiles, how many members each holds) is not member
data; like assignment (`calaim.ops.assignments.repository`) it is read unscoped, and only
counts of members held are read, never whose they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from calaim.ops.read_models.directory import PROVIDER_KINDS, Provider, providers

__all__ = ["PROVIDER_KINDS", "Provider", "providers", "referral_options"]


def referral_options(
    session: Session, county: str, plan_code: str, program_ids: Iterable[str]
) -> list[Provider]:
    """Providers serving `county` and one of `program_ids`, contracted with the plan, not full."""
    wanted = set(program_ids)
    return [
        p
        for p in providers(session)
        if county in p.counties
        and plan_code.upper() in p.contracted_plans
        and p.programs & wanted
        and p.open_capacity > 0
    ]
