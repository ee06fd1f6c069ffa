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
