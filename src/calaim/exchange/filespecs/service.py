"""Exporting a DHCS file from the store and ingesting one into it, for one acting user.

Both check `Permission.EXCHANGE_FILES`, read only what the actor's organization may see
(ops/access/scopes.py) and leave an audit event naming the file and the members in it.
Ingest parses and checks the whole file, applies it inside a savepoint, and keeps nothing
unless every row passed (a dry run always rolls back); an applied file is recorded by its
SHA-256, so sending the same bytes again changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs import export_plan, export_provider
from calaim.exchange.filespecs.adapters import get_variant
from calaim.exchange.filespecs.apply_otf import apply_otf
from calaim.exchange.filespecs.apply_records import (
    apply_cs_authorization_status,
    apply_cs_invoice,
    apply_mif,
)
from calaim.exchange.filespecs.apply_rtf import apply_rtf
from calaim.exchange.filespecs.errors import FileProblem, FileRejected
from calaim.exchange.filespecs.gc_pause import gc_paused
from calaim.exchange.filespecs.ingest_context import IngestContext, Row
from calaim.exchange.filespecs.layout import Layout, get_layout
from calaim.exchange.filespecs.lookups import PERSON_KEY, find_partner
from calaim.exchange.filespecs.period import Period, parse_period
from calaim.exchange.filespecs.reader import WHOLE_FILE, parse_file
from calaim.exchange.filespecs.writer import FileFormat, write_rows
from calaim.ops.access.permissions import Permission, require
from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Organization, OrganizationKind, User
from calaim.ops.models.exchange_file import ExchangeFile
from calaim.ops.paging import PageRequest, PageResult, fetch_page

K = OrganizationKind
Generator = Callable[[Session, User, Period, Organization | None], Iterator[Row]]
Applier = Callable[[IngestContext, list[tuple[int, Row]]], None]
Progress = Callable[[str, int, int], None]

# layout -> (who exports it, the partner's kind, whether a partner is required, rows)
EXPORTS: dict[str, tuple[K, K, bool, Generator]] = {
    "mif": (K.PLAN, K.ECM_PROVIDER, False, export_plan.mif_rows),
    "cs_authorization_status": (K.PLAN, K.CS_PROVIDER, False, export_plan.cs_authorization_rows),
    "rtf": (K.ECM_PROVIDER, K.PLAN, True, export_provider.rtf_rows),  # type: ignore[dict-item]
    "otf": (K.ECM_PROVIDER, K.PLAN, True, export_provider.otf_rows),  # type: ignore[dict-item]
}
# layout -> (who ingests it, how)
INGESTS: dict[str, tuple[K, Applier]] = {
    "rtf": (K.PLAN, apply_rtf),
    "otf": (K.PLAN, apply_otf),
    "cs_invoice": (K.PLAN, apply_cs_invoice),
    "mif": (K.ECM_PROVIDER, apply_mif),
    "cs_authorization_status": (K.CS_PROVIDER, apply_cs_authorization_status),
}


def _layout(layout_id: str) -> Layout:
    try:
        return get_layout(layout_id)
    except LookupError as error:
        raise InvalidRequest(str(error), field="layout") from None


def _variant_id(variant: str | None) -> str:
    try:
        return get_variant(variant).id
    except LookupError as error:
        raise InvalidRequest(str(error), field="variant") from None


KIND_LABELS = {K.PLAN: "plan", K.ECM_PROVIDER: "ECM provider", K.CS_PROVIDER: "CS provider"}


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "AEIOUaeiou" else "a ") + noun


def _require_kind(actor: User, kind: K, layout: Layout, what: str) -> None:
    if actor.organization.kind != kind:
        mine = KIND_LABELS.get(K(actor.organization.kind), actor.organization.kind)
        raise InvalidRequest(
            f"only {_a(KIND_LABELS[kind])} {what} the {layout.id.upper()} ({layout.name}); "
            f"your organization is {_a(mine)}",
            field="layout",
        )


@dataclass(frozen=True)
class ExportRequest:
    """What to export: layout, period, partner (plan or provider), variant, format."""

    layout_id: str
    period: str
    file_format: FileFormat = "csv"
    variant: str | None = None
    partner: str | None = None
    produced_on: dt.date | None = None


def export_file(session: Session, actor: User, request: ExportRequest, destination: Any) -> int:
    """Write the file for the actor's organization; the number of rows written."""
    with gc_paused():
        return _export(session, actor, request, destination)


