"""A payer simulator: an 835 answering an 837P, paying some lines and denying others with
CARC codes. For tests, demos and the docs' walkthrough; a real plan sends its own 835."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from calaim.exchange.x12.envelope import clean, gs, isa, money, seg, trailers
from calaim.exchange.x12.remit835 import amount, parse_835
from calaim.exchange.x12.tokens import Segment, X12SyntaxError, tokenize
from calaim.ops.billing.remit_data import REVERSAL, PaidClaim

VERSION = "005010X221A1"


@dataclass
class _Billed:
    clm: Segment
    patient: Segment | None
    lines: list[tuple[Segment, str]] = field(default_factory=list)


def _billed(text: str) -> Iterator[_Billed]:
    """The claims of an 837P: CLM, the subscriber's NM1*IL, and each SV1 with its date."""
    patient: Segment | None = None
    current: _Billed | None = None
    for segment in tokenize(text):
        if segment.id == "NM1" and segment.get(1) == "IL":
            patient = segment
        elif segment.id == "CLM":
            if current:
                yield current
            current = _Billed(segment, patient)
        elif segment.id == "SV1" and current:
            current.lines.append((segment, ""))
        elif segment.id == "DTP" and segment.get(1) == "472" and current and current.lines:
            current.lines[-1] = (current.lines[-1][0], segment.get(3)[:8])
    if current:
        yield current


