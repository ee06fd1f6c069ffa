"""Idempotent POSTs: a retry with the same `Idempotency-Key` gets the first response back.

The key is per organization. The first successful response (status, body) is stored with
a hash of the request body, in the same transaction as the work itself; a retry with the same
key and body is answered from the store with `Idempotent-Replayed: true`, and acts no
second time. The same key with another body, method or path is refused (422). Failed
requests store nothing (they changed nothing), so retrying them runs them again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from calaim.ops.errors import InvalidRequest
from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.models import IdempotencyKey

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
PENDING_STATE = "idempotency"
MAX_KEY_LENGTH = 200


class IdempotencyKeyReused(InvalidRequest):
    """The key was already used for a different request."""


class IdempotentReplay(Exception):
    """The request repeats a stored one: answer with the stored response."""

    def __init__(self, status_code: int, body: Any) -> None:
        super().__init__("idempotent replay")
        self.status_code = status_code
        self.body = body


@dataclass(frozen=True)
class PendingKey:
    """A key to store with the response, once the request has succeeded."""

    organization_id: uuid.UUID
    key: str
    method: str
    path: str
    request_hash: str


def request_hash(body: bytes) -> str:
    """A hash of the body; JSON is canonicalised first, so spacing and key order do not count."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


async def idempotency_guard(request: Request, actor: ActorDep, session: SessionDep) -> None:
    """On a POST with an `Idempotency-Key`: replay a stored response, or remember the key."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if request.method != "POST" or key is None:
        return
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise InvalidRequest(
            f"{IDEMPOTENCY_HEADER} must be 1 to {MAX_KEY_LENGTH} characters (a UUID is ideal)",
            field=IDEMPOTENCY_HEADER,
        )
    pending = PendingKey(
        organization_id=actor.organization_id,
        key=key,
        method=request.method,
        path=request.url.path,
        request_hash=request_hash(await _body(request)),
    )
    await run_in_threadpool(_check, session, pending)
    setattr(request.state, PENDING_STATE, pending)


async def _body(request: Request) -> bytes:
    """The raw body; for a form already parsed (uploads), its fields and files' contents."""
    try:
        return await request.body()
    except RuntimeError:
        # FastAPI parses multipart forms before dependencies run, consuming the stream.
        form = await request.form()
        parts = []
        for name, value in form.multi_items():
            if isinstance(value, str):
                parts.append(f"{name}={value}".encode())
            else:
                content = await value.read()
                await value.seek(0)
                parts.append(f"{name}:{value.filename}:".encode() + content)
        return b"\0".join(parts)


def _check(session: Session, pending: PendingKey) -> None:
    """Raise `IdempotentReplay` for a repeat, `IdempotencyKeyReused` for a different request."""
    stored = session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.organization_id == pending.organization_id,
            IdempotencyKey.key == pending.key,
        )
    ).one_or_none()
    if stored is None:
        return
    if (stored.method, stored.path, stored.request_hash) != (
        pending.method,
        pending.path,
        pending.request_hash,
    ):
        raise IdempotencyKeyReused(
            f"this {IDEMPOTENCY_HEADER} was already used for a different request "
            f"({stored.method} {stored.path}); use a new key for a new request",
            field=IDEMPOTENCY_HEADER,
        )
    raise IdempotentReplay(stored.status_code, stored.response_body)


def store(session: Session, pending: PendingKey, status_code: int, body: bytes) -> None:
    """Keep the response of a successful request under its key (same transaction)."""
    session.add(
        IdempotencyKey(
            organization_id=pending.organization_id,
            key=pending.key,
            method=pending.method,
            path=pending.path,
            request_hash=pending.request_hash,
            status_code=status_code,
            response_body=json.loads(body) if body else None,
        )
    )


def replay_response(_request: Request, error: Exception) -> JSONResponse:
    """The stored response, marked as replayed (with its ETag when it has a version)."""
    assert isinstance(error, IdempotentReplay)
    headers = {REPLAYED_HEADER: "true"}
    if isinstance(error.body, dict) and "version" in error.body:
        headers["ETag"] = f'"{error.body["version"]}"'
    return JSONResponse(error.body, status_code=error.status_code, headers=headers)
