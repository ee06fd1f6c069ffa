"""`calaim exchange bill | sample-835 | remit | invoice` on a file database, end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calaim.cli import app
from calaim.exchange.x12.validation import validate
from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade
from ops.billing.world import build_world, deliver


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file with a billed-ready world; DATABASE_URL points at it."""
    url = f"sqlite:///{tmp_path / 'calaim.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        world = build_world(session)
        for day in (1, 2, 3):
            deliver(session, world, dt.date(2025, 9, day))
        session.commit()
        name = world.cs.name
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return name


def test_bill_remit_invoice(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out, remit = tmp_path / "claims.837", tmp_path / "remit.835"
    bill = [
        "exchange",
        "bill",
        "--org",
        database,
        "--period",
        "2025-09",
        "--out",
        str(out),
        "--produced-at",
        "2025-10-02T09:30",
    ]
    result = runner.invoke(app, bill)
    assert result.exit_code == 0, result.output
    assert "$600.00" in result.output
    assert validate(out.read_text()) == []
    again = runner.invoke(app, [*bill[:-4], "--out", str(tmp_path / "again.837"), *bill[-2:]])
    assert "Nothing new to bill" in " ".join(again.output.split())
    assert not (tmp_path / "again.837").exists()
    sample = ["exchange", "sample-835", str(out), "--out", str(remit), "--paid-on", "2025-10-20"]
    assert runner.invoke(app, sample).exit_code == 0
    result = runner.invoke(app, ["exchange", "remit", str(remit), "--org", database])
    assert result.exit_code == 0, result.output
    assert "$400.00" in result.output
    twice = runner.invoke(app, ["exchange", "remit", str(remit), "--org", database]).output
    assert "already reconciled: nothing changed" in " ".join(twice.split())
    invoice = tmp_path / "invoice.csv"
    result = runner.invoke(
        app,
        [
            "exchange",
            "invoice",
            "--org",
            database,
            "--period",
            "2025-09",
            "--out",
            str(invoice),
            "--invoice-date",
            "2025-10-02",
        ],
    )
    assert result.exit_code == 0, result.output
    assert invoice.read_text().count("T2033") == 3


def test_a_broken_835_is_an_error_without_traceback(database: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.835"
    bad.write_text("ISA*00*" + "x" * 200)
    result = CliRunner().invoke(app, ["exchange", "remit", str(bad), "--org", database])
    assert result.exit_code == 2
    assert "segment 1" in result.output
    assert "Traceback" not in result.output


def test_reversal_and_correction_from_the_cli(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    claims, first, second = tmp_path / "claims.837", tmp_path / "r1.835", tmp_path / "r2.835"
    org = ["--org", database]
    bill = ["exchange", "bill", *org, "--period", "2025-09", "--out", str(claims)]
    assert runner.invoke(app, [*bill, "--produced-at", "2025-10-02T09:30"]).exit_code == 0
    sample = ["exchange", "sample-835", str(claims), "--paid-on"]
    assert runner.invoke(app, [*sample, "2025-10-20", "--out", str(first)]).exit_code == 0
    assert runner.invoke(app, ["exchange", "remit", str(first), *org]).exit_code == 0
    reverse = [*sample, "2025-11-05", "--out", str(second), "--reverse", str(first)]
    result = runner.invoke(app, [*reverse, "--deny-every", "0"])
    assert result.exit_code == 0, result.output
    assert "reversal and correction" in " ".join(result.output.split())
    assert validate(second.read_text()) == []
    assert "*22*-600*-400*" in second.read_text()
    result = runner.invoke(app, ["exchange", "remit", str(second), *org])
    assert result.exit_code == 0, result.output
    row = " ".join(result.output.split())
    assert "reversals (CLP02 22) │ 1 │" in row
    assert "paid to date (net, every 835) │ $600.00 │" in row
    assert "paid in this file │ $200.00 │" in row
    assert "No adjustments standing" in row
    twice = runner.invoke(app, ["exchange", "remit", str(second), *org]).output
    assert "already reconciled: nothing changed" in " ".join(twice.split())


def test_a_reversal_of_an_unreconciled_835_is_refused(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    claims, first, second = tmp_path / "claims.837", tmp_path / "r1.835", tmp_path / "r2.835"
    bill = ["exchange", "bill", "--org", database, "--period", "2025-09", "--out", str(claims)]
    assert runner.invoke(app, [*bill, "--produced-at", "2025-10-02T09:30"]).exit_code == 0
    sample = ["exchange", "sample-835", str(claims), "--paid-on", "2025-10-20"]
    assert runner.invoke(app, [*sample, "--out", str(first)]).exit_code == 0
    assert (
        runner.invoke(app, [*sample, "--out", str(second), "--reverse", str(first)]).exit_code == 0
    )
    result = runner.invoke(app, ["exchange", "remit", str(second), "--org", database])
    assert result.exit_code == 2, result.output
    assert "segment 13, element CLP04" in result.output
    assert "Traceback" not in result.output
