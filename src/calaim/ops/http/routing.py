"""A domain's router: an `APIRouter` with one OpenAPI tag and its description."""

from __future__ import annotations

from fastapi import APIRouter


class DomainRouter(APIRouter):
    """The routes of one domain, under one prefix and one documented tag."""

    def __init__(self, *, prefix: str, tag: str, description: str) -> None:
        super().__init__(prefix=prefix, tags=[tag])
        self.tag = tag
        self.description = description

    def tag_metadata(self) -> dict[str, str]:
        """The OpenAPI tag entry for this domain."""
        return {"name": self.tag, "description": self.description}
