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

from yishiting.common.paging import keyset_page, quick_page

from .schemas.common import CheckedSchema

MAX_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_MAX_PER_PAGE_SIZE", 200)
DEFAULT_PAGE_SIZE = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50)
# Far past any list's end (1,000,000 pages of 200 = 200 million rows), and small enough that OFFSET
# (page - 1) × page_size fits the databases' 64-bit integer: a bigger page is a 422, not a 500.
MAX_PAGE = 1_000_000
COUNT_CAP = 10_000  # an exact count up to here; a longer list says count_capped (a bounded COUNT per page)


CURSOR = r"^\d{1,17}_\d{1,18}$"  # common.paging.cursor_of: microseconds since 1970 (UTC) and the row's id


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


class CursorPageQuery(PageQuery):
    """A newest-first list's page: by `after` (the previous page's next_after) when given, else by page number."""

    after: str | None = Field(None, max_length=40, pattern=CURSOR,
                              description="上一页响应里的 next_after：从它之后接着读（按索引定位，任何深度的页都一样快）；"
                                          "给了 after 时 page 只用作页码显示和计数")


@cache
def cursor_page_of(item: type[Schema]) -> type[Schema]:
    """page_of(item) plus next_after, the cursor of the next page ("" on the last)."""
    base = page_of(item)
    return type(f"{item.__name__}CursorPage", (base,), {
        "__annotations__": {"next_after": str},
        "next_after": Field("", description="下一页的 after 参数；最后一页为空"),
        "__doc__": base.__doc__,
    })


def paginate_keyset(queryset: QuerySet, query: CursorPageQuery) -> dict[str, Any]:
    """A page of a list ordered newest first (created_at, pk descending) read from `after` by keyset, as the web
    lists are (common.paging.keyset_page): page 200 costs what page 1 does; without `after`, by OFFSET."""
    page = keyset_page(queryset, query.page, query.page_size, after=query.after, cap=COUNT_CAP)
    return {
        "count": page.total,
        "count_capped": not page.counted_all,
        "has_next": page.has_next,
        "page": query.page,
        "page_size": query.page_size,
        "items": page.object_list,
        "next_after": page.next_cursor if page.has_next else "",
    }
