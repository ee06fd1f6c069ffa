"""One page of a scoped query, with the total the actor may see (used by every list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Far beyond any list, and within every database's integer range.
MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True)
class PageRequest:
    """Which slice of a list to return."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class PageResult(Generic[T]):
    """The rows of one page and how many rows the whole (scoped, filtered) list has."""

    items: list[T]
    total: int


def fetch_page(
    session: Session, statement: Select[Any], page: PageRequest, *order_by: Any
) -> PageResult[Any]:
    """Run an already scoped `statement` for one page; `total` counts the same scoped rows."""
    # The count uses the very statement the page uses, so it can never count unseen rows.
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = session.scalars(statement.order_by(*order_by).limit(page.limit).offset(page.offset))
    return PageResult(items=list(rows.unique()), total=int(total or 0))
