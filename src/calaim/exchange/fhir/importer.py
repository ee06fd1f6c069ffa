"""Import a referral Bundle: intake through the ops referral service, idempotent by identifier.

The first import of a ServiceRequest identifier opens (or joins) the loop and remembers the
identifier for the importing organization; a re-import finds it and only applies the Task's
status, so sending the same Bundle twice changes nothing. All of it is one transaction: any
error leaves nothing behind. `dry_run` checks everything, then rolls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.fhir.bundle import load_bundle
from calaim.exchange.fhir.errors import FhirInputError, TaskConflict
from calaim.exchange.fhir.inbound import InboundReferral, read_referral
from calaim.exchange.fhir.task_update import apply_task_status
from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import fhir_link_visible
from calaim.ops.errors import Forbidden, InvalidRequest, NotFound
from calaim.ops.models import FhirReferralLink, Referral, ReferralSource, User
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.service import ReferralService


@dataclass
class ImportResult:
    """What an import did: the referral, whether it was new, the events applied."""

    referral_id: str
    status: str
    created: bool
    joined: bool = False
    events: list[str] = field(default_factory=list)
    dry_run: bool = False
    sender_code: str | None = None
    """The sender's standard procedure coding of the request, as sent."""
    not_kept: list[str] = field(default_factory=list)
    """What the Bundle said that calaim did not store, and why."""

    @property
    def outcome(self) -> str:
        """created, joined, updated or unchanged."""
        if self.created:
            return "created"
        if self.joined:
            return "joined"
        return "updated" if self.events else "unchanged"


def import_bundle(
    session: Session,
    actor: User,
    data: Any,
    *,
    now: dt.datetime,
    source: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate and import one referral Bundle (parsed JSON) on behalf of `actor`."""
    require(actor, Permission.FHIR_EXCHANGE)
    require(actor, Permission.REFERRAL_CREATE)
    try:
        inbound = read_referral(load_bundle(data, source), source)
    except FhirInputError as error:
        raise error.at(source) from None
    savepoint = session.begin_nested()
    try:
        result = _import(session, actor, inbound, now, source)
    except InvalidRequest as error:
        savepoint.rollback()
        if isinstance(error, FhirInputError) or source is None:
            raise
        raise FhirInputError(str(error), field=error.field, source=source) from None
    except TaskConflict as error:
        savepoint.rollback()
        if source is None:
            raise
        raise TaskConflict(f"{source}: {error}", field=error.field) from None
    except Forbidden as error:
        savepoint.rollback()
        if source is None:
            raise
        raise Forbidden(f"{source}: {error}") from None
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
        result.dry_run = True
    else:
        savepoint.commit()
    return result


def _import(
    session: Session, actor: User, inbound: InboundReferral, now: dt.datetime, source: str | None
) -> ImportResult:
    system, value = inbound.identifier
    link = session.scalars(
        select(FhirReferralLink).where(
            fhir_link_visible(actor),
            FhirReferralLink.system == system,
            FhirReferralLink.value == value,
        )
    ).first()
    if link is not None:
        referral = ReferralService(session, actor).get(link.referral_id)
        result = ImportResult(str(referral.id), referral.status, created=False)
    else:
        referral, result = _intake(session, actor, inbound, now, source)
        session.add(
            FhirReferralLink(
                organization_id=actor.organization_id,
                system=system,
                value=value,
                referral_id=referral.id,
                imported_at=now,
            )
        )
    if inbound.task is not None:
        events = apply_task_status(
            session,
            actor,
            referral,
            status=inbound.task.status,
            business=inbound.task.business,
            reason=inbound.task.reason,
            path=inbound.task.path,
            now=now,
        )
        result.events = [event.value for event in events]
    result.status = referral.status
    result.sender_code = inbound.sender_code
    result.not_kept = list(inbound.not_kept)
    details: dict[str, object] = {
        "identifier_system": system,
        "outcome": result.outcome,
        "events": result.events,
        "sender_code": inbound.sender_code,
        "not_kept": result.not_kept,
    }
    ReferralRepository(session, actor).audit("fhir.import", referral, details)
    session.flush()
    return result


def _intake(
    session: Session, actor: User, inbound: InboundReferral, now: dt.datetime, source: str | None
) -> tuple[Referral, ImportResult]:
    try:
        kind = ReferralSource(inbound.source_kind or ReferralSource.OTHER)
    except ValueError:
        kind = ReferralSource.OTHER
    try:
        intake = ReferralService(session, actor).create(
            member=inbound.member,
            program_id=inbound.program_id,
            source_kind=kind,
            receiving_organization_id=inbound.receiving_organization_id,
            reason_codes=inbound.reason_codes,
            now=now,
        )
    except (InvalidRequest, NotFound) as error:
        raise _located(error, inbound, source) from None
    referral = intake.referral
    return referral, ImportResult(
        str(referral.id), referral.status, created=intake.created, joined=intake.joined
    )


def _located(error: Exception, inbound: InboundReferral, source: str | None) -> FhirInputError:
    """The ops error, pointed at the Bundle element it came from."""
    paths = {
        "receiving_organization_id": inbound.owner_path,
        "member": inbound.patient_path,
        "program_id": inbound.program_path,
    }
    ops_field = getattr(error, "field", None)
    where = paths.get(str(ops_field), inbound.patient_path if isinstance(error, NotFound) else None)
    return FhirInputError(str(error), field=where or inbound.program_path, source=source)
