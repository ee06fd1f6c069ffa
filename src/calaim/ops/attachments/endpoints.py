"""Attachments API: files on a referral for its parties (PDF and images, 10 MB at most)."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from calaim.ops.attachments.content import MAX_BYTES, FileRefused
from calaim.ops.attachments.schemas import AttachmentOut, attachment_out
from calaim.ops.attachments.service import AttachmentService
from calaim.ops.attachments.storage import AttachmentStorage, default_storage
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter

router = DomainRouter(
    prefix="/attachments",
    tag="attachments",
    description="Files on referrals: PDF documents and PNG, JPEG or WebP images, checked by "
    "content, at most 10 MB; visible to the referral's parties; every read audited.",
)


def storage_of(request: Request) -> AttachmentStorage:
    """The app's attachment storage (`app.state.attachments`), else the configured folder."""
    found: AttachmentStorage | None = getattr(request.app.state, "attachments", None)
    return found if found is not None else default_storage()


@router.get("/referrals/{referral_id}", response_model=list[AttachmentOut])
def list_attachments(
    referral_id: uuid.UUID, request: Request, actor: ActorDep, session: SessionDep
) -> list[AttachmentOut]:
    """The files on a referral the caller may see."""
    service = AttachmentService(session, actor, storage_of(request))
    return [attachment_out(a) for a in service.on_referral(referral_id)]


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A PDF, PNG, JPEG or WebP file, at most 10 MB.",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/referrals/{referral_id}",
    response_model=AttachmentOut,
    status_code=201,
    openapi_extra=UPLOAD_BODY,
)
async def attach(
    referral_id: uuid.UUID, request: Request, actor: ActorDep, session: SessionDep, now: NowDep
) -> AttachmentOut:
    """Attach a file to a referral the caller may see (multipart field `file`)."""
    service = AttachmentService(session, actor, storage_of(request))
    # The referral is checked before the upload is read: out of scope is 404 whatever is sent.
    service.on_referral(referral_id)
    name, data = await _upload(request)
    return attachment_out(service.attach(referral_id, name, data, now=now))


async def _upload(request: Request) -> tuple[str, bytes]:
    """The uploaded file's name and bytes (at most one byte over the limit is read)."""
    try:
        form = await request.form(max_part_size=MAX_BYTES + 1024)
    except Exception as error:  # not a multipart body, or a part over the limit
        raise FileRefused(
            "send the file as multipart form data in the field 'file' (at most 10 MB)",
            field="file",
        ) from error
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise FileRefused("send the file in the multipart field 'file'", field="file")
    return upload.filename or "", await upload.read(MAX_BYTES + 1)


@router.get("/{attachment_id}/content", response_class=Response)
def attachment_content(
    attachment_id: uuid.UUID, request: Request, actor: ActorDep, session: SessionDep
) -> Response:
    """The file's bytes, offered as a download with its checked type."""
    found = AttachmentService(session, actor, storage_of(request)).download(attachment_id)
    return file_response(found.attachment.filename, found.attachment.content_type, found.data)


def file_response(filename: str, content_type: str, data: bytes) -> Response:
    """A download: attachment disposition, never cached by shared caches (the app's security
    headers add `X-Content-Type-Options: nosniff` to every response)."""
    quoted = filename.replace('"', "")
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{quoted}"',
            "Cache-Control": "private, no-store",
        },
    )
