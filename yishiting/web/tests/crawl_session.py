"""The crawl's data, built once per worker and pass for every module that crawls it.

test_crawl.py, test_crawl_staff_only.py and the English pages of test_english.py render the same data (~45-70 s
to build). They are one xdist group ("crawl", scripts/test.sh), so one worker runs their tests one after the
other, and the data stays open from the first of them to the last: built inside a transaction that
web/tests/conftest.py rolls back as soon as the next test neither asks for it nor belongs to the same module.
Elsewhere (one process, `-k`, a file on its own) the same rule simply builds it again when a crawl comes back.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import transaction
from django.test import override_settings

from yishiting.common.localcache import clear_all

from .crawl_data import CrawlData, build_crawl_data

FIXTURE = "crawl"  # the name the crawling modules ask for


@dataclass
class _Open:
    data: CrawlData
    stack: ExitStack


_open: _Open | None = None


def crawl_data_open(django_db_blocker, tmp_path_factory) -> CrawlData:
    """The open crawl data, built (in a transaction left open) if none is."""
    global _open
    if _open is None:
        stack = ExitStack()
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")))
        stack.enter_context(transaction.atomic())
        try:
            data = build_crawl_data()
        except BaseException:
            stack.__exit__(*sys.exc_info())  # rolls the half-built data back
            raise
        _open = _Open(data, stack)
    return _open.data


def crawl_data_close() -> None:
    """Roll the crawl data back (nothing when none is open)."""
    global _open
    if _open is None:
        return
    opened, _open = _open, None
    transaction.set_rollback(True)
    opened.stack.close()
    clear_all()  # the rolled-back rows fired no signal: forget the places cached by area key


def keeps_crawl_data(item, nextitem) -> bool:
    """Whether the data stays open after `item`: the next test asks for it, or is in the same module (whose
    module-scoped `crawl` fixture still holds it)."""
    if nextitem is None:
        return False
    return FIXTURE in getattr(nextitem, "fixturenames", ()) or nextitem.module is item.module
