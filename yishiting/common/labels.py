"""`get_FOO_display()` for hot list pages, without hashing every lazy label on each call.

Django's own builds `dict(make_hashable(field.flatchoices))` on every call: hashing each lazy label translates
it, so one status on a row cost a translation per status (a 30-row list: hundreds, a fifth of the page's time,
issue 18). Models that show their choices on long lists mix `QuickLabels` in: each field's labels are
translated once per language and process, then looked up.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language


def choice_labels(field: models.Field) -> dict[Any, str]:
    """{value: label} of a field's choices in the active language (built once per field and language)."""
    by_language = field.__dict__.setdefault("_quick_labels", {})
    language = get_language()
    labels = by_language.get(language)
    if labels is None:
        labels = by_language[language] = {value: str(label) for value, label in field.flatchoices}
    return labels


class QuickLabels:
    """Mixed into a model before models.Model: its get_FOO_display() methods use `choice_labels`."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        try:
            return choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