def _export(session: Session, actor: User, request: ExportRequest, destination: Any) -> int:
    require(actor, Permission.EXCHANGE_FILES)
    layout = _layout(request.layout_id)
    if layout.id not in EXPORTS:
        raise InvalidRequest(
            f"calaim does not generate the {layout.id} file; billing writes it", field="layout"
        )
    exporter, partner_kind, partner_required, generate = EXPORTS[layout.id]
    _require_kind(actor, exporter, layout, "sends")
    period = parse_period(request.period)
    variant = _variant_id(request.variant)
    partner = _partner(session, request.partner, partner_kind, partner_required)
    produced_on = request.produced_on or period.production_date
    stamp = {"production_date": produced_on} if "production_date" in layout.column_ids else {}
    rows = list(generate(session, actor, period, partner))
    people = sorted({str(row.pop(PERSON_KEY)) for row in rows})
    if stamp:
        for row in rows:  # each row is a fresh dict of its generator: stamped in place
            row.update(stamp)
    count = write_rows(layout, rows, destination, request.file_format, variant)
    record(
        session,
        actor,
        "exchange.file_export",
        entity_type="exchange_file",
        details={
            "layout": layout.id,
            "variant": variant,
            "period": period.text,
            "partner": str(partner.id) if partner else None,
            "rows": count,
            # The members by person id, as every other audit event names them (never CINs).
            "member_person_ids": people,
        },
    )
    return count


def _partner(
    session: Session, reference: str | None, kind: K, required: bool
) -> Organization | None:
    if reference is None:
        if required:
            raise InvalidRequest(
                f"name the {kind.value.replace('_', ' ')} the file is for", field="partner"
            )
        return None
    return find_partner(session, reference, kind)


@dataclass
class IngestResult:
    """What an ingest did (or, for a dry run, would do)."""

    layout: str
    variant: str
    file_name: str
    sha256: str
    rows: int
    applied: bool
    dry_run: bool
    already_applied: bool = False
    file_id: uuid.UUID | None = None
    reporting_period: str | None = None
    summary: dict[str, int] = field(default_factory=dict)


def ingest_file(
    session: Session,
    actor: User,
    layout_id: str,
    file_name: str,
    data: bytes,
    *,
    now: dt.datetime,
    variant: str | None = None,
    dry_run: bool = False,
) -> IngestResult:
    """Check the whole file and apply it (unless a dry run); `FileRejected` lists problems.

    `now` is when the file was received: the records it writes are stamped with it.
    """
    with gc_paused():
        return _ingest(session, actor, layout_id, file_name, data, now, variant, dry_run)


def _ingest(
    session: Session,
    actor: User,
    layout_id: str,
    file_name: str,
    data: bytes,
    now: dt.datetime,
    variant: str | None,
    dry_run: bool,
) -> IngestResult:
    require(actor, Permission.EXCHANGE_FILES)
    layout = _layout(layout_id)
    receiver, apply = INGESTS[layout.id]
    _require_kind(actor, receiver, layout, "receives")
    variant_id = _variant_id(variant)
    digest = hashlib.sha256(data).hexdigest()
    base = IngestResult(layout.id, variant_id, file_name, digest, 0, False, dry_run)
    earlier = session.scalars(
        select(ExchangeFile).where(
            ExchangeFile.organization_id == actor.organization_id,
            ExchangeFile.layout_id == layout.id,
            ExchangeFile.sha256 == digest,
        )
    ).first()
    if earlier is not None:
        base.rows, base.already_applied, base.file_id = earlier.row_count, True, earlier.id
        base.reporting_period, base.summary = earlier.reporting_period, {}
        return base
    parsed = parse_file(layout, get_variant(variant_id), file_name, data)
    if parsed.valid and not parsed.rows:
        empty = FileProblem(file_name, 2, WHOLE_FILE, "", "no data rows", "send rows to apply")
        parsed.problems.append(empty)
    if not parsed.valid:
        raise FileRejected(file_name, parsed.problems)
    context = IngestContext(session, actor, layout, get_variant(variant_id), file_name, now)
    savepoint = session.begin_nested()
    try:
        apply(context, parsed.rows)
        session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if context.problems or dry_run:
        savepoint.rollback()
        if context.problems:
            raise FileRejected(file_name, context.problems)
    else:
        savepoint.commit()
    base.rows, base.summary = len(parsed.rows), context.summary
    base.reporting_period = context.period.text if context.period else None
    if not dry_run:
        base.file_id, base.applied = _record(session, actor, base).id, True
    return base


def _record(session: Session, actor: User, result: IngestResult) -> ExchangeFile:
    row = ExchangeFile(
        organization_id=actor.organization_id,
        layout_id=result.layout,
        variant=result.variant,
        file_name=result.file_name[:255],
        sha256=result.sha256,
        row_count=result.rows,
        reporting_period=result.reporting_period,
        summary=result.summary,
        ingested_by_user_id=actor.id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "exchange.file_ingest",
        row,
        details={
            "layout": result.layout,
            "file": result.file_name,
            "sha256": result.sha256,
            "rows": result.rows,
            "summary": result.summary,
        },
    )
    return row


def ingested_files(session: Session, actor: User, page: PageRequest) -> PageResult[ExchangeFile]:
    """The files the actor's organization has applied, newest first."""
    require(actor, Permission.EXCHANGE_FILES)
    query = select(ExchangeFile).where(ExchangeFile.organization_id == actor.organization_id)
    return fetch_page(session, query, page, ExchangeFile.ingested_at.desc(), ExchangeFile.id)
