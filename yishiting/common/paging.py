"""Pages of a long list that never count the whole list (issue 18: lists flat with volume).

Django's Paginator runs `SELECT COUNT(*)` over the whole filtered list on every page: at a million demands that
one query is most of the page (806 ms on 问题清单). A `QuickPage` instead reads one row more than it shows (so it
knows whether a next page exists) and counts at most `cap` + 1 rows (`COUNT(*)` over a `LIMIT` subquery, which
stops early), so the page shows "共 N 条" for short lists and "1,000 条以上" for long ones; both costs are bounded
by the page and the cap, not by the table.

Lists newest first (created_at, pk descending) go on by keyset (`keyset_page`): 下一页 carries the last row's
position (?after=…), 上一页 the first row's (?before=…), and the page reads from there through the index, so the
200th page costs what the first does; OFFSET made the database read, join and drop every earlier row (page 200 of
the problem list: 1.3 s). ?page=N stays as the page's number on screen and, alone (a bookmark), still opens that
page by OFFSET, bounded by `MAX_PAGE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import IntegerField, Q, QuerySet, Subquery

COUNT_CAP = 1000
MAX_PAGE = 100_000


def capped_count(queryset: QuerySet, cap: int) -> int:
    """How many rows, counting at most `cap` + 1 of them (a result above `cap` means "more than cap")."""
    return queryset.order_by()[:cap + 1].count()


class SubqueryCount(Subquery):
    """How many rows of `related` (filtered by OuterRef to the listed row), per row of a page. Where
    annotate(Count("relation")) joins and groups every row of the list before its LIMIT (and its narrow id query
    and bounded COUNT keep that GROUP BY), this runs for the page's rows only, and not at all where the row's
    count is not selected (the ids, the capped count)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, related: QuerySet, **extra) -> None:
        super().__init__(related.order_by().values("pk"), **extra)


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
    next_cursor: str = ""  # the last row's position (keyset lists): the next page starts after it
    previous_cursor: str = ""  # the first row's: the previous page ends before it

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


def quick_page(queryset: QuerySet, number: int, per_page: int, *, cap: int | None = None,
               narrow: bool = False) -> QuickPage:
    """Rows of page `number` (`per_page` each, by OFFSET) and a count of at most `cap` (default COUNT_CAP) + 1
    rows: two queries at most whatever the list's size (one on the last page: its end is the size); with
    `narrow`, the rows in two steps (`rows_of`)."""
    start = (number - 1) * per_page
    rows = rows_of(queryset, start, start + per_page + 1) if narrow else list(queryset[start:start + per_page + 1])
    return _counted(queryset, rows, number, per_page, cap)


def list_page(rows: list, number: int, per_page: int) -> QuickPage:
    """Page `number` of a list already in memory (its length costs nothing to know)."""
    start = (number - 1) * per_page
    return QuickPage(rows[start:start + per_page], number, per_page, len(rows) > start + per_page, len(rows), True)


def rows_of(queryset: QuerySet, start: int, stop: int) -> list:
    """Rows `start`..`stop` of `queryset` in two steps: their ids by a narrow query on the list's own table (no
    select_related joins), then those rows with everything the page shows. In one query PostgreSQL may join
    every matching row before it sorts and keeps 31 (1 s for a community's 15,000 problems)."""
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    found = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()} if ids else {}
    return [found[pk] for pk in ids if pk in found]


def _counted(queryset: QuerySet, rows: list, number: int, per_page: int, cap: int | None) -> QuickPage:
    """The page of `rows` (at most per_page + 1: the extra one says a next page exists) with its bounded count."""
    cap = COUNT_CAP if cap is None else cap
    start = (number - 1) * per_page
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if not has_next and (rows or number == 1):
        return QuickPage(rows, number, per_page, False, start + len(rows), True)  # the end is the size: no COUNT
    if has_next and start + per_page >= cap:
        return QuickPage(rows, number, per_page, True, start + per_page, False)  # past the cap: no COUNT
    count = capped_count(queryset, cap)
    return QuickPage(rows, number, per_page, has_next, min(count, cap), count <= cap)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_of(row) -> str:
    """A row's position in a newest-first list: its created_at in microseconds since 1970 (UTC) and its pk."""
    return f"{(row.created_at - EPOCH) // timedelta(microseconds=1)}_{row.pk}"


def parse_cursor(raw: object) -> tuple[datetime, int] | None:
    """?after= / ?before= back to (created_at, pk); None for anything malformed (the page then opens by number)."""
    moment, _, pk = str(raw or "").partition("_")
    if not (moment.isascii() and moment.isdigit() and pk.isascii() and pk.isdigit() and len(moment) <= 17
            and len(pk) <= 18):
        return None
    return EPOCH + timedelta(microseconds=int(moment)), int(pk)


def keyset_page(queryset: QuerySet, number: int, per_page: int, *, after: object = None, before: object = None,
                cap: int | None = None) -> QuickPage:
    """A page of a list ordered newest first (created_at, pk descending), read from a cursor when one is given:
    after (下一页) the rows older than it, before (上一页) the rows newer than it — an index range however deep
    the page. The `created_at` bound alone is what lets the database start the index scan at the cursor; the
    OR settles ties at the same moment."""
    if (position := parse_cursor(after)) is not None:
        moment, pk = position
        older = queryset.filter(created_at__lte=moment).filter(Q(created_at__lt=moment) | Q(created_at=moment,
                                                                                           pk__lt=pk))
        page = _counted(queryset, rows_of(older, 0, per_page + 1), number, per_page, cap)
    elif (position := parse_cursor(before)) is not None and number > 1:
        moment, pk = position
        newer = queryset.filter(created_at__gte=moment).filter(Q(created_at__gt=moment) | Q(created_at=moment,
                                                                                            pk__gt=pk))
        rows = rows_of(newer.order_by("created_at", "pk"), 0, per_page + 1)
        number = number if len(rows) > per_page else 1  # nothing newer than these: it is the first page
        page = _counted(queryset, [*reversed(rows[:per_page]), *([None] if rows else [])], number, per_page, cap)
    else:
        page = quick_page(queryset, number, per_page, cap=cap, narrow=True)
    if page.object_list:
        page.next_cursor, page.previous_cursor = cursor_of(page.object_list[-1]), cursor_of(page.object_list[0])
    return page
