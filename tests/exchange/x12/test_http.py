"""The /billing API end to end: encounter, bill a month, 837P, 835, denials, invoice."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from calaim.exchange.x12.validation import validate
from calaim.ops.billing import contracts
from calaim.ops.db import session_factory
from calaim.ops.models.billing import Remittance
from ops.billing.world import World, build_world, deliver
from ops.http.conftest import AuthHeaders

from .helpers import answer


@pytest.fixture
def world(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """A committed world under a plan code of its own, priced like the LACARE sample."""
    code = f"B{uuid.uuid4().hex[:8].upper()}"
    shutil.copy(contracts.contracts_dir() / "LACARE.yaml", tmp_path / f"{code}.yaml")
    monkeypatch.setattr(contracts, "contracts_dir", lambda: tmp_path)
    with session_factory(engine)() as session:
        built = build_world(session, code)
        for day in (1, 2, 3):
            deliver(session, built, dt.date(2025, 9, day))
        session.commit()
        session.expunge_all()
    return built


def test_bill_export_remit_report_invoice(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    staff = auth(world.cs_staff)
    dry = client.post("/billing/runs", json={"period": "2025-09", "dry_run": True}, headers=staff)
    assert dry.json()["expected"] == "600.00"
    assert dry.json()["claim_numbers"] == []
    run = client.post("/billing/runs", json={"period": "2025-09"}, headers=staff).json()
    assert (run["claims"], run["lines"]) == (1, 3)
    again = client.post("/billing/runs", json={"period": "2025-09"}, headers=staff).json()
    assert (again["claims"], again["already_billed"]) == (0, 3)
    x12 = client.post("/billing/exports/837", json={"period": "2025-09"}, headers=staff)
    assert x12.status_code == 200
    assert validate(x12.text) == []
    remit = answer(x12.text)
    upload = {
        "content": remit.encode(),
        "params": {"name": "remit.835"},
        "headers": {**staff, "Content-Type": "application/edi-x12"},
    }
    summary = client.post("/billing/remittances", **upload).json()
    assert (summary["matched"], summary["paid"], summary["expected"]) == (1, "400.00", "600.00")
    assert (summary["reversals"], summary["paid_in_file"]) == (0, "400.00")
    assert client.post("/billing/remittances", **upload).json()["duplicate"]
    (denial,) = client.get("/billing/denials", headers=auth(world.plan_admin)).json()
    assert (denial["reason"], denial["amount"]) == ("96", "200.00")
    claims = client.get("/billing/claims", headers=auth(world.plan_admin)).json()
    assert claims["items"][0]["status"] == "partial"
    invoice = client.post("/billing/exports/invoice", json={"period": "2025-09"}, headers=staff)
    assert invoice.text.count("T2033") == 3


def test_a_mangled_835_is_a_422_naming_the_segment(
    client: TestClient, auth: AuthHeaders, world: World, engine: Engine
) -> None:
    response = client.post(
        "/billing/remittances",
        content=b"ISA*00*garbage",
        params={"name": "bad.835"},
        headers=auth(world.cs_staff),
    )
    assert response.status_code == 422
    assert "bad.835: segment 1" in response.text
    with session_factory(engine)() as session:  # nothing stored for this provider
        stored = select(func.count()).where(Remittance.organization_id == world.cs.id)
        assert session.scalar(stored) == 0


def test_encounters_are_recorded_by_the_ecm_provider(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    body = {
        "enrollment_id": str(world.enrollment.id),
        "service_date": "2025-09-20",
        "mode": "telephonic",
        "staff_kind": "clinical",
        "minutes": 45,
    }
    created = client.post("/billing/encounters", json=body, headers=auth(world.lcm))
    assert created.status_code == 201, created.text
    assert client.post(
        "/billing/encounters", json=body, headers=auth(world.cs_staff)
    ).status_code in (403, 404)
    listed = client.get("/billing/encounters", headers=auth(world.plan_admin)).json()
    assert [row["mode"] for row in listed["items"]] == ["telephonic"]
    future = {**body, "service_date": "2025-12-01"}
    assert (
        client.post("/billing/encounters", json=future, headers=auth(world.lcm)).status_code == 422
    )
