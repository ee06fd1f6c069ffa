"""The multipart form of a roster upload, parsed by hand after the request body is read.

The app's `Idempotency-Key` guard hashes the raw body, so FastAPI must not consume the
stream first (declared `Form`/`File` parameters would, and the guard would then fail): the
endpoint reads the form itself and validates it here, with the app's usual 422 errors.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.datastructures import UploadFile

from calaim.exchange.linkage.errors import RosterInvalid, RosterProblem
from calaim.ops.models import RosterKind

SUFFIXES = (".csv", ".parquet", ".xlsx")
# Larger rosters go through `calaim exchange reconcile` (the CLI reads from disk).
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class UploadForm(BaseModel):
    """The form fields beside the file."""

    model_config = ConfigDict(extra="ignore")

    kind: RosterKind
    as_of: dt.date
    dry_run: bool = False
    full_roster: bool = False


# The OpenAPI request body of the upload (the form is not declared as parameters; see above).
REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind", "as_of"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string", "enum": [k.value for k in RosterKind]},
                        "as_of": {"type": "string", "format": "date"},
                        "dry_run": {"type": "boolean", "default": False},
                        "full_roster": {
                            "type": "boolean",
                            "default": False,
                            "description": "The member file lists every member: disenroll "
                            "those it leaves out. False: nobody is disenrolled; the summary's "
                            "would_disenroll says how many would be.",
                        },
                    },
                }
            }
        },
    }
}


async def read_form(request: Request) -> tuple[UploadFile, UploadForm]:
    """The uploaded file and the validated fields, or a 422 naming each bad field."""
    form = await request.form()
    upload = form.get("file")
    errors: list[dict[str, Any]] = []
    if not isinstance(upload, UploadFile):
        message = "Field required: send the roster as the multipart part `file`"
        errors.append({"type": "missing", "loc": ("body", "file"), "msg": message})
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        fields = UploadForm.model_validate(values)
    except ValidationError as error:
        errors += [
            {"type": e["type"], "loc": ("body", *e["loc"]), "msg": e["msg"]} for e in error.errors()
        ]
    if errors or not isinstance(upload, UploadFile):
        raise RequestValidationError(errors)
    return upload, fields


def file_name(upload: UploadFile) -> str:
    """The upload's base name (no directories), as errors and the report name it."""
    name = Path((upload.filename or "").replace("\\", "/")).name.replace("\x00", "")
    return name[:200] or "roster"


def spool(upload: UploadFile, name: str, folder: Path) -> Path:
    """Copy the upload to `folder` (under a name of our own, keeping a known suffix)."""
    suffix = Path(name).suffix.lower()
    path = folder / f"roster{suffix if suffix in SUFFIXES else '.unknown'}"
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        message = (
            f"is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
            "reconcile it with `calaim exchange reconcile` instead"
        )
        raise RosterInvalid([RosterProblem(name, None, None, message)])
    return path
