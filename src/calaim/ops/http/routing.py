"""A domain's router: an `APIRouter` with one OpenAPI tag and its description."""

from __future__ import annotations

from fastapi import APIRouter

from calaim.ops.http.strict_query import StrictQueryRoute


class DomainRouter(APIRouter):
    """The routes of one domain, under one prefix and one documented tag.

    Every route refuses query parameters it does not declare (`StrictQueryRoute`).
    """

    def __init__(self, *, prefix: str, tag: str, description: str) -> None:
        super().__init__(prefix=prefix, tags=[tag], route_class=StrictQueryRoute)
        self.tag = tag
        self.description = description

    def tag_metadata(self) -> dict[str, str]:
        """The OpenAPI tag entry for this domain."""
        return {"name": self.tag, "description": self.description}
