"""`calaim org` and `calaim user`: set up a deployment from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from calaim.cli import app

runner = CliRunner()
ADD_USER = ["user", "add", "--password-stdin", "--org"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a migrated SQLite database, the default when DATABASE_URL is unset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_add_a_plan_a_user_and_a_key(here: Path) -> None:
    added = runner.invoke(
        app, ["org", "add", "--name", "Valley Plan", "--kind", "plan", "--plan-code", "VLY"]
    )
    assert added.exit_code == 0, added.output
    user = runner.invoke(
        app,
        [*ADD_USER, "vly", "--email", "um@valley.org", "--role", "plan_utilization_management"],
        input="a long enough password\n",
    )
    assert user.exit_code == 0, user.output
    assert "um@valley.org" in user.output
    key = runner.invoke(app, ["org", "key", "--org", "Valley Plan", "--name", "feed"])
    assert key.exit_code == 0, key.output
    assert "calaim_" in key.output
    listed = runner.invoke(app, ["org", "list"])
    assert "Valley Plan" in listed.output
    assert "VLY" in listed.output


def test_mistakes_are_explained_with_exit_code_2_and_change_nothing(here: Path) -> None:
    refused = runner.invoke(app, ["org", "add", "--name", "No Code", "--kind", "plan"])
    assert refused.exit_code == 2
    assert "plan-code" in refused.output
    assert "Traceback" not in refused.output
    missing = runner.invoke(
        app,
        [*ADD_USER, "Nowhere", "--email", "a@b.org", "--role", "referrer"],
        input="a long enough password\n",
    )
    assert missing.exit_code == 2
    assert "calaim org list" in missing.output
    listed = runner.invoke(app, ["org", "list"])
    assert "No Code" not in listed.output


def _plan_with_user(email: str) -> None:
    runner.invoke(
        app, ["org", "add", "--name", "Lock Plan", "--kind", "plan", "--plan-code", "LCK"]
    )
    made = runner.invoke(
        app,
        [*ADD_USER, "LCK", "--email", email, "--role", "plan_admin"],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output


def test_unlock_sign_out_everywhere_and_password(here: Path) -> None:
    import datetime as dt

    from calaim.ops.auth.throttle import Scope, SignInThrottle, ThrottleKey
    from calaim.ops.auth.tokens import TokenSigner
    from calaim.ops.db import make_engine, session_factory
    from calaim.ops.models import SignInSession

    _plan_with_user("admin@lock.org")
    engine = make_engine()
    sessions = session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    throttle = SignInThrottle(sessions)
    keys = [
        ThrottleKey.of(Scope.ACCOUNT, "Admin@Lock.org"),
        ThrottleKey.of(Scope.CLIENT, "1.2.3.4"),
    ]
    for _ in range(50):  # locks the account and the client (15 minutes)
        throttle.failed(keys, now)
    locks = runner.invoke(app, ["user", "locks"])
    assert "admin@lock.org" in locks.output
    assert "1.2.3.4" in locks.output
    unlocked = runner.invoke(
        app, ["user", "unlock", "--email", "ADMIN@lock.org", "--client", "1.2.3.4"]
    )
    assert unlocked.exit_code == 0, unlocked.output
    assert "Cleared 2" in unlocked.output
    assert throttle.check(keys, now) == []
    nothing = runner.invoke(app, ["user", "unlock"])
    assert nothing.exit_code == 2
    assert "--email" in nothing.output

    from calaim.ops.auth import sessions as sign_ins
    from calaim.ops.models import User

    with sessions() as session:
        person = session.query(User).filter_by(email="admin@lock.org").one()
        sign_ins.start(session, TokenSigner("x" * 40), person, now, "api")
        session.commit()
    ended = runner.invoke(app, ["user", "sign-out-everywhere", "--email", "admin@lock.org"])
    assert ended.exit_code == 0
    assert "Ended 1 session" in ended.output
    changed = runner.invoke(
        app, ["user", "password", "--email", "admin@lock.org", "--password-stdin"], input="short\n"
    )
    assert changed.exit_code == 2
    assert "12 characters" in changed.output
    with sessions() as session:
        rows = session.query(SignInSession).all()
        assert [row.revoked_reason for row in rows] == ["revoked_by_admin"]
    engine.dispose()


@pytest.mark.parametrize("secret", ["x", "short-but-not-32-bytes-long"])
def test_serve_refuses_a_short_secret_key(
    here: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("CALAIM_SECRET_KEY", secret)
    refused = runner.invoke(app, ["serve", "--port", "1"])
    assert refused.exit_code == 2
    assert "too short" in refused.output
    assert "secrets.token_urlsafe(48)" in refused.output
    assert "Traceback" not in refused.output


def test_a_32_byte_secret_is_long_enough() -> None:
    from calaim.ops.auth.tokens import weak_secret_problem

    assert weak_secret_problem("k" * 32) is None
    assert weak_secret_problem("k" * 31) is not None
