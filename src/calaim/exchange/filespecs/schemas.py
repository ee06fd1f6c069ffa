"""API shapes of exchange files: layouts with their columns, ingest summaries, applied files."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel

from calaim.exchange.filespecs.adapters import Variant, file_columns
from calaim.exchange.filespecs.layout import Layout
from calaim.exchange.filespecs.service import IngestResult
from calaim.ops.models.exchange_file import ExchangeFile


class ColumnOut(BaseModel):
    """One column of a layout."""

    id: str
    header: str
    type: str
    required: bool
    max_length: int | None
    code_set: str | None


class VariantOut(BaseModel):
    """One plan variant of a layout, with the headers in its file order."""

    id: str
    plan: str
    description: str
    confidence: str
    date_format: str
    yes_no: list[str]
    headers: list[str]


class LayoutOut(BaseModel):
    """One file layout."""

    id: str
    name: str
    version: str
    direction: str
    confidence: str
    reference: str
    columns: list[ColumnOut]
    variants: list[VariantOut]


class IngestOut(BaseModel):
    """What an import did (or, for a dry run, would do)."""

    layout: str
    variant: str
    file_name: str
    sha256: str
    rows: int
    applied: bool
    dry_run: bool
    already_applied: bool
    file_id: uuid.UUID | None
    reporting_period: str | None
    summary: dict[str, int]
    message: str


class ExchangeFileOut(BaseModel):
    """One applied file."""

    id: uuid.UUID
    layout: str
    variant: str
    file_name: str
    sha256: str
    row_count: int
    reporting_period: str | None
    summary: dict[str, int]
    ingested_at: dt.datetime


def layout_out(layout: Layout, variants: list[Variant]) -> LayoutOut:
    """A layout with its columns and every variant's header row."""
    return LayoutOut(
        id=layout.id,
        name=layout.name,
        version=layout.version,
        direction=layout.direction,
        confidence=layout.confidence,
        reference=layout.reference,
        columns=[
            ColumnOut(
                id=c.id,
                header=c.header,
                type=c.type.value,
                required=c.required,
                max_length=c.max_length,
                code_set=c.code_set,
            )
            for c in layout.columns
        ],
        variants=[
            VariantOut(
                id=v.id,
                plan=v.plan,
                description=v.description,
                confidence=v.confidence,
                date_format=v.date_format,
                yes_no=[v.yes, v.no],
                headers=[column.header for column in file_columns(layout, v)],
            )
            for v in variants
        ],
    )


def ingest_message(result: IngestResult) -> str:
    """One sentence saying what happened."""
    if result.already_applied:
        return f"{result.file_name}: this file was already applied; nothing changed"
    if result.dry_run:
        return f"{result.file_name}: {result.rows} rows valid; nothing was applied (dry run)"
    return f"{result.file_name}: {result.rows} rows checked and applied"


def ingest_out(result: IngestResult) -> IngestOut:
    """The API body of an ingest result."""
    return IngestOut(
        layout=result.layout,
        variant=result.variant,
        file_name=result.file_name,
        sha256=result.sha256,
        rows=result.rows,
        applied=result.applied,
        dry_run=result.dry_run,
        already_applied=result.already_applied,
        file_id=result.file_id,
        reporting_period=result.reporting_period,
        summary=result.summary,
        message=ingest_message(result),
    )


def exchange_file_out(row: ExchangeFile) -> ExchangeFileOut:
    """The API body of an applied file."""
    return ExchangeFileOut(
        id=row.id,
        layout=row.layout_id,
        variant=row.variant,
        file_name=row.file_name,
        sha256=row.sha256,
        row_count=row.row_count,
        reporting_period=row.reporting_period,
        summary=dict(row.summary),
        ingested_at=row.ingested_at,
    )
