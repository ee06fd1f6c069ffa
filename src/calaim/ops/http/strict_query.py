"""Unknown query parameters are refused (422), never silently ignored.

`GET /referrals?overdue=true` once returned every referral: the filter did not exist and the
caller could not tell. Every API route is an `StrictQueryRoute` (through `DomainRouter`), which
compares the request's query names with the ones the route and its dependencies declare.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


def declared_query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameter names a route accepts, its dependencies' included."""
    names: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        names.update(param.alias for param in current.query_params)
        pending.extend(current.dependencies)
    return frozenset(names)


def unknown_query_errors(request: Request, known: frozenset[str]) -> list[dict[str, Any]]:
    """One validation error per query name the route does not declare."""
    unknown = sorted(set(request.query_params) - known)
    accepted = ", ".join(sorted(known)) or "none"
    return [
        {
            "type": "extra_forbidden",
            "loc": ("query", name),
            "msg": f"unknown query parameter; this operation accepts: {accepted}",
            "input": request.query_params.get(name),
        }
        for name in unknown
    ]


class StrictQueryRoute(APIRoute):
    """An API route that answers 422 to a query parameter it does not declare."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = declared_query_names(self.dependant)

        async def strict(request: Request) -> Response:
            errors = unknown_query_errors(request, known)
            if errors:
                raise RequestValidationError(errors)
            return await handler(request)

        return strict
