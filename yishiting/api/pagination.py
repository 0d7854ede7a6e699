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

MAX_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_MAX_PER_PAGE_SIZE", 200)
DEFAULT_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50)


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
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
