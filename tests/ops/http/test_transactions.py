"""A failed request changes nothing, but its audit events are kept."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.ops.db import session_factory
from calaim.ops.models import AuditEvent

from .conftest import AuthHeaders, Tenants, assert_error


def test_a_failed_look_up_keeps_its_audit_event(
    client: TestClient, engine: Engine, tenants: Tenants, auth: AuthHeaders
) -> None:
    probe = uuid.uuid4()
    assert_error(
        client.get(f"/members/{probe}", headers=auth(tenants.plan_admin)), 404, "not_found"
    )
    with session_factory(engine)() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(probe))))
    assert [event.action for event in events] == ["member.not_found"]
    assert events[0].details["request_status"] == 404
    assert events[0].actor_user_id == tenants.plan_admin.id


def test_a_successful_read_is_committed_with_its_audit_event(
    client: TestClient, engine: Engine, tenants: Tenants, auth: AuthHeaders
) -> None:
    member = tenants.members[0]
    assert client.get(f"/members/{member.id}", headers=auth(tenants.plan_admin)).status_code == 200
    with session_factory(engine)() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity_id == str(member.id),
                AuditEvent.actor_user_id == tenants.plan_admin.id,
            )
        ).all()
    assert list(actions) == ["member.read"]
