"""An intake carries the member's current determinations, as far as the actor may see them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.models import MemberDetermination, Part2Consent, ReferralSource
from calaim.ops.referrals.service import ReferralService

from .conftest import Parties, lookup

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PROGRAMS = ["ecm.homeless_adult", "ecm.smh_sud", "cs.recuperative_care", "cs.respite"]


def determined(session: Session, parties: Parties) -> None:
    """The plan's member determined for two PoFs (one Part 2) and two Community Supports."""
    for program in PROGRAMS:
        session.add(
            MemberDetermination(
                member_id=parties.member.id,
                program_id=program,
                as_of=dt.date(2026, 3, 1),
                eligible=True,
                offered=True,
                status="eligible",
                rule_version="2026.1",
                policy_hash="sha256:x",
                part2=program == "ecm.smh_sud",
            )
        )
    session.flush()


def test_the_plan_sees_ecm_and_every_pof_with_an_ecm_referral(
    session: Session, parties: Parties
) -> None:
    determined(session, parties)
    intake = ReferralService(session, parties.plan_user).create(
        member_id=parties.member.id, program_id="ecm", source_kind=ReferralSource.PLAN, now=NOW
    )
    assert [d.program_id for d in intake.determinations] == ["ecm.homeless_adult", "ecm.smh_sud"]


def test_a_cs_referral_carries_that_support_only(session: Session, parties: Parties) -> None:
    determined(session, parties)
    intake = ReferralService(session, parties.plan_user).create(
        member_id=parties.member.id,
        program_id="cs.respite",
        source_kind=ReferralSource.PLAN,
        now=NOW,
    )
    assert [d.program_id for d in intake.determinations] == ["cs.respite"]


def test_referrers_get_no_determinations(session: Session, parties: Parties) -> None:
    determined(session, parties)
    intake = ReferralService(session, parties.hospital).create(
        member=lookup(parties.member),
        program_id="ecm",
        source_kind=ReferralSource.HOSPITAL,
        now=NOW,
    )
    assert intake.determinations == ()
    joined = ReferralService(session, parties.clinic).create(
        member=lookup(parties.member), program_id="ecm", source_kind=ReferralSource.CLINIC, now=NOW
    )
    assert joined.determinations == ()


def test_the_receiver_sees_part2_only_with_consent(session: Session, parties: Parties) -> None:
    determined(session, parties)
    referral = (
        ReferralService(session, parties.hospital)
        .create(
            member=lookup(parties.member),
            program_id="ecm",
            source_kind=ReferralSource.HOSPITAL,
            receiving_organization_id=parties.ecm_provider.id,
            now=NOW,
        )
        .referral
    )
    service = ReferralService(session, parties.ecm_staff)
    today = NOW.date()
    assert [d.program_id for d in service.determinations_for(referral, today=today)] == [
        "ecm.homeless_adult"
    ]
    session.add(
        Part2Consent(
            member_id=parties.member.id,
            organization_id=parties.ecm_provider.id,
            granted_on=today,
            recorded_by_user_id=parties.plan_user.id,
        )
    )
    session.flush()
    shown = service.determinations_for(referral, today=today)
    assert [d.program_id for d in shown] == ["ecm.homeless_adult", "ecm.smh_sud"]
