"""Access tokens: round trip, tampering, expiry boundaries, secrets."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest

from calaim.ops.auth import tokens
from calaim.ops.auth.tokens import TokenExpired, TokenInvalid, TokenSigner

ISSUED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LIFETIME = dt.timedelta(minutes=30)
USER, ORG, SESSION = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture
def signer() -> TokenSigner:
    return TokenSigner("test-secret-not-used-anywhere-else", LIFETIME)


def test_round_trip_carries_user_organization_and_role(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "plan_admin", ISSUED, session_id=SESSION)
    claims = signer.read(token, ISSUED + dt.timedelta(minutes=1))
    assert (claims.user_id, claims.organization_id, claims.role) == (USER, ORG, "plan_admin")
    assert (claims.issued_at, claims.expires_at) == (ISSUED, ISSUED + LIFETIME)


def test_clock_function_supplies_now(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    assert signer.read_with_clock(token, lambda: ISSUED).role == "referrer"


def test_tampered_token_is_invalid(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    payload, _, signature = token.rpartition(".")
    forged = TokenSigner("another secret", LIFETIME).issue(
        USER, ORG, "plan_admin", ISSUED, session_id=SESSION
    )
    middle = len(token) - len(signature) // 2
    candidates = [
        token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :],
        forged.rsplit(".", 1)[0] + "." + signature,
        payload,
        "",
        "garbage",
    ]
    for candidate in candidates:
        with pytest.raises(TokenInvalid) as raised:
            signer.read(candidate, ISSUED)
        assert not isinstance(raised.value, TokenExpired)


def test_only_the_canonical_spelling_of_the_signature_is_accepted(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respellings = [token[:-1] + letter for letter in alphabet if letter != token[-1]]
    for respelled in respellings:
        with pytest.raises(TokenInvalid):
            signer.read(respelled, ISSUED)
    assert signer.read(token, ISSUED).role == "referrer"


def test_one_second_before_expiry_is_valid(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    signer.read(token, ISSUED + LIFETIME - dt.timedelta(seconds=1))


def test_expired_at_exactly_the_expiry_instant(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    with pytest.raises(TokenExpired):
        signer.read(token, ISSUED + LIFETIME)


def test_wrong_secret_is_invalid(signer: TokenSigner) -> None:
    token = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    with pytest.raises(TokenInvalid):
        TokenSigner("a different secret", LIFETIME).read(token, ISSUED)


def test_naive_times_are_refused(signer: TokenSigner) -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        signer.issue(USER, ORG, "referrer", ISSUED.replace(tzinfo=None), session_id=SESSION)


def test_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tokens.SECRET_KEY_VARIABLE, "from-the-environment")
    assert tokens.secret_key() == "from-the-environment"
    token = TokenSigner(lifetime=LIFETIME).issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    TokenSigner("from-the-environment", LIFETIME).read(token, ISSUED)


def test_unset_secret_is_random_per_process_and_warned(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(tokens.SECRET_KEY_VARIABLE, raising=False)
    monkeypatch.setattr(tokens, "_process_secret", None)
    with caplog.at_level(logging.WARNING, logger=tokens.__name__):
        first = tokens.secret_key()
    assert len(first) >= 32
    assert tokens.secret_key() == first
    assert "will not survive a restart" in caplog.text
