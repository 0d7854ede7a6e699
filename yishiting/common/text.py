"""What text the product accepts, decided once (docs/text-input.md).

Anything a person types may contain letters, digits, punctuation, emoji, spaces, tabs and line breaks. Refused,
with 422 naming the field in the API and the field's own error on a web form:
- NUL (U+0000): PostgreSQL cannot store it, and no keyboard types it;
- the other control characters (U+0001–U+001F except tab, line feed and carriage return; U+007F–U+009F):
  invisible, they break exports, XLSX cells and printed documents;
- unpaired surrogates (U+D800–U+DFFF, which JSON can carry as "\\ud800"): not characters at all, they cannot
  be encoded as UTF-8 and fail at the database or the renderer;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make text display as
  something else than what is stored;
- the replacement character U+FFFD: what is left of bytes that were not text (on a web form, a lone surrogate
  arrives as one);
- text longer than MAX_TEXT_LENGTH characters in a field without a length of its own.

`text_problem` is the rule; `TextValidator` applies it to a Django form field or model field, and the API's
schemas apply it to every string they read (yishiting.api.schemas.common.CheckedSchema).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, gettext_noop, pgettext

MAX_TEXT_LENGTH = 20_000
# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder how the rest of a line is
# shown ("Trojan Source"): a name or a demand could display as something else than what is stored. The marks
# (U+200E, U+200F, U+061C) that right-to-left writing needs stay accepted.
# U+FFFD is what a decoder leaves where the bytes sent were not text (a lone surrogate sent as UTF-8 by a form, a
# GBK file read as UTF-8): refused, so that the sender sees an error rather than a stored "�".
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffd]")

CONTROL_MESSAGE = gettext_noop("不能包含控制字符或无效字符（如 NUL）。")  # Chinese: the API's message; gettext it for a page


def text_problem(value: str, *, max_length: int | None = MAX_TEXT_LENGTH) -> tuple[str, str] | None:
    """(code, message) if `value` is not acceptable text, None if it is: in the active language (Chinese on the
    API, which always answers in the site's language; English on a page the person reads in English)."""
    if _REFUSED.search(value):
        return "text_invalid_character", gettext(CONTROL_MESSAGE)
    if max_length is not None and len(value) > max_length:
        return "text_too_long", gettext("不能超过 %(n)s 个字。") % {"n": max_length}
    return None


@deconstructible
class TextValidator:
    """The rule as a Django validator (forms and models): length is left to the field's own max_length."""

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and (problem := text_problem(value, max_length=None)):
            raise ValidationError(problem[1], code=problem[0])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator)

    def __hash__(self) -> int:
        return hash(TextValidator)


def list_words(items: Iterable) -> str:
    """Items named in a sentence: 甲、乙 in Chinese, "A, B" in English. The separator is translated with the
    sentence around it, so an English page never shows the Chinese enumeration comma between English words."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def list_clauses(parts: Iterable) -> str:
    """Clauses of one sentence: 甲；乙 in Chinese, "A; B" in English (the separator is translated)."""
    return pgettext("clause separator", "；").join(str(part) for part in parts)


def values_problem(values: object, *, max_length: int | None = MAX_TEXT_LENGTH) -> tuple[str, str] | None:
    """`text_problem` for what a form or an address carries for one name: a string, or a list of them (a
    multiple choice, a repeated query parameter). Anything else (an uploaded file) is not text."""
    if isinstance(values, str):
        return text_problem(values, max_length=max_length)
    if isinstance(values, list | tuple):
        for value in values:
            if isinstance(value, str) and (problem := text_problem(value, max_length=max_length)):
                return problem
    return None


class TextRefused(Exception):  # noqa: N818  (what happened: the text was refused)
    """Raised by a view reading a value without a form (`posted_text`): the edge middleware answers it like a
    refused query parameter (docs/text-input.md), naming the field; nothing was written."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.code, self.message = field, code, message


def posted_text(data: object, name: str, default: str = "", *, max_length: int | None = MAX_TEXT_LENGTH) -> str:
    """`request.POST.get(name, default)` under the rule, for the few views that read a value without a form."""
    value = data.get(name, default)  # type: ignore[attr-defined]
    if isinstance(value, str) and (problem := text_problem(value, max_length=max_length)):
        raise TextRefused(name, *problem)
    return value
