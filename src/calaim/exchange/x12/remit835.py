"""Reading an X12 835 (005010X221A1): BPR/TRN/N1*PR, CLP, SVC, CAS, DTM*472 and PLB into
plain data. SVC06, when present, is the procedure as billed where the payer adjudicated
another (SVC01); the line is matched on it. Every error names the segment number and element;
nothing is half-read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from calaim.exchange.x12.tokens import Segment, X12SyntaxError, tokenize
from calaim.exchange.x12.validation import validate
from calaim.ops.billing.remit_data import Adjustment, PaidClaim, PaidLine, Remittance835


def amount(segment: Segment, position: int, *, required: bool = True) -> Decimal:
    """A money or quantity element as Decimal (never float)."""
    text = segment.get(position).strip()
    if not text and not required:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or len(text) > 18:
        raise X12SyntaxError(
            f"{text[:20]!r} is not an amount",
            segment=segment.number,
            element=segment.name(position),
        )
    return value


def date(segment: Segment, position: int) -> dt.date:
    """A CCYYMMDD element."""
    text = segment.get(position).strip()
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise X12SyntaxError(
            f"{text[:20]!r} is not a date (CCYYMMDD)",
            segment=segment.number,
            element=segment.name(position),
        ) from None


def adjustments(segment: Segment) -> list[Adjustment]:
    """A CAS segment's (reason, amount) pairs under its group code (up to six)."""
    group = segment.get(1).strip()
    if not group:
        raise X12SyntaxError(
            "the adjustment group code is missing", segment=segment.number, element="CAS01"
        )
    found = []
    for position in range(2, 20, 3):
        reason = segment.get(position).strip()
        if reason:
            found.append(Adjustment(group[:3], reason[:10], amount(segment, position + 1)))
    return found


def provider_adjustments(segment: Segment) -> list[Adjustment]:
    """A PLB segment's (reason:reference, amount) pairs."""
    found = []
    for position in range(3, 15, 2):
        if segment.get(position).strip():
            reason = segment.parts(position)[0].strip()[:10]
            found.append(Adjustment("PLB", reason, amount(segment, position + 1)))
    return found


@dataclass
class _Claim:
    head: Segment
    adjustments: list[Adjustment] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Line:
    head: Segment
    day: dt.date | None = None
    adjustments: list[Adjustment] = field(default_factory=list)


def _line(line: _Line) -> PaidLine:
    seg = line.head
    procedure = seg.parts(1)
    if len(procedure) < 2 or not procedure[1].strip():
        raise X12SyntaxError(
            "the procedure (qualifier:code) is missing", segment=seg.number, element="SVC01"
        )
    billed = seg.parts(6) if seg.get(6).strip() else []
    if billed and (len(billed) < 2 or not billed[1].strip()):
        raise X12SyntaxError(
            "the original procedure (qualifier:code) is incomplete",
            segment=seg.number,
            element="SVC06",
        )
    return PaidLine(
        procedure[1].strip()[:5],
        tuple(p.strip() for p in procedure[2:6] if p.strip()),
        amount(seg, 2),
        amount(seg, 3),
        amount(seg, 5, required=False) or Decimal(1),
        line.day,
        tuple(line.adjustments),
        seg.number,
        billed[1].strip()[:5] if billed else "",
        tuple(p.strip() for p in billed[2:6] if p.strip()),
    )


def _claim(claim: _Claim) -> PaidClaim:
    seg = claim.head
    number = seg.get(1).strip()
    if not number:
        raise X12SyntaxError("the claim number is missing", segment=seg.number, element="CLP01")
    return PaidClaim(
        number[:38],
        seg.get(2).strip(),
        amount(seg, 3),
        amount(seg, 4),
        tuple(claim.adjustments),
        tuple(_line(line) for line in claim.lines),
        seg.get(7).strip()[:50],
        seg.number,
    )


@dataclass
class _Transaction:
    start: Segment
    bpr: Segment | None = None
    trace: str = ""
    payer: str = ""
    claims: list[_Claim] = field(default_factory=list)
    plb: list[Adjustment] = field(default_factory=list)

    def done(self) -> Remittance835:
        if self.bpr is None:
            raise X12SyntaxError(
                "the transaction has no BPR (payment) segment",
                segment=self.start.number,
                element="BPR01",
            )
        paid_on = date(self.bpr, 16) if self.bpr.get(16).strip() else None
        return Remittance835(
            self.payer or "unknown payer",
            self.trace,
            paid_on,
            amount(self.bpr, 2),
            tuple(_claim(c) for c in self.claims),
            tuple(self.plb),
        )


def _step(tx: _Transaction, seg: Segment) -> None:
    """Apply one segment to the transaction being read."""
    claim = tx.claims[-1] if tx.claims else None
    line = claim.lines[-1] if claim and claim.lines else None
    if seg.id == "BPR":
        tx.bpr = seg
    elif seg.id == "TRN":
        tx.trace = seg.get(2).strip()[:50]
    elif seg.id == "N1" and seg.get(1) == "PR":
        tx.payer = seg.get(2).strip()[:100]
    elif seg.id == "CLP":
        tx.claims.append(_Claim(seg))
    elif seg.id == "SVC":
        if claim is None:
            raise X12SyntaxError(
                "a service line (SVC) comes before any claim (CLP)",
                segment=seg.number,
                element="SVC01",
            )
        claim.lines.append(_Line(seg))
    elif seg.id == "CAS" and claim is not None:
        (line.adjustments if line else claim.adjustments).extend(adjustments(seg))
    elif seg.id == "DTM" and seg.get(1) == "472" and line is not None:
        line.day = date(seg, 2)
    elif seg.id == "PLB":
        tx.plb.extend(provider_adjustments(seg))


def parse_835(text: str, *, check: bool = True) -> list[Remittance835]:
    """Every 835 transaction in the interchange; with `check`, pyx12 must find no error."""
    transactions: list[_Transaction] = []
    segments = tokenize(text)
    for seg in segments:
        if seg.id == "ST":
            if seg.get(1) != "835":
                raise X12SyntaxError(
                    f"transaction set {seg.get(1)[:6]!r} is not an 835",
                    segment=seg.number,
                    element="ST01",
                )
            transactions.append(_Transaction(seg))
        elif transactions:
            _step(transactions[-1], seg)
    if not transactions:
        raise X12SyntaxError(
            "the interchange holds no 835 transaction (ST*835)",
            segment=len(segments),
            element="ST01",
        )
    remittances = [tx.done() for tx in transactions]
    if check:
        issues = validate(text)
        if issues:
            first = issues[0]
            raise X12SyntaxError(
                first.message + (f" ({len(issues) - 1} more)" if len(issues) > 1 else ""),
                segment=first.segment_number or 1,
                element=first.element,
            )
    return remittances
