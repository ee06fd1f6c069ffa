"""The X12 837P 5010 (005010X222A1) writer: one interchange per batch (one provider, one
plan), one transaction per 5,000 claims (the guide's recommended maximum), validated with
pyx12 before anyone gets the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from calaim.exchange.x12.envelope import COMPONENT, clean, gs, isa, money, quantity, seg, trailers
from calaim.exchange.x12.validation import X12Issue, validate
from calaim.ops.billing.export import Address, BillingProvider, ClaimBatch, ExportClaim

VERSION = "005010X222A1"
CLAIMS_PER_TRANSACTION = 5000


class X12Invalid(ValueError):
    """pyx12 found errors in a file calaim wrote: it is not handed out."""

    def __init__(self, issues: list[X12Issue]) -> None:
        shown = "; ".join(str(issue) for issue in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__(f"the 837P failed X12 validation: {shown}{more}")
        self.issues = issues


def _address(address: Address) -> list[str]:
    return [
        seg("N3", clean(address.line, 55)),
        seg("N4", clean(address.city, 30), clean(address.state, 2), clean(address.zip_code, 15)),
    ]


def _header(batch: ClaimBatch, number: int, at: dt.datetime) -> list[str]:
    p = batch.provider
    return [
        seg("ST", "837", f"{number:04d}", VERSION),
        seg(
            "BHT",
            "0019",
            "00",
            f"{batch.plan_code[:20]}{number:04d}",
            at.strftime("%Y%m%d"),
            at.strftime("%H%M"),
            "CH",
        ),
        seg("NM1", "41", "2", clean(p.name, 60), "", "", "", "", "46", p.npi),
        seg("PER", "IC", "BILLING", "TE", clean(p.phone, 256).replace("-", "")),
        seg(
            "NM1",
            "40",
            "2",
            clean(batch.plan_code, 60),
            "",
            "",
            "",
            "",
            "46",
            clean(batch.plan_code, 80),
        ),
        seg("HL", "1", "", "20", "1"),
        seg("NM1", "85", "2", clean(p.name, 60), "", "", "", "", "XX", p.npi),
        *_address(p.address),
        seg("REF", "EI", p.tin),
    ]


# Per-claim segments are written as f-strings (not `seg`): 100,000 claims make 1.6 million
# segments, and the generic helper doubled the export time. Repeated values are cached.
_SBR = "SBR*P*18*******MC~"
_CLM_TAIL = "***11:B:1*Y*A*Y*Y~"
name = lru_cache(maxsize=65536)(clean)
amount = lru_cache(maxsize=4096)(money)


@lru_cache(maxsize=4096)
def _d8(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


@lru_cache(maxsize=4096)
def _address_text(address: Address) -> str:
    return "".join(_address(address))


def _lines(claim: ExportClaim) -> str:
    out = []
    for n, line in enumerate(claim.lines, start=1):
        procedure = COMPONENT.join(("HC", line.code, *line.modifiers[:4]))
        days = (
            f"D8*{_d8(line.first_day)}"
            if line.first_day == line.last_day
            else f"RD8*{_d8(line.first_day)}-{_d8(line.last_day)}"
        )
        out.append(
            f"LX*{n}~SV1*{procedure}*{amount(line.charge)}*UN*{quantity(line.units)}"
            f"***1~DTP*472*{days}~"
        )
    return "".join(out)


def _claim(claim: ExportClaim, hl: int) -> tuple[str, int]:
    """The subscriber, payer, claim and line segments of one claim, and how many there are."""
    auth = f"REF*G1*{name(claim.authorization, 50)}~" if claim.authorization else ""
    # 2310B: a network lead bills (2010AA) for the member CBO that rendered the service.
    who = claim.rendering
    rendering = f"NM1*82*2*{name(who.name, 60)}*****XX*{who.npi}~" if who else ""
    text = (
        f"HL*{hl}*1*22*0~{_SBR}"
        f"NM1*IL*1*{name(claim.last_name, 60)}*{name(claim.first_name, 35)}****MI*"
        f"{name(claim.cin, 80)}~{_address_text(claim.address)}"
        f"DMG*D8*{_d8(claim.birth_date)}*{name(claim.sex, 1) or 'U'}~"
        f"NM1*PR*2*{name(claim.payer_name, 60)}*****PI*{name(claim.payer_id, 80)}~"
        f"CLM*{claim.number}*{amount(claim.total)}{_CLM_TAIL}{auth}"
        f"HI*ABK{COMPONENT}{name(claim.diagnosis, 30).replace('.', '')}~"
        f"{rendering}{_lines(claim)}"
    )
    return text, 9 + (1 if auth else 0) + (1 if who else 0) + 3 * len(claim.lines)


def _transactions(batch: ClaimBatch, at: dt.datetime) -> Iterator[list[str]]:
    claims = batch.claims
    for number, start in enumerate(range(0, max(len(claims), 1), CLAIMS_PER_TRANSACTION), 1):
        body = _header(batch, number, at)
        count = len(body)
        for hl, claim in enumerate(claims[start : start + CLAIMS_PER_TRANSACTION], start=2):
            text, segments = _claim(claim, hl)
            body.append(text)
            count += segments
        body.append(seg("SE", str(count + 1), f"{number:04d}"))
        yield body


def write_837(
    batch: ClaimBatch, *, control_number: int, produced_at: dt.datetime, production: bool = True
) -> str:
    """The batch as an 837P interchange (not yet validated: see `validated_837`)."""
    provider: BillingProvider = batch.provider
    sender, receiver = provider.npi, clean(batch.plan_code, 15)
    parts = [
        isa(sender, receiver, control_number, produced_at, "P" if production else "T"),
        gs("HC", sender, receiver, control_number, produced_at, VERSION),
    ]
    count = 0
    for body in _transactions(batch, produced_at):
        parts.append("".join(body))
        count += 1
    parts.append(trailers(control_number, count, control_number))
    return "".join(parts)


def validated_837(
    batch: ClaimBatch, *, control_number: int, produced_at: dt.datetime, production: bool = True
) -> str:
    """The 837P, only if pyx12 finds no error in it (`X12Invalid` otherwise)."""
    text = write_837(
        batch, control_number=control_number, produced_at=produced_at, production=production
    )
    issues = validate(text)
    if issues:
        raise X12Invalid(issues)
    return text
