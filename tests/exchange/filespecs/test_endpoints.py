"""The exchange files API: layouts, export as a download, import with located 422s."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.db import session_factory
from calaim.ops.models import Role, User
from ops import factories
from ops.http.conftest import AuthHeaders, assert_error

from .world import PERIOD, World, build


def _world(engine: Engine) -> World:
    with session_factory(engine)() as session, session.begin():
        world = build(session, tag=uuid.uuid4().hex[:6].upper())
        session.expunge_all()
    return world


def test_layouts_list_columns_and_variants(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    world = _world(engine)
    body = client.get("/exchange/files/layouts", headers=auth(world.plan_user)).json()
    rtf = next(layout for layout in body if layout["id"] == "rtf")
    assert "Reason for Referral Loop Closure" in [c["header"] for c in rtf["columns"]]
    lacare = next(v for v in rtf["variants"] if v["id"] == "lacare")
    assert lacare["headers"][:2] == ["CIN", "Last Name"]


def test_export_import_round_trip_and_replay(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    world = _world(engine)
    plan_code = str(world.plan.plan_code)
    exported = client.get(
        "/exchange/files/export",
        params={
            "layout": "rtf",
            "reporting_period": PERIOD,
            "variant": "healthnet",
            "format": "xlsx",
            "partner": plan_code,
        },
        headers=auth(world.ecm_user),
    )
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["content-disposition"]
    upload = {"file": ("rtf.xlsx", exported.content)}
    form = {"variant": "healthnet", "layout": "rtf"}
    first = client.post(
        "/exchange/files/import", files=upload, data=form, headers=auth(world.plan_user)
    )
    assert first.status_code == 200, first.text
    assert first.json()["applied"] is True
    assert first.json()["rows"] == 5
    again = client.post(
        "/exchange/files/import", files=upload, data=form, headers=auth(world.plan_user)
    )
    assert again.json()["already_applied"] is True
    assert "nothing changed" in again.json()["message"]
    listed = client.get("/exchange/files/ingested", headers=auth(world.plan_user)).json()
    assert [item["layout"] for item in listed["items"]] == ["rtf"]


def test_a_bad_file_is_a_located_422(client: TestClient, engine: Engine, auth: AuthHeaders) -> None:
    world = _world(engine)
    upload = {"file": ("otf.csv", b"Member Client Index Number (CIN)\nX1\n")}
    response = client.post(
        "/exchange/files/import",
        files=upload,
        data={"layout": "otf"},
        headers=auth(world.plan_user),
    )
    body = assert_error(response, 422, "invalid")
    details = body["details"]
    assert isinstance(details, dict)
    assert details["problem_count"] >= 1
    assert details["problems"][0]["row"] == 1
    assert details["problems"][0]["file"] == "otf.csv"


def test_wrong_side_unknown_layout_and_role(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    world = _world(engine)
    url, headers = "/exchange/files/export", auth(world.plan_user)
    wrong_side = client.get(
        url, params={"layout": "rtf", "reporting_period": PERIOD}, headers=headers
    )
    assert wrong_side.status_code == 422
    assert "only an ECM provider sends" in wrong_side.json()["error"]["message"]
    unknown = client.get(
        url, params={"layout": "nope", "reporting_period": PERIOD}, headers=headers
    )
    assert unknown.status_code == 404
    analyst = client.get(
        url,
        params={"layout": "mif", "reporting_period": PERIOD},
        headers=auth(factory_user(engine, world)),
    )
    assert analyst.status_code == 403


def factory_user(engine: Engine, world: World) -> User:
    """A state analyst (no exchange permission) of the world's plan, committed."""
    with session_factory(engine)() as session, session.begin():
        person = factories.user(session, world.plan, Role.STATE_ANALYST)
        session.expunge_all()
    return person


def test_an_upload_with_an_idempotency_key_is_replayed(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    world = _world(engine)
    exported = client.get(
        "/exchange/files/export",
        params={"layout": "rtf", "reporting_period": PERIOD, "partner": str(world.plan.plan_code)},
        headers=auth(world.ecm_user),
    )
    headers = {**auth(world.plan_user), "Idempotency-Key": uuid.uuid4().hex}
    upload, form = {"file": ("rtf.csv", exported.content)}, {"layout": "rtf"}
    first = client.post("/exchange/files/import", files=upload, data=form, headers=headers)
    second = client.post("/exchange/files/import", files=upload, data=form, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json() == first.json()


def test_an_xlsx_bomb_is_a_422_naming_the_limit(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    from data.xlsx_builders import sheet_xml, workbook_with_sheet

    world = _world(engine)
    upload = {"file": ("otf.xlsx", workbook_with_sheet(sheet_xml(1_200_000)))}
    response = client.post(
        "/exchange/files/import",
        files=upload,
        data={"layout": "otf"},
        headers=auth(world.plan_user),
    )
    body = assert_error(response, 422, "invalid")
    details = body["details"]
    assert isinstance(details, dict)
    assert "over the limit of 50 MB" in details["problems"][0]["problem"]
