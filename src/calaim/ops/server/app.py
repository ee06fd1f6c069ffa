"""The REST API application: `create_app(engine, clock=...)` wires every domain router.

Conventions (docs/api.md): one transaction per request, one error shape, bearer token or API
key sign-in, paged lists, idempotent POSTs, versioned updates (If-Match).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy import Engine

from calaim.ops.auth.throttle import SignInLimits, SignInThrottle
from calaim.ops.auth.tokens import Clock, TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.http import errors
from calaim.ops.http.admission import AdmissionMiddleware
from calaim.ops.http.api_headers import ApiHeaders, install_docs
from calaim.ops.http.body_limit import BodyLimitMiddleware, BodyLimits
from calaim.ops.http.idempotency import (
    IDEMPOTENCY_HEADER,
    IdempotentReplay,
    idempotency_guard,
    replay_response,
)
from calaim.ops.http.routing import DomainRouter
from calaim.ops.http.transaction import TransactionMiddleware
from calaim.ops.server.health import router as health_router
from calaim.ops.server.routers import DOMAIN_ROUTERS
from calaim.ops.server.warmup import warm_caches
from calaim.ops.signin.endpoints import router as auth_router

TITLE = "calaim care coordination API"
DESCRIPTION = (
    "Referrals, members and the CalAIM ECM and Community Supports workflow. Sign in with "
    "`POST /auth/token` and send `Authorization: Bearer <token>`, or send an organization's "
    '`X-API-Key`. Every error has one shape: `{"error": {code, message, field, details}}`. '
    "POSTs accept `Idempotency-Key`; updates need `If-Match: <version>`."
)
BASE_TAGS = [
    {"name": "system", "description": "Service health."},
    {"name": "auth", "description": "Signing in: access tokens for people."},
]


def system_clock() -> dt.datetime:
    """The real current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


def api_version() -> str:
    """The installed calaim version."""
    try:
        return version("calaim")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    engine: Engine,
    *,
    clock: Clock = system_clock,
    signer: TokenSigner | None = None,
    max_concurrent_requests: int | None = None,
    extra_routers: Sequence[DomainRouter] = (),
    sign_in_limits: SignInLimits | None = None,
    body_limits: BodyLimits | None = None,
) -> FastAPI:
    """The API over `engine`; `clock` gives endpoints their `now` (tests pass a fixed one).

    `extra_routers` are later layers' domains (exchange, reports), served exactly like the
    care-coordination domains: `calaim.app.build_app` passes them.

    `body_limits`: the largest request bodies (default: `BodyLimits.from_environment()`).

    `sign_in_limits`: how failed sign-ins are throttled (default: `SignInLimits()`).

    `max_concurrent_requests` (servers: at most the connection pool's size) queues requests
    beyond it instead of letting them wait for a connection (see `admission.py`).
    """
    warm_caches()
    routers = [*DOMAIN_ROUTERS, *extra_routers]
    tags = BASE_TAGS + [router.tag_metadata() for router in routers]
    app = FastAPI(
        title=TITLE,
        version=api_version(),
        description=DESCRIPTION,
        openapi_tags=tags,
        docs_url=None,  # served by install_docs, with a Content-Security-Policy
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.clock = clock
    app.state.signer = signer or TokenSigner()
    app.state.throttle = SignInThrottle(app.state.sessions, sign_in_limits)
    errors.install(app)
    app.add_exception_handler(IdempotentReplay, replay_response)
    app.add_middleware(TransactionMiddleware)
    app.add_middleware(ApiHeaders)
    if max_concurrent_requests is not None:
        # Added last, so outermost: a queued request holds no session yet.
        app.add_middleware(AdmissionMiddleware, limit=max_concurrent_requests)
    # Outermost of all: an oversized body is refused before anything else runs.
    app.add_middleware(BodyLimitMiddleware, limits=body_limits or BodyLimits.from_environment())
    app.include_router(health_router)
    install_docs(app)
    app.include_router(auth_router, responses=errors.error_responses(401, 403, 404, 422, 429, 500))
    for router in routers:
        app.include_router(
            router, dependencies=[Depends(idempotency_guard)], responses=errors.COMMON_ERRORS
        )
    app.openapi = lambda: _openapi(app, routers)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, routers: Sequence[DomainRouter]) -> dict[str, Any]:
    """The OpenAPI document, with the Idempotency-Key header on every domain POST."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    posts = {
        str(getattr(route, "path", ""))
        for router in routers
        for route in router.routes
        if _is_post(route)
    }
    for path in posts:
        operation = schema["paths"][path]["post"]
        operation.setdefault("parameters", []).append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": "Send the same key when retrying: the first response is "
                "returned again (`Idempotent-Replayed: true`) instead of acting twice.",
            }
        )
    app.openapi_schema = schema
    return schema


def _is_post(route: object) -> bool:
    return "POST" in (getattr(route, "methods", None) or set())
