"""Password hashing (argon2id) and the minimum password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 12

# argon2-cffi's defaults follow RFC 9106's recommendations; one hasher for the whole process.
_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """A new password does not meet the minimum policy."""


def check_policy(password: str) -> None:
    """Raise `WeakPassword` unless `password` meets the minimum policy (length ≥ 12)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters "
            f"(this one has {len(password)}); a few unrelated words make a good one."
        )


def hash_password(password: str) -> str:
    """An argon2 hash of `password` (salted; the same password hashes differently each time)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be redone."""
    return _hasher.check_needs_rehash(password_hash)
