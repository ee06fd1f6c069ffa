"""HTTP endpoints: exchange files (layouts, export as a download, import, applied files).

Thin: parse the request, call the exchange file service (which checks the role, the side of
the exchange and scoping), return a schema or the file. A file with problems is a 422 in the
one error shape, its located problems in `details.problems`.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Literal

from fastapi import File, Form, Query, Response, UploadFile

from calaim.exchange.filespecs.adapters import load_variants
from calaim.exchange.filespecs.layout import load_layouts
from calaim.exchange.filespecs.schemas import (
    ExchangeFileOut,
    IngestOut,
    LayoutOut,
    exchange_file_out,
    ingest_out,
    layout_out,
)
from calaim.exchange.filespecs.service import (
    ExportRequest,
    export_file,
    ingest_file,
    ingested_files,
)
from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter

router = DomainRouter(
    prefix="/exchange/files",
    tag="exchange files",
    description=(
        "DHCS files (MIF, RTF, OTF, CS authorization status, CS invoice) out "
        "of and into the store, in each plan's variant."
    ),
)

# Uploads larger than this are refused before parsing (a 100k-row RTF is ~30 MB as CSV).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LayoutQuery = Annotated[str, Query(max_length=40, description="Layout id (see /layouts).")]
VariantField = Annotated[str | None, Query(max_length=40, description="Plan variant id.")]


def _known(layout_id: str) -> str:
    if layout_id not in load_layouts():
        raise NotFound(f"no file layout {layout_id!r}; GET /exchange/files/layouts lists them")
    return layout_id


@router.get("/layouts", response_model=list[LayoutOut])
def list_layouts(actor: ActorDep) -> list[LayoutOut]:
    """Every layout with its columns and the plan variants that spell it differently."""
    require(actor, Permission.EXCHANGE_FILES)
    variants = sorted(load_variants().values(), key=lambda v: v.id)
    return [layout_out(layout, variants) for layout in load_layouts().values()]


@router.get("/export", response_class=Response)
def export(
    layout: LayoutQuery,
    actor: ActorDep,
    session: SessionDep,
    reporting_period: Annotated[str, Query(max_length=7, description="Reporting month, YYYY-MM.")],
    variant: VariantField = None,
    file_format: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    partner: Annotated[
        str | None, Query(max_length=200, description="The plan (RTF, OTF) or provider (optional).")
    ] = None,
    produced_on: Annotated[
        dt.date | None, Query(description="Production date (default: the day after the period).")
    ] = None,
) -> Response:
    """The file for the caller's organization and the period, as a download."""
    require(actor, Permission.EXCHANGE_FILES)
    request = ExportRequest(
        _known(layout), reporting_period, file_format, variant, partner, produced_on
    )
    stream = io.BytesIO()
    result = export_file(session, actor, request, stream)
    name = f"{layout}-{request.period}{'-' + variant if variant else ''}.{file_format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if result.notes:
        # A CSV has no metadata: what the reader must know travels as a header (XLSX: both).
        headers["X-Calaim-Notes"] = " | ".join(result.notes)
    return Response(stream.getvalue(), media_type=MEDIA[file_format], headers=headers)


@router.post("/import", response_model=IngestOut)
def import_file(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    layout: Annotated[str, Form(max_length=40, description="Layout id (see /layouts).")],
    file: Annotated[UploadFile, File(description="The CSV or XLSX file.")],
    variant: Annotated[str | None, Form(max_length=40)] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> IngestOut:
    """Check the whole file and apply it (or only check it: dry_run); nothing on a problem."""
    require(actor, Permission.EXCHANGE_FILES)
    _known(layout)
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidRequest(
            f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; split it by plan or month",
            field="file",
        )
    name = (file.filename or "upload")[:200]
    result = ingest_file(
        session, actor, layout, name, data, now=now, variant=variant, dry_run=dry_run
    )
    return ingest_out(result)


@router.get("/ingested", response_model=Page[ExchangeFileOut])
def list_ingested(actor: ActorDep, session: SessionDep, page: PageDep) -> Page[ExchangeFileOut]:
    """Files the caller's organization has applied, newest first."""
    return page_of(ingested_files(session, actor, page), page, exchange_file_out)
