"""Paged lists: `limit` (default 50, at most 200) and `offset`; the total counts visible rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from calaim.ops.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageRequest, PageResult

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; `total` counts only what the caller may see."""

    items: list[T]
    limit: int
    offset: int
    total: int = Field(description="Rows the caller may see across all pages.")
    next_offset: int | None = Field(description="The `offset` of the next page; null at the end.")


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
) -> PageRequest:
    """The page a list request asks for."""
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(page_params)]


def page_of(result: PageResult[Any], page: PageRequest, convert: Callable[[Any], T]) -> Page[T]:
    """The response page for a query result."""
    following = page.offset + len(result.items)
    return Page[T](
        items=[convert(item) for item in result.items],
        limit=page.limit,
        offset=page.offset,
        total=result.total,
        next_offset=following if following < result.total else None,
    )
