"""`calaim db upgrade`: migrates the configured database and says where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from calaim.cli import app
from calaim.ops.db import make_engine

runner = CliRunner()


def test_db_upgrade_defaults_to_a_sqlite_file_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    database = tmp_path / "calaim.db"
    assert str(database) in result.output.replace("\n", "")  # Rich wraps long paths
    engine = make_engine(f"sqlite:///{database}")
    assert "members" in inspect(engine).get_table_names()
    engine.dispose()
    # Running it again is harmless: already at the latest revision.
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0


def test_db_upgrade_reports_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "Check DATABASE_URL" in result.output
    assert "secret" not in result.output
    assert "Traceback" not in result.output


# No earlier months of engine runs: one identify per seed keeps the test short.
DEMO_ARGS = ["db", "demo", "--members", "300", "--history-months", "0", "--dir"]


def test_db_demo_seeds_once_and_prints_the_url(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(app, [*DEMO_ARGS, str(folder)])
    assert result.exit_code == 0, result.output
    database = folder / "calaim-demo.db"
    assert f"export DATABASE_URL=sqlite:///{database}" in result.output.replace("\n", "")
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        referrals = connection.exec_driver_sql("SELECT count(*) FROM referrals").scalar_one()
    engine.dispose()
    assert referrals > 0
    again = runner.invoke(app, [*DEMO_ARGS, str(folder)])
    assert again.exit_code == 0, again.output
    assert "Reusing the demo database" in again.output
