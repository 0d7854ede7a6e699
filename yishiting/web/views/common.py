"""Shared bits of the page views: a named-permission guard and pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest

from yishiting.common.paging import QuickPage, keyset_page, list_page, page_number, quick_page
from yishiting.common.rules import has_perm

PER_PAGE = 30


def permission_required(name: str) -> Callable:
    """Log in first, then the named permission must hold somewhere in the user's scope (else 403).

    Object-level scope is enforced by fetching through the `*_visible_to` selectors (out of scope → 404).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not has_perm(request.user, name):
                raise PermissionDenied(name)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def parse_pk(value: object) -> int | None:
    """A typed-in id ("12"), or None when it is missing or not a plain whole number that fits a database id."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def query_pk(request: HttpRequest, name: str) -> int | None:
    """An id from the query string (?topic=12), or None when it is missing or malformed (never a 500)."""
    return parse_pk(request.GET.get(name))


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> QuickPage:
    """A page of any list by ?page=N that never counts more than COUNT_CAP rows (issue 18: Django's Paginator
    counted the whole list on every page): its rows and one more in one query, and a bounded count only when a
    next page exists below the cap (common.paging.quick_page) — never more queries than Paginator's two. A list
    already in memory is sliced. Lists that join much (select_related) and grow long use `paginate_capped`
    (ids first) or, newest first, `paginate_quick` (keyset). Pager: web/partials/quick_pagination.html."""
    number = page_number(request.GET.get("page"))
    if not isinstance(queryset, QuerySet):
        return list_page(list(queryset), number, per_page)
    return quick_page(queryset, number, per_page)


def paginate_quick(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> QuickPage:
    """A page of a newest-first list (created_at, pk descending) that may hold millions of rows: read from the
    ?after= / ?before= cursor the pager's links carry, never a COUNT of the whole list (common.paging). Render
    its pager with web/partials/quick_pagination.html."""
    return keyset_page(queryset, page_number(request.GET.get("page")), per_page, after=request.GET.get("after"),
                       before=request.GET.get("before"))


def paginate_capped(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> QuickPage:
    """A page of a long list in any other order (by deadline, by start): ?page=N by OFFSET, its ids read by a
    narrow query, and a count of at most COUNT_CAP rows, never of the whole list (common.paging). Lists
    newest first use `paginate_quick` instead (no OFFSET at all). Render with web/partials/quick_pagination.html."""
    narrow = not (queryset.query.distinct or queryset.query.combinator)  # their ids cannot be re-read by pk
    return quick_page(queryset, page_number(request.GET.get("page")), per_page, narrow=narrow)


def image_response(stored, content_type: str) -> FileResponse:
    """A stored photo or thumbnail; its file never changes, so the browser may keep it a day."""
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    # Opened on its own (a tap on a thumbnail), the browser shows it in a page of its own making, styled inline:
    # allow that here (an image runs no script), where the site's own policy would block it.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def run_and_tell(request: HttpRequest, run: Callable[[], object], done: str, form=None):
    """Run one write of a POST-then-redirect view and say how it went on the next page: `done` on success; a
    refusal's Chinese message goes on `form` when one is given (the caller re-renders it) or above the
    page; a 403 refusal is the 403 page. Returns the refusal (a DomainError) or None."""
    from django.contrib import messages

    from yishiting.common.errors import DomainError

    try:
        run()
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        if form is not None:
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
        return exc
    messages.success(request, done)
    return None
