"""Organization API keys: issue once, verify by prefix then hash, revoke."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.auth import api_keys
from calaim.ops.auth.api_keys import ApiKeyInvalid
from calaim.ops.models import OrganizationKind

from ..factories import organization

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_issue_returns_the_full_key_once_and_stores_only_a_hash(session: Session) -> None:
    org = organization(session, OrganizationKind.ECM_PROVIDER)
    issued = api_keys.issue(session, org, "billing export", NOW)
    scheme, prefix, secret = issued.full_key.split("_", 2)
    assert (scheme, prefix) == ("calaim", issued.api_key.prefix)
    assert secret not in issued.api_key.secret_hash
    assert issued.api_key.secret_hash.startswith("$argon2id$")
    assert issued.api_key.revoked_at is None
    session.expire_all()
    assert api_keys.find_by_prefix(session, prefix) is not None


def test_verify_finds_the_organization(session: Session) -> None:
    org = organization(session, OrganizationKind.CS_PROVIDER)
    issued = api_keys.issue(session, org, "sync", NOW)
    assert api_keys.verify(session, issued.full_key).organization_id == org.id


def test_wrong_secret_is_refused(session: Session) -> None:
    org = organization(session, OrganizationKind.CS_PROVIDER)
    issued = api_keys.issue(session, org, "sync", NOW)
    with pytest.raises(ApiKeyInvalid):
        api_keys.verify(session, issued.full_key[:-2] + "zz")


def test_unknown_prefix_is_refused(session: Session) -> None:
    with pytest.raises(ApiKeyInvalid):
        api_keys.verify(session, "calaim_0000000000ff_whatever-secret")


@pytest.mark.parametrize("key", ["", "calaim", "calaim__x", "other_abc_def", "calaim_abc_"])
def test_malformed_keys_are_refused(session: Session, key: str) -> None:
    with pytest.raises(ApiKeyInvalid):
        api_keys.verify(session, key)


def test_revoked_key_is_refused(session: Session) -> None:
    org = organization(session, OrganizationKind.REFERRER)
    issued = api_keys.issue(session, org, "old", NOW)
    api_keys.revoke(issued.api_key, NOW + dt.timedelta(days=1))
    api_keys.revoke(issued.api_key, NOW + dt.timedelta(days=2))
    session.flush()
    assert issued.api_key.revoked_at is not None
    with pytest.raises(ApiKeyInvalid, match="revoked"):
        api_keys.verify(session, issued.full_key)
