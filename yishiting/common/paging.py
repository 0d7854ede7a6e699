"""Pages of a long list that never count the whole list (issue 18: lists flat with volume).

Django's Paginator runs `SELECT COUNT(*)` over the whole filtered list on every page: at a million demands that
one query is most of the page (806 ms on 问题清单). A `QuickPage` instead reads one row more than it shows (so it
knows whether a next page exists) and counts at most `cap` + 1 rows (`COUNT(*)` over a `LIMIT` subquery, which
stops early), so the page shows "共 N 条" for short lists and "1,000 条以上" for long ones; both costs are bounded
by the page and the cap, not by the table. Page numbers (?page=N) stay, so links and bookmarks keep working;
OFFSET is bounded by `MAX_PAGE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

COUNT_CAP = 1000
MAX_PAGE = 100_000


def capped_count(queryset: QuerySet, cap: int) -> int:
    """How many rows, counting at most `cap` + 1 of them (a result above `cap` means "more than cap")."""
    return queryset.order_by()[:cap + 1].count()


def page_number(raw: object) -> int:
    """?page= as a page number from 1 to MAX_PAGE; anything else is the first page (never a 500)."""
    text = str(raw or "")
    return min(int(text), MAX_PAGE) if text.isascii() and text.isdigit() and 0 < len(text) < 10 and int(text) else 1


@dataclass
class QuickPage:
    """One page: its rows, its number, whether a next one exists and the list's size when it is cheap to know
    (`total` is exact when `counted_all`, else "more than `total`"). Quacks like Django's Page where templates
    use it (iteration, object_list, has_next, has_previous, next/previous_page_number, has_other_pages)."""

    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool
    total: int
    counted_all: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the whole list was counted, else None (the pager then shows no total)."""
        return max(1, -(-self.total // self.per_page)) if self.counted_all else None


def quick_page(queryset: QuerySet, number: int, per_page: int, *, cap: int = COUNT_CAP) -> QuickPage:
    """Rows of page `number` (`per_page` each) and a bounded count: two queries whatever the list's size."""
    start = (number - 1) * per_page
    rows = list(queryset[start:start + per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if not has_next and (rows or number == 1):
        return QuickPage(rows, number, per_page, False, start + len(rows), True)  # the end is the size: no COUNT
    if has_next and start + per_page >= cap:
        return QuickPage(rows, number, per_page, True, start + per_page, False)  # past the cap: no COUNT
    count = capped_count(queryset, cap)
    return QuickPage(rows, number, per_page, has_next, min(count, cap), count <= cap)
