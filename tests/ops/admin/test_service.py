"""Setting up a deployment: organizations, users and API keys, checked and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.admin.service import (
    create_organization,
    create_user,
    find_organization,
    issue_key,
)
from calaim.ops.auth import api_keys
from calaim.ops.auth.passwords import verify_password
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import AuditEvent, OrganizationKind, Role

PASSWORD = "correct horse battery"
NOW = dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC)


def test_a_plan_is_created_with_its_upper_case_code_and_audited(session: Session) -> None:
    plan = create_organization(
        session, name="Valley Plan", kind=OrganizationKind.PLAN, plan_code="vly", counties=["Kern"]
    )
    assert (plan.plan_code, plan.counties_served) == ("VLY", ["Kern"])
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(plan.id))
    ).all()
    assert actions == ["organization.create"]


@pytest.mark.parametrize(
    ("kind", "code"), [(OrganizationKind.PLAN, None), (OrganizationKind.REFERRER, "X1")]
)
def test_a_plan_code_is_required_for_plans_and_refused_for_others(
    session: Session, kind: OrganizationKind, code: str | None
) -> None:
    with pytest.raises(InvalidRequest, match="plan-code"):
        create_organization(session, name="Somebody", kind=kind, plan_code=code)


def test_names_and_plan_codes_are_unique(session: Session) -> None:
    create_organization(session, name="Valley Plan", kind=OrganizationKind.PLAN, plan_code="VLY")
    with pytest.raises(Conflict):
        create_organization(session, name="valley plan", kind=OrganizationKind.REFERRER)
    with pytest.raises(Conflict):
        create_organization(session, name="Other", kind=OrganizationKind.PLAN, plan_code="vly")


def test_an_organization_is_found_by_code_name_or_id_and_only_then(session: Session) -> None:
    plan = create_organization(
        session, name="Valley Plan", kind=OrganizationKind.PLAN, plan_code="VLY"
    )
    for reference in ("vly", "VALLEY PLAN", str(plan.id)):
        assert find_organization(session, reference) is plan
    with pytest.raises(NotFound, match="calaim org list"):
        find_organization(session, "Nowhere")


def test_a_user_gets_a_role_its_organization_allows_and_a_hashed_password(
    session: Session,
) -> None:
    clinic = create_organization(session, name="Clinic", kind=OrganizationKind.REFERRER)
    with pytest.raises(InvalidRequest, match="choose one of: referrer"):
        create_user(
            session,
            organization=clinic,
            email="a@clinic.org",
            name="A",
            role=Role.PLAN_ADMIN,
            password=PASSWORD,
        )
    person = create_user(
        session,
        organization=clinic,
        email=" A@Clinic.org ",
        name="A",
        role=Role.REFERRER,
        password=PASSWORD,
    )
    assert person.email == "a@clinic.org"
    assert person.password_hash
    assert verify_password(person.password_hash, PASSWORD)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create")).one()
    assert PASSWORD not in str(event.details)


def test_emails_are_unique_ignoring_case_and_weak_passwords_are_refused(
    session: Session,
) -> None:
    clinic = create_organization(session, name="Clinic", kind=OrganizationKind.REFERRER)
    create_user(
        session,
        organization=clinic,
        email="a@clinic.org",
        name="A",
        role=Role.REFERRER,
        password=PASSWORD,
    )
    with pytest.raises(Conflict):
        create_user(
            session,
            organization=clinic,
            email="A@CLINIC.ORG",
            name="B",
            role=Role.REFERRER,
            password=PASSWORD,
        )
    with pytest.raises(InvalidRequest) as refused:
        create_user(
            session,
            organization=clinic,
            email="b@clinic.org",
            name="B",
            role=Role.REFERRER,
            password="short",
        )
    assert refused.value.field == "password"


def test_an_issued_key_verifies_and_its_secret_is_not_audited(session: Session) -> None:
    clinic = create_organization(session, name="Clinic", kind=OrganizationKind.REFERRER)
    issued = issue_key(session, clinic, "referral feed", NOW)
    assert api_keys.verify(session, issued.full_key).organization_id == clinic.id
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.api_key_issued")
    ).one()
    assert event.organization_id == clinic.id
    assert api_keys.split(issued.full_key)[1] not in str(event.details)
