"""Every exchange domain's router, served by `calaim.app.build_app` beside the ops domains."""

from __future__ import annotations

from calaim.exchange.fhir.endpoints import router as fhir
from calaim.exchange.filespecs.endpoints import router as files
from calaim.exchange.linkage.endpoints import router as rosters
from calaim.exchange.x12.endpoints import router as billing
from calaim.ops.http.routing import DomainRouter

EXCHANGE_ROUTERS: list[DomainRouter] = [files, rosters, billing, fhir]
