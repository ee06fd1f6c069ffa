"""Access tokens: round trip, tampering, expiry boundaries, secrets."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

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


@pytest.mark.parametrize(
    "garbage",
    [
        "a.b.c",  # a last segment of one character: not base64 at all
        "a.b.cdefg",  # five characters: 1 mod 4 again
        "",
        ".",
        "...",
        "not a token",
        "é.ü.ß",
        "\x00.\x00.\x00",
    ],
)
def test_garbage_is_invalid_never_an_error(signer: TokenSigner, garbage: str) -> None:
    with pytest.raises(TokenInvalid):
        signer.read(garbage, ISSUED)


@settings(max_examples=300, deadline=None)
@given(st.text() | st.binary().map(lambda raw: raw.decode("latin-1")))
def test_any_text_or_bytes_reads_as_invalid_and_nothing_else(garbage: str) -> None:
    signer = TokenSigner("test-secret-not-used-anywhere-else", LIFETIME)
    try:
        signer.read(garbage, ISSUED)
    except TokenInvalid:
        return
    pytest.fail(f"{garbage!r} was read as a genuine token")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."))
def test_token_shaped_text_reads_as_invalid(garbage: str) -> None:
    signer = TokenSigner("test-secret-not-used-anywhere-else", LIFETIME)
    genuine = signer.issue(USER, ORG, "referrer", ISSUED, session_id=SESSION)
    # Pieces of a genuine token glued to generated ones: every split point and suffix.
    for candidate in (garbage, genuine[: len(garbage)] + garbage, genuine + garbage):
        if candidate == genuine:
            continue
        with pytest.raises(TokenInvalid):
            signer.read(candidate, ISSUED)


def test_a_token_without_a_session_is_malformed(signer: TokenSigner) -> None:
    serializer = URLSafeTimedSerializer("test-secret-not-used-anywhere-else", salt=tokens._SALT)
    old_style = serializer.dumps(
        {"sub": str(USER), "org": str(ORG), "role": "referrer", "iat": 0, "exp": 2**40}
    )
    with pytest.raises(TokenInvalid, match="malformed"):
        signer.read(old_style, ISSUED)
