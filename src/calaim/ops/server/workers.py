"""Serving the API with uvicorn: one or more worker processes over one database.

The parent migrates the database once, settles the token secret, then starts uvicorn with
an import-string app factory, so each worker process builds its own app (and engine) from
the environment: `DATABASE_URL`, `CALAIM_SECRET_KEY` (shared, so a token issued by one
worker is accepted by another) and `CALAIM_MAX_CONCURRENT_REQUESTS`.

Per worker, at most `concurrency` requests run at once (see `admission.py`) and the
connection pool is sized to match, so a request never waits for a connection.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from calaim.ops.auth.tokens import SECRET_KEY_VARIABLE, Clock, TokenSigner
from calaim.ops.db import database_url, make_engine
from calaim.ops.http.nodelay import PROTOCOL
from calaim.ops.migrate import upgrade
from calaim.ops.server.app import create_app, system_clock

APP_FACTORY = "calaim.ops.server.workers:app_from_environment"
CONCURRENCY_VARIABLE = "CALAIM_MAX_CONCURRENT_REQUESTS"
# Seconds added to the real time to give the app's clock (the demo runs on its data's date).
CLOCK_OFFSET_VARIABLE = "CALAIM_CLOCK_OFFSET_SECONDS"
DEFAULT_CONCURRENCY = 8
# Seconds a stopping server gives open requests before closing their connections.
SHUTDOWN_GRACE = 10

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: where, how many worker processes, how many requests per worker."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    concurrency: int = DEFAULT_CONCURRENCY
    access_log: bool = False


def pool_options(url: str, concurrency: int) -> dict[str, Any]:
    """Pool settings for a server engine: a connection for every admitted request, and spare.

    The spare connections serve `/health` and the rare request that opens a second session
    (an API key's first use). SQLite keeps SQLAlchemy's defaults.
    """
    if make_url(url).get_backend_name() == "sqlite":
        return {}
    return {"pool_size": concurrency + 1, "max_overflow": concurrency + 1, "pool_timeout": 10}


AppBuilder = Callable[..., FastAPI]


def app_from_environment(build: AppBuilder = create_app) -> FastAPI:
    """One worker's app from `build`, configured from the environment the parent set.

    `build` takes `create_app`'s arguments; `calaim.app` passes the whole application's.
    """
    secret = os.environ.get(SECRET_KEY_VARIABLE, "").strip()
    if not secret:
        raise RuntimeError(f"{SECRET_KEY_VARIABLE} must be set for the API's worker processes")
    concurrency = int(os.environ.get(CONCURRENCY_VARIABLE, DEFAULT_CONCURRENCY))
    url = database_url()
    engine = make_engine(url, **pool_options(url, concurrency))
    return build(
        engine,
        clock=clock_from_environment(),
        signer=TokenSigner(secret),
        max_concurrent_requests=concurrency,
    )


def shifted_clock(offset: dt.timedelta, real: Clock = system_clock) -> Clock:
    """A clock running at real speed, `offset` away from the real time."""
    return lambda: real() + offset


def clock_from_environment(real: Clock = system_clock) -> Clock:
    """The real clock, or one shifted by `CALAIM_CLOCK_OFFSET_SECONDS` (set by `serve --demo`)."""
    raw = os.environ.get(CLOCK_OFFSET_VARIABLE, "").strip()
    if not raw:
        return real
    try:
        seconds = float(raw)
    except ValueError:
        message = f"{CLOCK_OFFSET_VARIABLE} must be a number of seconds, not {raw!r}"
        raise RuntimeError(message) from None
    return shifted_clock(dt.timedelta(seconds=seconds), real)


def start_clock_at(moment: dt.datetime, real: Clock = system_clock) -> None:
    """Make the served app's clock read `moment` now and run on from there (the demo's date)."""
    offset = moment - real()
    os.environ[CLOCK_OFFSET_VARIABLE] = str(offset.total_seconds())


def ensure_secret() -> bool:
    """Set `CALAIM_SECRET_KEY` to a random secret for this run if unset; True if it did."""
    if os.environ.get(SECRET_KEY_VARIABLE, "").strip():
        return False
    os.environ[SECRET_KEY_VARIABLE] = secrets.token_urlsafe(48)
    return True


def serve(url: str, options: ServeOptions, factory: str = APP_FACTORY) -> None:
    """Migrate `url`, then serve it until interrupted (SIGINT or SIGTERM stop it promptly).

    `factory` is the import string of a zero-argument function returning each worker's app.
    """
    if options.workers < 1 or options.concurrency < 1:
        raise ValueError("workers and concurrency must be at least 1")
    upgrade(url)
    os.environ["DATABASE_URL"] = url
    os.environ[CONCURRENCY_VARIABLE] = str(options.concurrency)
    uvicorn.run(
        factory,
        factory=True,
        host=options.host,
        port=options.port,
        workers=options.workers,
        access_log=options.access_log,
        http=PROTOCOL,
        log_level="info",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
