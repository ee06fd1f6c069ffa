"""`GET /health`: is the service up and its database reachable (no sign-in needed)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from calaim.ops.http.errors import ErrorBody, error_response

logger = logging.getLogger(__name__)
router = APIRouter(tags=["system"])


class Health(BaseModel):
    """The service's health."""

    status: Literal["ok"]
    database: Literal["ok"]


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": ErrorBody, "description": "the database does not answer"}},
)
def health(request: Request) -> Health | JSONResponse:
    """Whether the service runs and its database answers."""
    engine: Engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        logger.exception("health check: the database does not answer")
        return error_response(503, "unavailable", "the database does not answer; try again")
    return Health(status="ok", database="ok")
