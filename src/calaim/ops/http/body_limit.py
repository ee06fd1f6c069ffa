"""Request body limits: a body larger than allowed is refused with 413 before it is read in full.

A pure ASGI middleware, outermost: a `Content-Length` over the limit is answered at once
(nothing read); a body without one (chunked) is counted as it streams in and refused as soon as
it passes the limit. File uploads get a larger limit than everything else (JSON, forms).
Limits come from `CALAIM_MAX_BODY_BYTES` and `CALAIM_MAX_UPLOAD_BYTES` (bytes), else defaults.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calaim.ops.http.errors import error_response

MAX_BODY_VARIABLE = "CALAIM_MAX_BODY_BYTES"
MAX_UPLOAD_VARIABLE = "CALAIM_MAX_UPLOAD_BYTES"
MIB = 2**20
# Where files are sent: exchange files, rosters, 835 remittances, FHIR bundles, and the
# documents attached to referrals and provider profiles (API and workspace; each of those
# checks its own smaller limit, 10 MB, as it reads the file).
UPLOAD_PATHS = (
    "/exchange/files/import",
    "/exchange/rosters",
    "/billing/remittances",
    "/fhir/",
    "/attachments/referrals/*",
    "/app/referrals/*/attachments",
    "/app/profile/documents",
)


@dataclass(frozen=True)
class BodyLimits:
    """Largest request bodies accepted, in bytes."""

    default: int = 1 * MIB
    upload: int = 100 * MIB
    upload_paths: tuple[str, ...] = UPLOAD_PATHS

    @classmethod
    def from_environment(cls) -> BodyLimits:
        """The limits, from the environment where set."""
        return cls(
            default=_bytes_from(MAX_BODY_VARIABLE, cls.default),
            upload=_bytes_from(MAX_UPLOAD_VARIABLE, cls.upload),
        )

    def for_path(self, path: str) -> int:
        """The limit for a request to `path`."""
        uploads = any(_under(path, upload_path) for upload_path in self.upload_paths)
        return self.upload if uploads else self.default


def _under(path: str, upload_path: str) -> bool:
    # "/fhir/" covers every path below it; a "*" stands for one path segment (an id); other
    # entries name one path exactly.
    if "*" in upload_path:
        pattern = "[^/]+".join(re.escape(part) for part in upload_path.split("*"))
        return re.fullmatch(pattern, path) is not None
    return path.startswith(upload_path) if upload_path.endswith("/") else path == upload_path


def _bytes_from(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RuntimeError(f"{variable} must be a whole number of bytes, not {raw!r}") from None
    if value < 1024:
        raise RuntimeError(f"{variable} must be at least 1024 bytes, not {value}")
    return value


def too_large_message(limit: int) -> str:
    """What a client sending too much is told."""
    size = f"{limit // MIB} MB" if limit >= MIB else f"{limit // 1024} KB"
    return (
        f"the request body is larger than the {size} this endpoint accepts; "
        "send less (split a large file by plan or month)"
    )


class BodyTooLarge(HTTPException):
    """The streamed body passed the limit (raised from `receive`, answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


class BodyLimitMiddleware:
    """Refuses bodies over the path's limit with 413, reading no more than the limit."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(str(scope.get("path", "")))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            response = error_response(413, "payload_too_large", too_large_message(limit))
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
