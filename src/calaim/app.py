"""The whole application: the care-coordination API, the exchange and report endpoints, and
the web workspace, in one FastAPI app over one database.

`calaim serve` runs `app_from_environment` in each worker; tests call `build_app`.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from calaim.exchange.routers import EXCHANGE_ROUTERS
from calaim.ops.auth.throttle import SignInLimits
from calaim.ops.auth.tokens import Clock, TokenSigner
from calaim.ops.server import workers
from calaim.ops.server.app import create_app, system_clock
from calaim.reports.endpoints import router as reports
from calaim.web.app import install as install_web

APP_FACTORY = "calaim.app:app_from_environment"


def build_app(
    engine: Engine,
    *,
    clock: Clock = system_clock,
    signer: TokenSigner | None = None,
    max_concurrent_requests: int | None = None,
    sign_in_limits: SignInLimits | None = None,
) -> FastAPI:
    """Every endpoint and page over `engine`; `clock` gives them their `now`."""
    app = create_app(
        engine,
        clock=clock,
        signer=signer,
        max_concurrent_requests=max_concurrent_requests,
        sign_in_limits=sign_in_limits,
        extra_routers=[*EXCHANGE_ROUTERS, reports],
    )
    install_web(app)
    return app


def app_from_environment() -> FastAPI:
    """One worker's whole app, configured from the environment `calaim serve` set."""
    return workers.app_from_environment(build_app)
