"""The review desk: approvals against the engine need a reason; pend, extend and deny follow the
clock rules and send a Notice of Action letter in the member's language to member and provider."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import AuditEvent, Authorization, Notice
from calaim.ops.models.letter import AuthorizationReview, Letter
from calaim.ops.models.task import Task
from calaim.ops.review.clock import PendRefused
from calaim.ops.review.schemas import ApprovalTerms, Denial, Extension, Frequency, Pend
from calaim.ops.review.service import OverrideReasonRequired, ReviewService

from ..authorizations.conftest import Parties, at, determination

# Before 2025 LACARE allows no presumptive ECM: a request waits for the reviewer.
ASKED = at(2024, 10, 1, 9, 0)
DECIDED = at(2024, 10, 3, 10, 0)


def request(session: Session, parties: Parties, program: str = "ecm") -> Authorization:
    return AuthorizationService(session, parties.um).request(
        member_id=parties.member.id,
        program_id=program,
        now=ASKED,
        provider_organization_id=parties.ecm_provider.id,
    )


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives stored UTC times back naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def text_of(letter: Letter) -> str:
    pages = PdfReader(io.BytesIO(letter.pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def terms(**changes: object) -> ApprovalTerms:
    values: dict[str, object] = {
        "start_date": dt.date(2024, 10, 3),
        "end_date": dt.date(2025, 4, 2),
        "units": Decimal("4"),
        "frequency": Frequency.PER_MONTH,
    }
    return ApprovalTerms.model_validate({**values, **changes})


def test_approving_against_a_not_eligible_engine_needs_a_reason(
    session: Session, parties: Parties
) -> None:
    determination(session, parties.member, "ecm", dt.date(2024, 9, 30), status="not_eligible")
    pending = request(session, parties)
    desk = ReviewService(session, parties.um)
    with pytest.raises(OverrideReasonRequired) as refused:
        desk.approve(pending.id, terms(), expected_version=pending.version, now=DECIDED)
    assert "not eligible" in str(refused.value)
    assert pending.status == "pending"

    reason = "Hospital discharge summary shows two recent ED visits not yet in claims"
    approved = desk.approve(
        pending.id, terms(override_reason=reason), expected_version=pending.version, now=DECIDED
    )
    assert (approved.status, approved.start_date, approved.end_date) == (
        "approved", dt.date(2024, 10, 3), dt.date(2025, 4, 2)
    )  # fmt: skip
    assert approved.units_authorized == Decimal("4")
    review = session.scalars(select(AuthorizationReview)).one()
    assert (review.action, review.override_reason, review.engine_status) == (
        "approve", reason, "not_eligible"
    )  # fmt: skip
    assert (review.by_user_id, review.frequency) == (parties.um.id, "per_month")
    override = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "authorization.override")
    ).one()
    assert override.details["reason"] == reason


def test_an_approval_sends_a_spanish_letter_with_the_rights(
    session: Session, parties: Parties
) -> None:
    pending = request(session, parties)  # no determination: the reviewer must confirm
    approved = ReviewService(session, parties.um).approve(
        pending.id, terms(override_reason="Clinical review of the referral documents"),
        expected_version=pending.version, now=DECIDED,
    )  # fmt: skip
    letter = session.scalars(select(Letter).where(Letter.authorization_id == approved.id)).one()
    assert (letter.language, letter.kind) == ("es", "approval")
    words = text_of(letter)
    assert "Aviso de acción: su solicitud fue aprobada" in words
    assert "Administración de Atención Mejorada" in words
    assert "60 días" in words
    assert "Audiencia Estatal" in words
    assert "120 días" in words
    assert "4 por mes" in words
    assert "3 de octubre de 2024" in words
    notices = session.scalars(select(Notice).where(Notice.subject_id == approved.id)).all()
    assert {n.recipient for n in notices} == {"member", "organization"}
    assert all(n.content["letter_id"] == str(letter.id) for n in notices)


def test_stale_is_one_day_past_the_threshold(session: Session, parties: Parties) -> None:
    # determination_stale_days is 31: 31 days old is fresh, 32 days old is stale.
    pending = request(session, parties)
    determination(session, parties.member, "ecm", DECIDED.date() - dt.timedelta(days=32))
    desk = ReviewService(session, parties.um)
    assert desk.engine(pending, DECIDED).warnings == ("stale",)
    determination(session, parties.member, "ecm", DECIDED.date() - dt.timedelta(days=31))
    view = desk.engine(pending, DECIDED)
    assert view.warnings == ()
    assert view.days_old == 31
    assert view.eligible


def test_pend_extends_the_routine_clock_once_to_28_days(session: Session, parties: Parties) -> None:
    pending = request(session, parties)
    first_due = pending.decision_due_at
    desk = ReviewService(session, parties.um)
    pended = desk.pend(
        pending.id, Pend(information="Discharge summary from the hospital"),
        expected_version=pending.version, now=DECIDED,
    )  # fmt: skip
    # 14 calendar days from the request, plus one 14-day extension.
    assert aware(pended.decision_due_at) == ASKED + dt.timedelta(days=28)
    assert pended.decision_due_at > first_due
    assert pended.status == "pending"
    kinds = {n.kind for n in session.scalars(select(Notice).where(Notice.subject_id == pending.id))}
    assert "authorization_delayed" in kinds
    letter = session.scalars(select(Letter).where(Letter.kind == "delay")).one()
    assert "Discharge summary from the hospital" in text_of(letter)
    task = session.scalars(select(Task).where(Task.kind == "information_request")).one()
    # The information is due 14 days after the pend (before the extended deadline, minus 2).
    assert aware(task.due_at) == DECIDED + dt.timedelta(days=14)
    with pytest.raises(PendRefused, match="already extended once"):
        desk.pend(pending.id, Pend(information="more"), expected_version=pended.version,
                  now=DECIDED + dt.timedelta(hours=1))  # fmt: skip


def test_pend_is_refused_once_the_decision_is_due(session: Session, parties: Parties) -> None:
    pending = request(session, parties)
    desk = ReviewService(session, parties.um)
    due = pending.decision_due_at
    with pytest.raises(PendRefused, match="already due"):
        desk.pend(pending.id, Pend(information="x"), expected_version=pending.version, now=due)
    one_minute_before = due - dt.timedelta(minutes=1)
    pended = desk.pend(
        pending.id, Pend(information="x"), expected_version=pending.version, now=one_minute_before
    )
    assert aware(pended.decision_due_at) == ASKED + dt.timedelta(days=28)


def test_extend_moves_the_end_date_within_twelve_months(session: Session, parties: Parties) -> None:
    pending = request(session, parties)
    desk = ReviewService(session, parties.um)
    approved = desk.approve(pending.id, terms(override_reason="reviewed"),
                            expected_version=pending.version, now=DECIDED)  # fmt: skip
    later = DECIDED + dt.timedelta(days=150)
    too_far = Extension(end_date=dt.date(2026, 4, 3), reason="r", override_reason="reviewed")
    with pytest.raises(InvalidRequest, match="at most 12 months"):
        desk.extend(approved.id, too_far, expected_version=approved.version, now=later)
    earlier = Extension(end_date=dt.date(2025, 4, 2), reason="r", override_reason="reviewed")
    with pytest.raises(InvalidRequest, match="after the current one"):
        desk.extend(approved.id, earlier, expected_version=approved.version, now=later)
    longest = Extension(end_date=dt.date(2026, 4, 2), reason="Still in recovery",
                        override_reason="reviewed")  # fmt: skip
    extended = desk.extend(approved.id, longest, expected_version=approved.version, now=later)
    assert extended.end_date == dt.date(2026, 4, 2)
    letter = session.scalars(select(Letter).where(Letter.kind == "extension")).one()
    assert "Still in recovery" in text_of(letter)
    pending_again = request(session, parties, "cs.respite")
    with pytest.raises(Conflict):
        desk.extend(pending_again.id, longest, expected_version=pending_again.version, now=later)


def test_a_denial_letter_in_english_names_the_reason_and_the_state_hearing(
    session: Session, parties: Parties
) -> None:
    parties.member.language = "en"
    pending = request(session, parties)
    denied = ReviewService(session, parties.um).deny(
        pending.id,
        Denial(reason_code="not_eligible", reason="No qualifying condition was documented."),
        expected_version=pending.version,
        now=DECIDED,
    )
    assert denied.status == "denied"
    letter = session.scalars(select(Letter).where(Letter.authorization_id == denied.id)).one()
    words = text_of(letter)
    assert letter.language == "en"
    assert "Notice of Action: your request is denied" in words
    assert "You do not meet the rules for this service." in words
    assert "No qualifying condition was documented." in words
    assert "State Hearing" in words
    assert "within 120 days" in words
    assert "Decided by Test User on October 3, 2024" in words


def test_a_member_language_without_letters_gets_english(session: Session, parties: Parties) -> None:
    parties.member.language = "zh"
    pending = request(session, parties)
    ReviewService(session, parties.um).deny(
        pending.id, Denial(reason_code="other", reason="Text"),
        expected_version=pending.version, now=DECIDED,
    )  # fmt: skip
    assert session.scalars(select(Letter.language)).one() == "en"
