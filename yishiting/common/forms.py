"""The product's text rule (docs/text-input.md) on every form, whatever its fields: the one base all forms use.

`Form` and `ModelForm` (and `TextRuleMixin` for a form built on one of Django's own, such as PasswordChangeForm)
check the raw value of every field — text, choices, ids, dates, hidden tokens — before the field reads it: a NUL,
another control character or an unpaired surrogate is refused on that field with one clear message, before a
choice field looks it up in the database (where PostgreSQL would refuse it with a server error). Text longer than
MAX_TEXT_LENGTH is refused too; a field with a max_length of its own keeps its own limit and message.

The admin's forms derive from `ModelForm` (common.admin.ScopedAdminMixin.form); `yishiting/web/tests/
test_text_edge.py` walks every form class of the project and fails on one that does not.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from .text import MAX_TEXT_LENGTH, values_problem

_CHECKED: dict[type, type] = {}


def _checked_class(cls: type[forms.Field]) -> type[forms.Field]:
    """`cls` with the rule in front of its `clean`. A subclass rather than a wrapper on the instance, so a copy
    of the field (Django deep-copies fields per form) checks its own value."""
    if getattr(cls, "text_rule", False):
        return cls
    if cls not in _CHECKED:
        def clean(self: forms.Field, value: Any, *args: Any) -> Any:
            own_limit = isinstance(self, forms.CharField) and self.max_length is not None
            if problem := values_problem(value, max_length=None if own_limit else MAX_TEXT_LENGTH):
                raise ValidationError(problem[1], code=problem[0])
            return super(checked, self).clean(value, *args)

        checked = type(cls.__name__, (cls,), {"clean": clean, "text_rule": True, "__module__": cls.__module__,
                                              "__qualname__": cls.__qualname__})
        _CHECKED[cls] = checked
    return _CHECKED[cls]


class TextRuleMixin:
    """Put before the Django form class: `class MyForm(TextRuleMixin, forms.Form)`."""

    text_rule = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.__class__ = _checked_class(type(field))
            # The rule covers NUL in its own words (Django's says "不允许是用空字符串").
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class Form(TextRuleMixin, forms.Form):
    pass


class ModelForm(TextRuleMixin, forms.ModelForm):
    pass

