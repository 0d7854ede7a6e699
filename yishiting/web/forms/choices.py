"""A model choice read once per form: the officials' figure pages offer the areas in scope (tens to a few thousand)
and Django's ModelChoiceField reads them again for the initial value, for validation and for rendering
(`iterator()` each time) — three round trips where one will do."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class _ReadOnceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.objects()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.objects())


class ReadOnceModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose queryset is read once (on first use) and then served from memory: the first
    object (the form's initial), validating the chosen pk and rendering the options cost one query together."""

    iterator = _ReadOnceIterator

    def objects(self) -> list:
        cached = getattr(self, "_objects", None)
        if cached is None or cached[0] is not self.queryset:
            cached = (self.queryset, list(self.queryset))
            self._objects = cached
        return cached[1]

    def first(self):
        objects = self.objects()
        return objects[0] if objects else None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.objects():
            if str(getattr(obj, key)) == str(getattr(value, key, value)):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": value})
