"""`calaim exchange layouts|export|import` on a SQLite database (one transaction per command)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from calaim.cli import app
from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade

from .world import PERIOD, build

runner = CliRunner()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a migrated SQLite database holding the test world."""
    url = f"sqlite:///{tmp_path / 'calaim.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session, session.begin():
        build(session)
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return tmp_path


def test_layouts_lists_layouts_and_variants() -> None:
    result = runner.invoke(app, ["exchange", "layouts"])
    assert result.exit_code == 0, result.output
    for name in ("rtf", "cs_invoice", "healthnet", "kaiser"):
        assert name in result.output


def test_export_then_import_then_again(here: Path) -> None:
    ecm = "--org", _ecm_name(here)
    exported = runner.invoke(
        app,
        ["exchange", "export", "rtf", *ecm, "--to", "LACARE", "--period", PERIOD,
         "--variant", "lacare", "--format", "xlsx", "--out", "rtf.xlsx"],
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert "Wrote 5 rows" in exported.output
    args = ["exchange", "import", "rtf", "rtf.xlsx", "--org", "LACARE", "--variant", "lacare"]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    applied = runner.invoke(app, args)
    assert "checked and applied" in applied.output
    again = runner.invoke(app, args)
    assert "already applied; nothing changed" in again.output


def test_bad_input_is_a_table_and_exit_code_2(here: Path) -> None:
    (here / "bad.csv").write_text("Member Client Index Number (CIN),Surprise\nX,1\n")
    result = runner.invoke(app, ["exchange", "import", "otf", "bad.csv", "--org", "LACARE"])
    assert result.exit_code == 2
    assert "nothing was applied" in result.output
    assert "Surprise" in result.output
    period = runner.invoke(
        app, ["exchange", "export", "mif", "--org", "LACARE", "--period", "2025-9", "--out", "m"]
    )
    assert period.exit_code == 2
    assert "YYYY-MM" in period.output
    assert "Traceback" not in period.output


def _ecm_name(here: Path) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{here / 'calaim.db'}")
    with engine.connect() as connection:
        name = connection.execute(text("SELECT name FROM organizations WHERE kind='ecm_provider'"))
        found = str(name.scalar_one())
    engine.dispose()
    return found
