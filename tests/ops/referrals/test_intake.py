"""Intake: naming the member without its id, the referral form, duplicates joining the loop."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    AuditEvent,
    ContactPreference,
    Referral,
    ReferralForm,
    ReferralParty,
    ReferralSource,
    ReferralUrgency,
)
from calaim.ops.referrals.intake import IntakeForm, MemberLookup, MemberNotMatched
from calaim.ops.referrals.service import ReferralService

from ..factories import member
from .conftest import NOW, Parties, lookup

CS = "cs.recuperative_care"
FORM = IntakeForm(
    member_consented=True,
    urgency=ReferralUrgency.URGENT,
    referrer_contact_name="Dana Discharge",
    referrer_contact_phone="(213) 555-0100",
    referrer_contact_email="dana@hospital.example.org",
    reason="discharged, no safe place to recover",
    requested_services="recuperative care",
    member_phone="213-555-0199",
    member_contact_preference=ContactPreference.PHONE,
    notes="speaks Spanish",
)


def refer(session: Session, parties: Parties, who: str = "hospital", **kwargs: object):  # type: ignore[no-untyped-def]
    """An intake by `who` for the plan's member, by CIN and birth date."""
    arguments: dict[str, object] = {
        "member": lookup(parties.member),
        "program_id": CS,
        "source_kind": ReferralSource.HOSPITAL,
    } | kwargs
    return ReferralService(session, getattr(parties, who)).create(**arguments, now=NOW)  # type: ignore[arg-type]


def test_a_referrer_finds_the_member_by_cin_and_birth_date(
    session: Session, parties: Parties
) -> None:
    intake = refer(
        session,
        parties,
        member=MemberLookup(dt.date(1970, 5, 17), cin=str(parties.member.cin).lower()),
    )
    assert intake.created
    assert intake.referral.member_id == parties.member.id


def test_a_referrer_finds_the_member_by_name_and_birth_date(
    session: Session, parties: Parties
) -> None:
    by_name = MemberLookup(dt.date(1970, 5, 17), last_name=" member p0000001 ", first_name="ANA")
    intake = refer(session, parties, member=by_name)
    assert intake.referral.member_id == parties.member.id


@pytest.mark.parametrize(
    "wrong",
    [
        MemberLookup(dt.date(1970, 5, 18), cin="90000001A"),  # the birth date is off by a day
        MemberLookup(dt.date(1970, 5, 17), cin="99999999Z"),
        MemberLookup(dt.date(1970, 5, 17), last_name="Nobody", first_name="Ana"),
    ],
)
def test_no_match_is_a_generic_not_found_and_is_audited(
    session: Session, parties: Parties, wrong: MemberLookup
) -> None:
    with pytest.raises(MemberNotMatched, match="no single member matches") as error:
        refer(session, parties, member=wrong)
    assert str(parties.member.cin) not in str(error.value)
    assert session.scalars(select(Referral)).all() == []
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "referral.member_not_matched")
    ).all()
    assert event.actor_user_id == parties.hospital.id
    assert event.details == {"by": wrong.by()}


def test_two_matches_read_exactly_like_none(session: Session, parties: Parties) -> None:
    twin = member(session, parties.other_plan, "P0000009")
    twin.last_name = parties.member.last_name
    session.flush()
    by_name = MemberLookup(dt.date(1970, 5, 17), last_name=twin.last_name, first_name="Ana")
    nobody = MemberLookup(dt.date(1970, 5, 17), last_name="Nobody", first_name="Ana")
    with pytest.raises(MemberNotMatched) as several:
        refer(session, parties, member=by_name)
    with pytest.raises(MemberNotMatched) as none:
        refer(session, parties, member=nobody)
    assert str(several.value) == str(none.value)


def test_a_plan_naming_its_own_member_wins_over_a_namesake(
    session: Session, parties: Parties
) -> None:
    twin = member(session, parties.other_plan, "P0000009")
    twin.last_name = parties.member.last_name
    session.flush()
    by_name = MemberLookup(dt.date(1970, 5, 17), last_name=twin.last_name, first_name="Ana")
    intake = refer(session, parties, "plan_user", member=by_name, source_kind=ReferralSource.PLAN)
    assert intake.referral.member_id == parties.member.id


