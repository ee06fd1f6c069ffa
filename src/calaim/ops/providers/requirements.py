"""Plans' extra requirements of a provider application, as dated data (policy/plans/requirements).

A plan without a file asks nothing beyond the common profile. A requirement is met by a
credential of a named type unexpired on the day (`valid_days` later, when given), by a yes to
an attestation, or by a written answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.errors import InvalidRequest

NEEDS = ("credential", "attestation", "text")


@dataclass(frozen=True)
class Requirement:
    """One thing a plan asks of applicants."""

    plan_code: str
    id: str
    needs: str
    label: str
    credential: str | None = None
    valid_days: int = 0


class MalformedRequirements(InvalidRequest):
    """A requirements file cannot be read; the message names the file and entry."""


def requirements_dir() -> Path:
    """Where the shipped sample requirements live."""
    return default_policy_dir() / "plans" / "requirements"


def _item(plan: str, raw: dict[str, Any], where: str) -> Requirement:
    needs = str(raw.get("needs", ""))
    if needs not in NEEDS:
        raise MalformedRequirements(f"{where}: needs must be one of {', '.join(NEEDS)}")
    if needs == "credential" and not raw.get("credential"):
        raise MalformedRequirements(f"{where}: name the credential type (credential: ...)")
    return Requirement(
        plan_code=plan,
        id=str(raw["id"]),
        needs=needs,
        label=str(raw["label"]),
        credential=raw.get("credential"),
        valid_days=int(raw.get("valid_days", 0)),
    )


@cache
def _periods(path: Path) -> tuple[tuple[dt.date, dt.date | None, tuple[Requirement, ...]], ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = str(raw["plan"])
    found = []
    try:
        for i, period in enumerate(raw["requirements"]):
            where = f"{path.name} requirements[{i}]"
            items = tuple(
                _item(plan, item, f"{where} items[{j}]") for j, item in enumerate(period["items"])
            )
            found.append((period["from"], period.get("to"), items))
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedRequirements(f"{path.name}: malformed requirements ({error})") from error
    return tuple(found)


def requirements_for(
    plan_code: str, on: dt.date, folder: Path | None = None
) -> tuple[Requirement, ...]:
    """The plan's extra requirements in force on `on` (none without a file)."""
    path = (folder or requirements_dir()) / f"{plan_code}.yaml"
    if not path.is_file():
        return ()
    for start, end, items in _periods(path):
        if start <= on and (end is None or on < end):
            return items
    return ()


@dataclass(frozen=True)
class HeldCredential:
    """A credential as requirement checks see it."""

    credential_type: str
    expires_on: dt.date | None


def unmet(
    requirement: Requirement,
    credentials: list[HeldCredential],
    answers: dict[str, Any],
    on: dt.date,
) -> str | None:
    """Why the requirement is not met on `on` (None when it is)."""
    if requirement.needs == "attestation":
        return None if answers.get(requirement.id) is True else "answer yes to the statement"
    if requirement.needs == "text":
        answer = answers.get(requirement.id)
        return None if isinstance(answer, str) and answer.strip() else "write an answer"
    until = on + dt.timedelta(days=requirement.valid_days)
    for held in credentials:
        if held.credential_type == requirement.credential and (
            held.expires_on is None or held.expires_on > until
        ):
            return None
    days = f" until at least {until.isoformat()}" if requirement.valid_days else ""
    return f"add a {requirement.credential} credential valid{days} to the profile"
