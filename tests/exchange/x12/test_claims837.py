"""The 837P writer: pyx12's real validator accepts what calaim writes, and refuses errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from calaim.exchange.x12.claims837 import X12Invalid, validated_837, write_837
from calaim.exchange.x12.validation import validate
from calaim.ops.billing.build import BillingService
from calaim.ops.billing.export import ClaimBatch, MissingBillingDetails, export_batches
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.models.billing import BillingProfile
from ops.billing.world import NOW, build_world, deliver, encounter, outreach

SEPT = BillingPeriod.parse("2025-09")
AT = dt.datetime(2025, 10, 2, 9, 30, tzinfo=dt.UTC)


def _batch(session: Session) -> ClaimBatch:
    world = build_world(session)
    for day in (2, 3):
        deliver(session, world, dt.date(2025, 9, day))
    BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    (batch,) = export_batches(session, world.cs_staff, SEPT)
    return batch


def test_cs_claims_make_a_valid_837p(session: Session) -> None:
    batch = _batch(session)
    text = validated_837(batch, control_number=42, produced_at=AT)
    segments = text.split("~")
    (claim,) = batch.claims
    assert f"CLM*{claim.number}*400*" in text
    assert "SV1*HC:T2033:U6*200*UN*1***1" in segments
    assert "DTP*472*D8*20250902" in segments
    assert f"REF*G1*{(claim.authorization or '').upper()}" in segments
    assert f"NM1*IL*1*MEMBER P0000001*ANA****MI*{claim.cin}" in segments
    assert "REF*EI*953456789" in segments
    assert segments[0].startswith("ISA*00*")
    assert "*000000042*" in segments[0]


def test_ecm_month_and_outreach_lines_are_valid_too(session: Session) -> None:
    world = build_world(session)
    encounter(session, world, dt.date(2025, 9, 12))
    outreach(session, world, dt.date(2025, 9, 5), "video")
    BillingService(session, world.supervisor).build(SEPT, now=NOW)
    (batch,) = export_batches(session, world.supervisor, SEPT)
    text = validated_837(batch, control_number=7, produced_at=AT)
    assert "DTP*472*RD8*20250910-20250930" in text
    assert "SV1*HC:G9012:U8:GQ*25*UN*1***1" in text


def test_an_invalid_file_is_refused_naming_segment_and_element(session: Session) -> None:
    batch = _batch(session)
    broken = dataclasses.replace(batch.claims[0], birth_date=dt.date(1850, 1, 1), sex="Q")
    bad = dataclasses.replace(batch, claims=(broken,))
    assert validate(write_837(bad, control_number=1, produced_at=AT))
    with pytest.raises(X12Invalid, match=r"segment \d+ \(DMG\), element DMG03"):
        validated_837(bad, control_number=1, produced_at=AT)


def test_claims_over_5000_split_into_transactions(session: Session) -> None:
    batch = _batch(session)
    many = dataclasses.replace(batch, claims=batch.claims * 5001)
    text = write_837(many, control_number=3, produced_at=AT)
    assert text.count("~ST*837*") == 2
    assert "GE*2*3~" in text


def test_export_refuses_a_provider_without_billing_address(session: Session) -> None:
    world = build_world(session)
    deliver(session, world, dt.date(2025, 9, 2))
    BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    session.delete(session.get(BillingProfile, world.cs.id))
    session.flush()
    with pytest.raises(MissingBillingDetails, match="billing address"):
        export_batches(session, world.cs_staff, SEPT)


def test_amounts_keep_cents() -> None:
    from calaim.exchange.x12.envelope import money

    assert [money(Decimal(v)) for v in ("200.00", "12.50", "0.05", "1E+2")] == [
        "200",
        "12.5",
        "0.05",
        "100",
    ]


def test_se_counts_every_segment_of_its_transaction(session: Session) -> None:
    batch = _batch(session)
    many = dataclasses.replace(batch, claims=batch.claims * 7)
    text = write_837(many, control_number=4, produced_at=AT)
    segments = text.rstrip("~").split("~")
    start = next(i for i, s in enumerate(segments) if s.startswith("ST*"))
    end = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    assert segments[end] == f"SE*{end - start + 1}*0001"
