"""Optimistic concurrency over HTTP: responses carry a version and an ETag; updates send it back.

An update names the version it is based on, in `If-Match: <version>` (the ETag of the last
read) or a `version` field of the body. Missing: 428. Not the current version: 412.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from calaim.ops.errors import InvalidRequest, StaleVersion
from calaim.ops.http.errors import PreconditionRequired

IF_MATCH = "If-Match"

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias=IF_MATCH,
        description="The version the update is based on (the ETag or `version` of the last "
        "read). Required unless the body carries `version`.",
    ),
]


class StaleRecord(StaleVersion):
    """The version sent is not the record's current version."""


def etag(version: object) -> str:
    """The ETag header value of a version."""
    return f'"{version}"'


def set_etag(response: Response, version: object) -> None:
    """Add the record's version as its ETag."""
    response.headers["ETag"] = etag(version)


def _unquote(value: str) -> str:
    value = value.strip().removeprefix("W/")
    return value.strip('"')


def expected_version(if_match: str | None, body_version: object | None = None) -> str:
    """The version an update is based on, from `If-Match` or the body (428 when neither)."""
    header = _unquote(if_match) if if_match and if_match.strip() else None
    body = str(body_version) if body_version is not None else None
    if header is not None and body is not None and header != body:
        raise InvalidRequest(
            f"If-Match ({header}) and the body's version ({body}) disagree; send one version",
            field="version",
        )
    version = header or body
    if version is None:
        raise PreconditionRequired(
            "this update needs the version it is based on: send `If-Match: <version>` "
            "(the ETag of your last read) or a `version` field"
        )
    return version


def integer_version(version: str) -> int:
    """A numeric version; anything else cannot match a record's version (412)."""
    try:
        return int(version)
    except ValueError as error:
        raise StaleRecord(
            f"version {version!r} is not a version of this record; read it again and retry"
        ) from error
