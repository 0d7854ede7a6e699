"""Page-number pagination for every list endpoint: {"count", "page", "page_size", "items"}.

A page is one COUNT and one SELECT of at most `page_size` rows; the querysets come from selectors that
already select_related what the item schema reads, so a page costs the same number of queries whatever
its size.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

from .schemas.common import CheckedSchema

MAX_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_MAX_PER_PAGE_SIZE", 200)
DEFAULT_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50)
# Far past any list's end (1,000,000 pages of 200 = 200 million rows), and small enough that OFFSET
# (page - 1) × page_size fits the databases' 64-bit integer: a bigger page is a 422, not a 500.
MAX_PAGE = 1_000_000


class PageQuery(CheckedSchema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最大 {MAX_PAGE}")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item`s (one class per item type, so OpenAPI names stay stable)."""
    return type(f"{item.__name__}Page", (Schema,), {
        "__annotations__": {"count": int, "page": int, "page_size": int, "items": list[item]},
        "__doc__": f"分页结果：{item.__doc__ or item.__name__}",
    })


def paginate(queryset: QuerySet, query: PageQuery) -> dict[str, Any]:
    start = (query.page - 1) * query.page_size
    return {
        "count": queryset.count(),
        "page": query.page,
        "page_size": query.page_size,
        "items": list(queryset[start:start + query.page_size]),
    }
