"""Words that are formatted when they are read, not when they are made: a check's findings are shown to the
planner in their language and kept on the meeting in the site's (services.meetings.Problem)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext


def _said(message: str, params: dict[str, object]) -> str:
    text = str(message)
    return text % {key: str(value) for key, value in params.items()} if params else text


def said(message: str, **params: object) -> str:
    """`message` (a gettext_lazy msgid with %(name)s places) filled with `params` in the language active when it
    is shown; params may themselves be lazy (choice labels, `listed`)."""
    return lazy(_said, str)(message, params)


def _listed(items: tuple) -> str:
    return gettext("、").join(str(item) for item in items)


def listed(items: Iterable[object]) -> str:
    """Items joined as the reader's language lists them (、 in Chinese, a comma in English), lazily."""
    return lazy(_listed, str)(tuple(items))