def _claim(
    billed: _Billed,
    counter: list[int],
    deny_every: int,
    reasons: tuple[str, ...],
    prefix: str = "PAYER",
) -> tuple[list[str], Decimal]:
    lines, paid_total = [], Decimal(0)
    for sv1, day in billed.lines:
        charge = amount(sv1, 2)
        counter[0] += 1
        denied = deny_every > 0 and counter[0] % deny_every == 0
        reason = reasons[(counter[0] // max(deny_every, 1)) % len(reasons)]
        paid = Decimal(0) if denied else charge
        paid_total += paid
        lines.append(seg("SVC", sv1.get(1), money(charge), money(paid), "", sv1.get(4)))
        if day:
            lines.append(seg("DTM", "472", day))
        if denied:
            lines.append(seg("CAS", "CO", reason, money(charge)))
    charge = amount(billed.clm, 2)
    status = "4" if paid_total == 0 else "1"
    head = [
        seg(
            "CLP",
            billed.clm.get(1),
            status,
            money(charge),
            money(paid_total),
            "",
            "MC",
            f"{prefix}{counter[0]:08d}",
            "11",
            "1",
        )
    ]
    return head + _patient(billed) + lines, paid_total


def _patient(billed: _Billed) -> list[str]:
    """The claim's NM1*QC: the subscriber of the 837P."""
    if not billed.patient:
        return []
    p = billed.patient
    return [seg("NM1", "QC", "1", p.get(3), p.get(4), "", "", "", "MI", p.get(9))]


def _heading(
    total: Decimal, paid_on: dt.date, control: int, parties: tuple[str, str, str]
) -> list[str]:
    """ST through LX: the payment (a check; nothing to pay: a notice), trace, payer, payee."""
    day, (payer, payee, npi) = paid_on.strftime("%Y%m%d"), parties
    payment = (
        seg("BPR", "I", money(total), "C", "CHK", *[""] * 11, day)
        if total > 0
        else seg("BPR", "H", "0", "C", "NON", *[""] * 11, day)
    )
    return [
        seg("ST", "835", "0001"),
        payment,
        seg("TRN", "1", f"CHK{control:09d}", "1999999999"),
        seg("DTM", "405", day),
        seg("N1", "PR", clean(payer, 60)),
        seg("N3", "1 PAYER WAY"),
        seg("N4", "LOS ANGELES", "CA", "90012"),
        seg("PER", "BL", "EDI SUPPORT", "TE", "2135550199"),
        seg("N1", "PE", clean(payee, 60), "XX", npi),
        seg("LX", "1"),
    ]


def payer_835(
    claims_837: str,
    *,
    paid_on: dt.date,
    control_number: int,
    payer_name: str,
    payee_name: str,
    payee_npi: str,
    deny_every: int = 3,
    reasons: tuple[str, ...] = ("197", "96"),
    plb: Decimal | None = None,
) -> str:
    """An 835 paying every claim line of an 837P in full except each `deny_every`-th line,
    denied (group CO) with the next CARC from `reasons`; optionally one PLB adjustment."""
    counter = [0]
    body: list[str] = []
    total = Decimal(0)
    for billed in _billed(claims_837):
        segments, paid = _claim(billed, counter, deny_every, reasons)
        body += segments
        total += paid
    if plb:
        body.append(seg("PLB", payee_npi, f"{paid_on.year}1231", "WO:SIMULATED", money(plb)))
        total -= plb
    return _interchange(body, total, paid_on, control_number, (payer_name, payee_name, payee_npi))


def _interchange(
    body: list[str],
    total: Decimal,
    paid_on: dt.date,
    control_number: int,
    parties: tuple[str, str, str],
) -> str:
    """ISA through IEA around one transaction; a negative total is carried forward (PLB FB),
    since BPR02 is never negative: BPR02 = the claims' payments less the PLB amounts."""
    npi = parties[2]
    if total < 0:
        body = [*body, seg("PLB", npi, f"{paid_on.year}1231", "FB:CARRIED", money(total))]
        total = Decimal(0)
    at = dt.datetime.combine(paid_on, dt.time(12, 0))
    tx = [*_heading(total, paid_on, control_number, parties), *body]
    tx.append(seg("SE", str(len(tx) + 1), "0001"))
    return (
        isa("PAYER", npi, control_number, at, "T")
        + gs("HP", "PAYER", npi, control_number, at, VERSION)
        + "".join(tx)
        + trailers(control_number, 1, control_number)
    )


def _negated(amount: Decimal) -> str:
    return money(-amount) if amount else money(amount)


def _reversal(paid: PaidClaim, billed: _Billed) -> list[str]:
    """CLP02 22: the earlier claim payment again, every charge, payment, adjustment amount and
    unit negated, the same CAS group codes and CLP07 (005010X221A1, reversals and corrections)."""
    out = [
        seg(
            "CLP",
            paid.number,
            REVERSAL,
            _negated(paid.charge),
            _negated(paid.paid),
            "",
            "MC",
            paid.payer_claim_number,
            "11",
            "1",
        ),
        # Loop 2100 order: CLP, CAS, NM1*QC.
        *[seg("CAS", a.group, a.reason, _negated(a.amount)) for a in paid.adjustments],
        *_patient(billed),
    ]
    for line in paid.lines:
        procedure = ":".join(("HC", line.code, *line.modifiers))
        out.append(
            seg(
                "SVC",
                procedure,
                _negated(line.charge),
                _negated(line.paid),
                "",
                _negated(line.units),
            )
        )
        if line.service_date:
            out.append(seg("DTM", "472", line.service_date.strftime("%Y%m%d")))
        out += [seg("CAS", a.group, a.reason, _negated(a.amount)) for a in line.adjustments]
    return out


def reversal_835(
    previous_835: str,
    claims_837: str,
    *,
    paid_on: dt.date,
    control_number: int,
    payer_name: str,
    payee_name: str,
    payee_npi: str,
    deny_every: int = 0,
    reasons: tuple[str, ...] = ("197", "96"),
    correct: bool = True,
) -> str:
    """An 835 taking back every claim payment of `previous_835` (CLP02 22) and, with
    `correct`, paying each claim again from the 837P (every `deny_every`-th line denied;
    0: none); the reversal and the correction in the same 835, as the TR3 recommends."""
    billed = {b.clm.get(1): b for b in _billed(claims_837)}
    counter = [0]
    body: list[str] = []
    total = Decimal(0)
    for remittance in parse_835(previous_835, check=False):
        for paid in remittance.claims:
            if paid.reversal:
                continue
            claim = billed.get(paid.number)
            if claim is None:
                raise X12SyntaxError(
                    f"claim {paid.number!r} of the earlier 835 is not in the 837P",
                    segment=paid.segment,
                    element="CLP01",
                )
            body += _reversal(paid, claim)
            total -= paid.paid
            if correct:
                segments, paid_now = _claim(claim, counter, deny_every, reasons, "CORR")
                body += segments
                total += paid_now
    return _interchange(body, total, paid_on, control_number, (payer_name, payee_name, payee_npi))
