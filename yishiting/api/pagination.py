"""Page-number pagination for every list endpoint: {"count", "count_capped", "has_next", "page", "page_size",
"items"}.

A page is one SELECT of at most `page_size` + 1 rows (the extra row says whether a next page exists) and, only
when needed, a COUNT of at most `COUNT_CAP` + 1 rows (common.paging): never a COUNT of a whole table, so a page
costs the same at a thousand rows and at twenty million (issue 18). `count` is exact up to `COUNT_CAP`; past it
`count_capped` is true and `count` is a lower bound (page on with `has_next`). The last page always knows the
exact count (the rows before it plus its own). The querysets come from selectors that already select_related
what the item schema reads, so a page costs the same number of queries whatever its size.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

from yishiting.common.paging import quick_page

from .schemas.common import CheckedSchema

MAX_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_MAX_PER_PAGE_SIZE", 200)
DEFAULT_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50)
# Far past any list's end (1,000,000 pages of 200 = 200 million rows), and small enough that OFFSET
# (page - 1) × page_size fits the databases' 64-bit integer: a bigger page is a 422, not a 500.
MAX_PAGE = 1_000_000
COUNT_CAP = 10_000  # an exact count up to here; a longer list says count_capped (a bounded COUNT per page)


class PageQuery(CheckedSchema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最大 {MAX_PAGE}")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item`s (one class per item type, so OpenAPI names stay stable)."""
    return type(f"{item.__name__}Page", (Schema,), {
        "__annotations__": {"count": int, "count_capped": bool, "has_next": bool, "page": int, "page_size": int,
                            "items": list[item]},
        "count": Field(..., description=f"条数：不超过 {COUNT_CAP:,} 时是准确数；超过时 count_capped 为 true，"
                                        "此数只是下限（按 has_next 继续翻页）"),
        "count_capped": Field(False, description=f"列表超过 {COUNT_CAP:,} 条、未逐条计数时为 true"),
        "has_next": Field(False, description="是否还有下一页"),
        "__doc__": f"分页结果：{item.__doc__ or item.__name__}",
    })


def paginate(queryset: QuerySet, query: PageQuery) -> dict[str, Any]:
    page = quick_page(queryset, query.page, query.page_size, cap=COUNT_CAP)
    return {
        "count": page.total,
        "count_capped": not page.counted_all,
        "has_next": page.has_next,
        "page": query.page,
        "page_size": query.page_size,
        "items": page.object_list,
    }
