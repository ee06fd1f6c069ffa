"""Importing referral Bundles: intake by CIN, idempotent re-import, Task updates, located errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.fhir.errors import FhirInputError, TaskConflict
from calaim.exchange.fhir.export import export_referral
from calaim.exchange.fhir.importer import import_bundle
from calaim.exchange.fhir.task_resource import update_task
from calaim.ops.models import AuditEvent, FhirReferralLink, Referral, ReferralTransition
from calaim.ops.referrals.state import ReferralStatus

from .world import NOW, World, build

INBOUND = Path(__file__).parent / "golden" / "inbound_referral.json"


def inbound() -> dict[str, Any]:
    """The referral platform's Bundle."""
    data: dict[str, Any] = json.loads(INBOUND.read_text())
    return data


def count(session: Session, model: type[object]) -> int:
    """Rows of a table."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def world(session: Session) -> World:
    """The member of the inbound Bundle, with no referral yet."""
    return build(session, referral=False)


def test_import_opens_the_loop_once(session: Session, world: World) -> None:
    result = import_bundle(session, world.referrer_user, inbound(), now=NOW)
    assert (result.outcome, result.status) == ("created", "received")
    referral = session.get(Referral, __import__("uuid").UUID(result.referral_id))
    assert referral is not None
    assert (referral.member_id, referral.program_id) == (world.member.id, "ecm")
    assert referral.source_kind == "hospital"
    assert referral.reason_codes == "five ED visits since July"
    before = (count(session, Referral), count(session, ReferralTransition))
    again = import_bundle(session, world.referrer_user, inbound(), now=NOW)
    assert (again.outcome, again.referral_id) == ("unchanged", result.referral_id)
    assert (count(session, Referral), count(session, ReferralTransition)) == before
    assert count(session, FhirReferralLink) == 1
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "fhir.import"))
    assert len(list(actions)) == 2


def test_task_updates_walk_the_loop_and_export_matches(session: Session, world: World) -> None:
    result = import_bundle(session, world.referrer_user, inbound(), now=NOW)
    referral_id = __import__("uuid").UUID(result.referral_id)
    plan_route = session.get(Referral, referral_id)
    assert plan_route is not None
    plan_route.receiving_organization_id = world.provider.id
    session.flush()
    task = update_task(
        session,
        world.provider_user,
        referral_id,
        {"resourceType": "Task", "status": "in-progress", "intent": "order"},
        NOW,
    )
    assert (task["status"], task["businessStatus"]["text"]) == ("in-progress", "in-progress")
    steps = session.scalars(
        select(ReferralTransition.to_status).where(ReferralTransition.referral_id == referral_id)
    )
    assert sorted(steps) == ["accepted", "in_progress", "received"]
    bundle = export_referral(session, world.provider_user, referral_id, NOW)
    request = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    )
    # Equivalent to what came in: the partner's identifier, program, reason and member.
    assert {"system": "urn:example:referral-platform:service-request", "value": "7781"} not in (
        request["identifier"]
    )  # partners' ids are shown only to the organization that imported them
    assert request["code"]["coding"][0]["code"] == "ecm"
    assert request["reasonCode"] == [{"text": "five ED visits since July"}]
    referrer_view = export_referral(session, world.referrer_user, referral_id, NOW)
    ids = next(
        e["resource"]["identifier"]
        for e in referrer_view["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    )
    assert {"system": "urn:example:referral-platform:service-request", "value": "7781"} in ids


def test_early_close_needs_a_reason_at_the_task_path(session: Session, world: World) -> None:
    result = import_bundle(session, world.referrer_user, inbound(), now=NOW)
    referral_id = __import__("uuid").UUID(result.referral_id)
    loop = session.get(Referral, referral_id)
    assert loop is not None
    loop.receiving_organization_id = world.provider.id
    loop.status = ReferralStatus.ACCEPTED.value
    session.flush()
    with pytest.raises(FhirInputError) as caught:
        update_task(
            session,
            world.provider_user,
            referral_id,
            {"resourceType": "Task", "status": "cancelled", "intent": "order"},
            NOW,
        )
    assert caught.value.field == "statusReason"
    with pytest.raises(TaskConflict) as conflict:
        update_task(
            session,
            world.provider_user,
            referral_id,
            {"resourceType": "Task", "status": "rejected", "intent": "order"},
            NOW,
        )
    assert conflict.value.field == "status"


def located(session: Session, world: World, data: Any) -> FhirInputError:
    """Import `data`, expecting a located error and no change."""
    before = (count(session, Referral), count(session, FhirReferralLink))
    with pytest.raises(FhirInputError) as caught:
        import_bundle(session, world.referrer_user, data, now=NOW, source="in.json")
    assert (count(session, Referral), count(session, FhirReferralLink)) == before
    assert str(caught.value).startswith("in.json: ")
    return caught.value


def test_unknown_program_is_located(session: Session, world: World) -> None:
    data = inbound()
    data["entry"][0]["resource"]["code"]["coding"][0]["code"] = "cs.nonsense"
    assert located(session, world, data).field == "entry[0].resource.code"


def test_unmatched_member_is_located(session: Session, world: World) -> None:
    data = inbound()
    data["entry"][2]["resource"]["identifier"][0]["value"] = "99999999Z"
    assert located(session, world, data).field == "entry[2].resource"


def test_bad_task_status_is_located(session: Session, world: World) -> None:
    data = inbound()
    data["entry"][1]["resource"]["status"] = "on-hold"
    assert located(session, world, data).field == "entry[1].resource.status"


def test_malformed_date_is_located(session: Session, world: World) -> None:
    data = inbound()
    data["entry"][2]["resource"]["birthDate"] = "1970-13-45"
    assert located(session, world, data).field == "entry[2].resource.birthDate"


def test_dry_run_writes_nothing(session: Session, world: World) -> None:
    result = import_bundle(
        session, world.referrer_user, copy.deepcopy(inbound()), now=NOW, dry_run=True
    )
    assert (result.outcome, result.dry_run) == ("created", True)
    assert count(session, Referral) == 0
    assert count(session, FhirReferralLink) == 0


def test_a_task_status_the_importer_may_not_reach_names_file_and_path(
    session: Session, world: World
) -> None:
    from calaim.ops.errors import Forbidden

    data = inbound()
    data["entry"][1]["resource"]["status"] = "accepted"
    before = (count(session, Referral), count(session, AuditEvent))
    with pytest.raises(Forbidden) as caught:
        import_bundle(session, world.referrer_user, data, now=NOW, source="in/loop.json")
    message = str(caught.value)
    assert message.startswith("in/loop.json: entry[1].resource.status 'accepted'")
    assert (count(session, Referral), count(session, AuditEvent)) == before
