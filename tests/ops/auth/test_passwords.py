"""Password hashing and the minimum policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from calaim.ops.auth.passwords import (
    WeakPassword,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_hash_verifies_the_right_password_only() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse battery!")


def test_hashes_are_salted() -> None:
    assert hash_password("same password here") != hash_password("same password here")


def test_malformed_hash_never_matches() -> None:
    assert not verify_password("not-a-hash", "anything at all")


def test_weak_parameters_need_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("long enough pass")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("long enough pass"))


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_short_passwords_are_refused_with_a_clear_error(password: str) -> None:
    with pytest.raises(WeakPassword, match="at least 12 characters"):
        check_policy(password)


def test_twelve_characters_are_enough() -> None:
    check_policy("twelve chars")
