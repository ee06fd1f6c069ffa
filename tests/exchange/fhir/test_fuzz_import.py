"""Hypothesis: damaged referral Bundles and Tasks never crash the importer; every refusal names
the file and the JSON path, and leaves the database as it was."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.fhir.bundle import parse_json
from calaim.exchange.fhir.errors import FhirInputError, TaskConflict
from calaim.exchange.fhir.importer import import_bundle
from calaim.exchange.fhir.task_resource import update_task
from calaim.ops.models import AuditEvent, FhirReferralLink, Member, Referral, ReferralTransition

from .mutate import damaged, text_damage
from .world import NOW, World, build

INBOUND = json.loads((Path(__file__).parent / "golden" / "inbound_referral.json").read_text())
SOURCE = "partner/fuzz.json"
TABLES = (Referral, ReferralTransition, FhirReferralLink, AuditEvent, Member)
FUZZ = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def snapshot(session: Session) -> tuple[int, ...]:
    """Row counts of every table an import may write."""
    return tuple(
        int(session.scalar(select(func.count()).select_from(table)) or 0) for table in TABLES
    )


def attempt(session: Session, world: World, data: Any, dry_run: bool) -> None:
    """Import; a refusal must be located and change nothing, a dry run never changes anything."""
    before = snapshot(session)
    failure: FhirInputError | TaskConflict | None = None
    try:
        import_bundle(session, world.referrer_user, data, now=NOW, source=SOURCE, dry_run=dry_run)
    except (FhirInputError, TaskConflict) as error:
        failure = error
    if failure is not None:
        assert failure.field, str(failure)
        assert str(failure).startswith(SOURCE), str(failure)
    if failure is not None or dry_run:
        assert snapshot(session) == before


def read_and_import(session: Session, world: World, content: bytes) -> None:
    """What `calaim exchange fhir-import` does with a file's bytes."""
    data = parse_json(content, source=SOURCE)
    import_bundle(session, world.referrer_user, data, now=NOW, source=SOURCE)


@pytest.fixture
def world(session: Session) -> World:
    """The member of the inbound Bundle, with no referral yet."""
    return build(session, referral=False)


@FUZZ
@given(data=st.data())
def test_damaged_bundles(session: Session, world: World, data: st.DataObject) -> None:
    document = data.draw(damaged(INBOUND))
    attempt(session, world, document, dry_run=data.draw(st.booleans()))


@FUZZ
@given(content=text_damage())
def test_damaged_text(session: Session, world: World, content: bytes) -> None:
    before = snapshot(session)
    with pytest.raises(FhirInputError) as caught:
        read_and_import(session, world, content)
    assert caught.value.field
    assert caught.value.source == SOURCE
    assert snapshot(session) == before


TASK = {"resourceType": "Task", "status": "accepted", "intent": "order"}


@pytest.fixture
def loop(session: Session, world: World) -> Referral:
    """The imported referral, routed to the world's provider (who updates its Task)."""
    result = import_bundle(session, world.referrer_user, INBOUND, now=NOW, source=SOURCE)
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    referral.receiving_organization_id = world.provider.id
    session.flush()
    return referral


@FUZZ
@given(data=st.data())
def test_damaged_tasks(session: Session, world: World, loop: Referral, data: st.DataObject) -> None:
    task = data.draw(damaged(TASK))
    before = snapshot(session)
    failure: FhirInputError | TaskConflict | None = None
    try:
        update_task(session, world.provider_user, loop.id, task, NOW)
    except (FhirInputError, TaskConflict) as error:
        failure = error
    if failure is not None:
        assert failure.field, str(failure)
        assert snapshot(session) == before
