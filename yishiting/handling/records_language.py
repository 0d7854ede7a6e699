"""Records are kept in the community's language (the site's, zh-hans) whatever language the person reading the page
picked: the dossier (its content is hashed and sealed), the notice poster, the minutes, the task ledger and a round's
stored result. Pages around them follow the person's choice; what is written down for the record does not."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation

P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` with the site's language active (choices labels, event sentences and rules come out Chinese)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


def site_text(message: str, /, **values: object) -> str:
    """A message marked with gettext_noop, worded in the site's language: what is written down for others (a
    notification, a reason kept with a task, a file's default name) reads the same whoever's page sent it."""
    with translation.override(settings.LANGUAGE_CODE):  # lazy values (choice labels) are worded here too
        text = translation.gettext(message)
        return text % {key: str(value) for key, value in values.items()} if values else text
