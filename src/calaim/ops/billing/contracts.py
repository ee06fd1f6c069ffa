"""Contract terms (policy/contracts/<PLAN>.yaml): how a plan pays ECM, outreach and each
Community Support, dated. Rates are Decimal placeholders (policy-facts §4.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.errors import InvalidRequest


class EcmPayment(StrEnum):
    """How the plan pays ECM."""

    PER_MEMBER_PER_MONTH = "per_member_per_month"
    PER_ENCOUNTER = "per_encounter"


class OutreachPayment(StrEnum):
    """Whether outreach attempts are paid separately."""

    PER_ATTEMPT = "per_attempt"
    NONE = "none"


class NoContractTerms(InvalidRequest):
    """The plan has no contract terms in force on the date (or they are malformed)."""


@dataclass(frozen=True)
class ContractTerms:
    """One plan's payment terms in force over [valid_from, valid_to)."""

    plan_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    payer_id: str
    payer_name: str
    diagnosis: str
    ecm_payment: EcmPayment
    ecm_rate: Decimal
    outreach_payment: OutreachPayment
    outreach_rate: Decimal
    cs_rates: dict[str, Decimal]
    cs_default_rate: Decimal | None
    confidence: str

    def cs_rate(self, program_id: str) -> Decimal:
        """The fee per unit for a Community Support."""
        rate = self.cs_rates.get(program_id, self.cs_default_rate)
        if rate is None:
            raise NoContractTerms(
                f"{self.plan_code}'s contract terms have no rate for {program_id}; add one "
                f"to policy/contracts/{self.plan_code}.yaml",
                field="program_id",
            )
        return rate


def _money(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise NoContractTerms(f"{where}: rate {value!r} is not an amount") from error
    if not amount.is_finite() or amount < 0:
        raise NoContractTerms(f"{where}: rate {value!r} must be 0 or more")
    return amount.quantize(Decimal("0.01"))


def _terms(plan: str, raw: dict[str, Any], where: str) -> ContractTerms:
    ecm, outreach = raw["ecm"], raw.get("outreach", {"payment": "none"})
    cs = dict(raw.get("community_supports", {}))
    default = cs.pop("default", None)
    paid_outreach = OutreachPayment(outreach["payment"])
    return ContractTerms(
        plan_code=plan,
        valid_from=raw["from"],
        valid_to=raw.get("to"),
        payer_id=str(raw["payer_id"]),
        payer_name=str(raw["payer_name"]),
        diagnosis=str(raw["diagnosis"]),
        ecm_payment=EcmPayment(ecm["payment"]),
        ecm_rate=_money(ecm["rate"], f"{where} ecm"),
        outreach_payment=paid_outreach,
        outreach_rate=_money(outreach.get("rate", "0"), f"{where} outreach"),
        cs_rates={pid: _money(v["rate"], f"{where} {pid}") for pid, v in cs.items()},
        cs_default_rate=None if default is None else _money(default["rate"], f"{where} default"),
        confidence=str(raw.get("confidence", "assumption")),
    )


@cache
def load_contract(path: Path) -> tuple[ContractTerms, ...]:
    """Every dated term of one contract file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = str(raw["plan"])
    try:
        return tuple(
            _terms(plan, item, f"{path.name} terms[{i}]") for i, item in enumerate(raw["terms"])
        )
    except (KeyError, ValueError, TypeError) as error:
        raise NoContractTerms(f"{path}: malformed contract terms ({error})") from error


def contracts_dir() -> Path:
    """Where the shipped sample contract terms live."""
    return default_policy_dir() / "contracts"


def terms_for(plan_code: str, on: dt.date, folder: Path | None = None) -> ContractTerms:
    """The plan's contract terms in force on `on`."""
    path = (folder or contracts_dir()) / f"{plan_code}.yaml"
    if not path.is_file():
        raise NoContractTerms(
            f"no contract terms for plan {plan_code}: add policy/contracts/{plan_code}.yaml "
            "(see policy/contracts/README.md)",
            field="plan",
        )
    for terms in load_contract(path):
        if terms.valid_from <= on and (terms.valid_to is None or on < terms.valid_to):
            return terms
    raise NoContractTerms(
        f"plan {plan_code} has no contract terms in force on {on.isoformat()}; "
        f"add dated terms to policy/contracts/{plan_code}.yaml",
        field="period",
    )
