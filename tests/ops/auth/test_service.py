"""Signing in by password and by API key, with every attempt audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.auth import service
from calaim.ops.auth.passwords import WeakPassword
from calaim.ops.auth.service import AuthenticationFailed
from calaim.ops.models import AuditEvent, OrganizationKind, Role, User

from ..factories import organization, user

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PASSWORD = "a long enough passphrase"


def _events(session: Session, action: str) -> list[AuditEvent]:
    session.flush()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _everything_recorded(session: Session) -> str:
    session.flush()
    return " ".join(
        f"{e.action} {e.entity_id} {e.details}" for e in session.scalars(select(AuditEvent))
    )


@pytest.fixture
def person(session: Session) -> User:
    plan = organization(session, OrganizationKind.PLAN, "AUTHPLAN")
    someone = user(session, plan, Role.PLAN_ADMIN)
    service.set_password(session, someone, PASSWORD, NOW)
    return someone


def test_right_password_signs_in_and_is_audited(session: Session, person: User) -> None:
    assert service.authenticate(session, person.email.upper(), PASSWORD) is person
    [event] = _events(session, "auth.login")
    assert (event.actor_user_id, event.entity_id) == (person.id, str(person.id))


def test_unknown_email_and_wrong_password_give_the_same_error(
    session: Session, person: User
) -> None:
    with pytest.raises(AuthenticationFailed) as unknown:
        service.authenticate(session, "nobody@example.org", PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        service.authenticate(session, person.email, "not the right passphrase")
    assert type(unknown.value) is type(wrong.value)
    assert str(unknown.value) == str(wrong.value)
    failures = _events(session, "auth.login_failed")
    assert len(failures) == 2
    assert "not the right passphrase" not in _everything_recorded(session)
    assert PASSWORD not in _everything_recorded(session)


def test_user_without_password_cannot_sign_in(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "AUTHPLAN2")
    someone = user(session, plan, Role.PLAN_ADMIN)
    with pytest.raises(AuthenticationFailed):
        service.authenticate(session, someone.email, "")


def test_set_password_enforces_the_policy_and_is_audited(session: Session, person: User) -> None:
    with pytest.raises(WeakPassword):
        service.set_password(session, person, "too short", NOW)
    assert len(_events(session, "auth.password_set")) == 1
    assert person.password_hash is not None
    assert PASSWORD not in person.password_hash


def test_api_key_signs_in_its_organization_and_is_audited(session: Session, person: User) -> None:
    org = organization(session, OrganizationKind.ECM_PROVIDER)
    issued = service.issue_api_key(session, person, org, "nightly", NOW)
    assert service.authenticate_api_key(session, issued.full_key) is org
    [used] = _events(session, "auth.api_key_used")
    assert used.organization_id == org.id
    assert _events(session, "auth.api_key_issued")
    secret = issued.full_key.rsplit("_", 1)[1]
    assert secret not in _everything_recorded(session)


def test_bad_api_keys_fail_alike_and_are_audited(session: Session, person: User) -> None:
    org = organization(session, OrganizationKind.ECM_PROVIDER)
    issued = service.issue_api_key(session, person, org, "nightly", NOW)
    bad = [issued.full_key + "x", "calaim_ffffffffffff_nothing", "garbage"]
    messages = set()
    for key in bad:
        with pytest.raises(AuthenticationFailed) as raised:
            service.authenticate_api_key(session, key)
        messages.add(str(raised.value))
    service.revoke_api_key(session, person, issued.api_key, NOW)
    with pytest.raises(AuthenticationFailed):
        service.authenticate_api_key(session, issued.full_key)
    assert len(messages) == 1
    assert len(_events(session, "auth.api_key_failed")) == 4
    assert len(_events(session, "auth.api_key_revoked")) == 1
    assert issued.full_key not in _everything_recorded(session)
