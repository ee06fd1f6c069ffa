"""Files generated from the store: scoped to the actor, for one explicit period."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.adapters import get_variant
from calaim.exchange.filespecs.layout import get_layout
from calaim.exchange.filespecs.reader import parse_file
from calaim.exchange.filespecs.service import ExportRequest, export_file
from calaim.exchange.filespecs.values import Value
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import AuditEvent

from .world import ECM_NPI, PERIOD, build


def _export(session: Session, actor: object, request: ExportRequest) -> list[dict[str, Value]]:
    stream = io.BytesIO()
    export_file(session, actor, request, stream)  # type: ignore[arg-type]
    layout = get_layout(request.layout_id)
    parsed = parse_file(layout, get_variant(request.variant), "f", stream.getvalue())
    assert parsed.problems == []
    return [row for _, row in parsed.rows]


def test_mif_has_the_plans_assigned_members_only(session: Session) -> None:
    world = build(session)
    rows = _export(session, world.plan_user, ExportRequest("mif", PERIOD, "xlsx", "kaiser"))
    cins = {row["member_cin"] for row in rows}
    assert cins == {m.cin for m in world.members[:5]}
    first = next(row for row in rows if row["member_cin"] == world.members[0].cin)
    assert first["provider_npi"] == ECM_NPI
    assert first["homeless"] is True
    assert first["pof"] == "1a"
    assert first["ecm_status"] == "assigned"
    assert str(first["reporting_period"]) == PERIOD
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "exchange.file_export"))
    [event] = list(audit)
    assert event.details["rows"] == 5
    # The audit names members by person id, as every other audit event does (not by CIN).
    assert event.details["member_person_ids"] == sorted(m.person_id for m in world.members[:5])
    assert "members" not in event.details


def test_rtf_sets_indicators_and_loop_closure(session: Session) -> None:
    world = build(session)
    rows = _export(session, world.ecm_user, ExportRequest("rtf", PERIOD, partner="LACARE"))
    by_cin = {row["member_cin"]: row for row in rows}
    assert set(by_cin) == {m.cin for m in world.members[:5]}, "the other plan's member is left out"
    enrolled, ended = by_cin[world.members[2].cin], by_cin[world.members[3].cin]
    assert enrolled["new_phone"] is True
    assert enrolled["new_address"] is False
    assert enrolled["loop_closure_reason"] == "services_received"
    assert str(enrolled["care_plan_revised"]) == "2025-09-01"
    assert ended["loop_closure_reason"] == "declined"
    assert str(ended["production_date"]) == "2025-10-01"


def test_otf_lists_attempts_in_the_period(session: Session) -> None:
    world = build(session)
    assert _export(session, world.ecm_user, ExportRequest("otf", "2025-09", partner="LACARE")) == []
    rows = _export(session, world.ecm_user, ExportRequest("otf", "2025-08", partner="LACARE"))
    assert [(r["member_cin"], r["method"]) for r in rows] == [(world.members[1].cin, "phone")]


def test_cs_authorization_status(session: Session) -> None:
    world = build(session)
    rows = _export(session, world.plan_user, ExportRequest("cs_authorization_status", PERIOD))
    assert [(r["authorization_number"], r["status"]) for r in rows] == [
        (str(world.authorization.id), "approved")
    ]


def test_wrong_side_partner_or_period_is_refused(session: Session) -> None:
    world = build(session)
    with pytest.raises(InvalidRequest, match="ECM provider sends"):
        export_file(
            session, world.plan_user, ExportRequest("rtf", PERIOD, partner="LACARE"), io.BytesIO()
        )
    with pytest.raises(InvalidRequest, match="name the plan"):
        export_file(session, world.ecm_user, ExportRequest("rtf", PERIOD), io.BytesIO())
    with pytest.raises(InvalidRequest, match="YYYY-MM"):
        export_file(session, world.plan_user, ExportRequest("mif", "2025-13"), io.BytesIO())