@pytest.mark.parametrize("who", ["hospital", "other_plan_user", "unrelated_provider"])
def test_referring_by_member_id_needs_the_member_in_scope(
    session: Session, parties: Parties, who: str
) -> None:
    with pytest.raises(MemberNotMatched):
        refer(session, parties, who, member=None, member_id=parties.member.id)


def test_a_lookup_needs_cin_or_both_names(session: Session, parties: Parties) -> None:
    with pytest.raises(InvalidRequest) as error:
        refer(session, parties, member=MemberLookup(dt.date(1970, 5, 17), last_name="Member"))
    assert error.value.field == "member"
    with pytest.raises(InvalidRequest):
        refer(session, parties, member_id=parties.member.id)  # both id and look-up


def test_members_and_families_can_refer(session: Session, parties: Parties) -> None:
    # A family member calls the plan's line; the plan enters it with the source kind.
    intake = refer(
        session,
        parties,
        "plan_user",
        source_kind=ReferralSource.MEMBER_OR_FAMILY,
        form=IntakeForm(member_consented=True, reason="daughter asks for help"),
    )
    assert intake.referral.source_kind == "member_or_family"


def test_the_form_is_kept_with_the_referral(session: Session, parties: Parties) -> None:
    intake = refer(session, parties, form=FORM)
    [form] = session.scalars(select(ReferralForm)).all()
    assert form.referral_id == intake.referral.id
    assert form.organization_id == parties.hospital.organization_id
    assert form.submitted_by_user_id == parties.hospital.id
    assert (form.urgency, form.member_contact_preference) == ("urgent", "phone")
    assert form.member_consented is True
    assert form.reason == FORM.reason


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"referrer_contact_phone": "call me"}, "referrer_contact_phone"),
        ({"member_phone": "12"}, "member_phone"),
        ({"referrer_contact_email": "dana at hospital"}, "referrer_contact_email"),
        ({"member_phone": None}, "member_phone"),  # prefers phone but gave none
    ],
)
def test_a_malformed_form_is_refused_by_field(
    session: Session, parties: Parties, change: dict[str, object], field: str
) -> None:
    bad = IntakeForm(**(FORM.__dict__ | change))
    with pytest.raises(InvalidRequest) as error:
        refer(session, parties, form=bad)
    assert error.value.field == field
    assert session.scalars(select(Referral)).all() == []


def test_a_second_referrer_joins_the_open_loop(session: Session, parties: Parties) -> None:
    first = refer(session, parties, form=FORM).referral
    second = refer(session, parties, "clinic", source_kind=ReferralSource.CLINIC, form=FORM)
    assert (second.created, second.joined, second.referral.id) == (False, True, first.id)
    [party] = session.scalars(select(ReferralParty)).all()
    assert party.organization_id == parties.clinic.organization_id
    assert party.source_kind == "clinic"
    forms = session.scalars(select(ReferralForm.organization_id)).all()
    assert set(forms) == {parties.hospital.organization_id, parties.clinic.organization_id}
    # The joiner follows the loop's status like the first referrer.
    assert ReferralService(session, parties.clinic).get(first.id) is first


def test_referring_again_from_the_same_organization_adds_no_party(
    session: Session, parties: Parties
) -> None:
    refer(session, parties)
    again = refer(session, parties)
    assert (again.created, again.joined) == (False, False)
    assert session.scalars(select(ReferralParty)).all() == []
    refer(session, parties, "clinic")
    third = refer(session, parties, "clinic")
    assert not third.joined
    assert len(session.scalars(select(ReferralParty)).all()) == 1


def test_losing_the_intake_race_joins_the_winner(
    session: Session, parties: Parties, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = refer(session, parties).referral
    service = ReferralService(session, parties.clinic)
    found = service.repository.find_open
    calls: list[int] = []

    def blind_first(*args: object) -> Referral | None:
        # The first check misses the winner, as if both intakes read before either wrote.
        calls.append(1)
        return None if len(calls) == 1 else found(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(service.repository, "find_open", blind_first)
    intake = service.create(
        member=lookup(parties.member), program_id=CS, source_kind=ReferralSource.CLINIC, now=NOW
    )
    assert (intake.created, intake.joined, intake.referral.id) == (False, True, winner.id)
    assert len(session.scalars(select(Referral)).all()) == 1
