"""Sign-in throttling: failed attempts counted per account, per client and per API key.

Counts live in the database (`sign_in_throttles`), so every worker of a deployment shares them,
and each change is one atomic UPDATE committed on its own (a failed sign-in's request is rolled
back, its count must stay). After a few free failures each further one blocks the next attempt
for a delay that doubles, up to a maximum; enough failures lock the key for a while. A blocked
attempt is refused before any password is checked, with a Retry-After, and is not counted.

Accounts are keyed by the email as typed (normalized), whether or not such a user exists, so
throttling answers the same for real and unknown accounts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from calaim.ops.errors import TooManyAttempts
from calaim.ops.models import SignInCounter

TOO_MANY = "too many failed sign-in attempts; wait {seconds} seconds and try again"
KEY_LENGTH = 320


class Scope(StrEnum):
    """What a counter counts failures of."""

    ACCOUNT = "account"  # an email address, as typed
    CLIENT = "client"  # a client's network address (passwords and API keys alike)
    API_KEY = "api_key"  # an API key's prefix


@dataclass(frozen=True)
class ThrottleRule:
    """How failures of one scope turn into delays and a lockout."""

    free_failures: int
    first_delay: dt.timedelta
    max_delay: dt.timedelta
    lockout_after: int
    lockout: dt.timedelta
    # Failures are forgotten after this long without one.
    forget_after: dt.timedelta = dt.timedelta(hours=1)

    def block_after(self, failures: int) -> dt.timedelta:
        """How long the key is blocked after its `failures`-th failure."""
        if failures >= self.lockout_after:
            return self.lockout
        if failures <= self.free_failures:
            return dt.timedelta(0)
        doubled: dt.timedelta = self.first_delay * 2 ** (failures - self.free_failures - 1)
        return min(doubled, self.max_delay)


MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SignInLimits:
    """The rules per scope (defaults suit a production deployment)."""

    account: ThrottleRule = ThrottleRule(5, dt.timedelta(seconds=2), MINUTE, 10, 15 * MINUTE)
    client: ThrottleRule = ThrottleRule(20, dt.timedelta(seconds=1), MINUTE, 50, 15 * MINUTE)
    api_key: ThrottleRule = ThrottleRule(5, dt.timedelta(seconds=2), MINUTE, 10, 15 * MINUTE)
    rules: dict[Scope, ThrottleRule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rules = {Scope.ACCOUNT: self.account, Scope.CLIENT: self.client}
        object.__setattr__(self, "rules", {**rules, Scope.API_KEY: self.api_key})


@dataclass(frozen=True)
class ThrottleKey:
    """One counter: a scope and the value it counts (an email, an address, a key prefix)."""

    scope: Scope
    key: str

    @classmethod
    def of(cls, scope: Scope, value: str) -> ThrottleKey:
        """The key for `value`, normalized (emails compare case-insensitively)."""
        return cls(scope, value.strip().lower()[:KEY_LENGTH] or "-")


@dataclass(frozen=True)
class Outcome:
    """What a failure did to one counter."""

    key: ThrottleKey
    failures: int
    blocked_for: dt.timedelta
    locked: bool


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class SignInThrottle:
    """The counters of one database, with one set of limits."""

    def __init__(self, sessions: sessionmaker[Session], limits: SignInLimits | None = None):
        self._sessions = sessions
        self.limits = limits or SignInLimits()

    def check(self, keys: list[ThrottleKey], now: dt.datetime) -> list[ThrottleKey]:
        """Raise `TooManyAttempts` if any key is blocked at `now`; the keys that have failures."""
        with self._sessions() as session:
            rows = {k: session.get(SignInCounter, (k.scope.value, k.key)) for k in keys}
        until = [_aware(r.blocked_until) for r in rows.values() if r and r.blocked_until]
        latest = max(until, default=now)
        if latest > now:
            wait = math.ceil((latest - now).total_seconds())
            raise TooManyAttempts(TOO_MANY.format(seconds=wait), retry_after=wait)
        return [key for key, row in rows.items() if row is not None]

    def failed(self, keys: list[ThrottleKey], now: dt.datetime) -> list[Outcome]:
        """Count one failure on each key (atomically, committed now)."""
        with self._sessions() as session:
            outcomes = [self._count(session, key, now) for key in keys]
            session.commit()
        return outcomes

    def _count(self, session: Session, key: ThrottleKey, now: dt.datetime) -> Outcome:
        rule = self.limits.rules[key.scope]
        failures = _increment(session, key, now, rule.forget_after)
        blocked_for = rule.block_after(failures)
        if blocked_for:
            session.execute(
                update(SignInCounter).where(*_is(key)).values(blocked_until=now + blocked_for)
            )
        return Outcome(key, failures, blocked_for, failures >= rule.lockout_after)

    def succeeded(self, keys: list[ThrottleKey]) -> None:
        """Forget the keys' failures (a correct password or key)."""
        if not keys:
            return
        with self._sessions() as session:
            for key in keys:
                session.execute(delete(SignInCounter).where(*_is(key)))
            session.commit()


def _is(key: ThrottleKey) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (SignInCounter.scope == key.scope.value, SignInCounter.key == key.key)


def _increment(
    session: Session, key: ThrottleKey, now: dt.datetime, forget_after: dt.timedelta
) -> int:
    """Add one failure (starting over after `forget_after` without one); the new count."""
    stale = SignInCounter.last_failure_at < now - forget_after
    bump = (
        update(SignInCounter)
        .where(*_is(key))
        .values(failures=case((stale, 1), else_=SignInCounter.failures + 1), last_failure_at=now)
    )
    if not int(getattr(session.execute(bump), "rowcount", 0) or 0):
        try:
            with session.begin_nested():
                session.add(
                    SignInCounter(
                        scope=key.scope.value, key=key.key, failures=1, last_failure_at=now
                    )
                )
        except IntegrityError:
            session.execute(bump)  # a simultaneous failure created the row first
    failures = session.scalar(select(SignInCounter.failures).where(*_is(key)))
    return int(failures or 0)


def locked_now(session: Session, now: dt.datetime) -> list[SignInCounter]:
    """Every counter blocked at `now` (what an operator may unlock), by kind and key."""
    rows = session.scalars(
        select(SignInCounter)
        .where(SignInCounter.blocked_until > now)
        .order_by(SignInCounter.scope, SignInCounter.key)
    )
    return list(rows)


def unlock(session: Session, keys: list[ThrottleKey]) -> int:
    """Forget the keys' failures and blocks (an administrator's unlock); how many there were."""
    removed = 0
    for key in keys:
        result = session.execute(delete(SignInCounter).where(*_is(key)))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
