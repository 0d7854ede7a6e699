"""Repeatable rows of fields (a notice's plan, a task's milestones) without any script: each row is a small
form in a formset; 添加一项 and 删除 are submit buttons that come back to the same page with what was typed
kept (nothing is saved and no error is shown for a row still being filled). Blank rows are ignored."""

from __future__ import annotations

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy

MAX_ROWS = 50


class RowsFormSet(BaseFormSet):
    """Rows of one form class; `rows()` gives the filled ones' cleaned data in order."""

    row_label = gettext_lazy("项")

    def initial_form_count(self) -> int:
        """Every row is optional (a blank one is skipped), also a row brought back after a row button."""
        return 0

    def rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]

    @property
    def row_errors(self) -> list[str]:
        """"第 2 项：……" for each row's first error, in order (shown above the rows as well as on the row)."""
        found = []
        for number, form in enumerate(self.forms, start=1):
            messages = [e for errors in form.errors.values() for e in errors]
            if messages:
                found.append(gettext('第 %(number)s %(row_label)s：%(messages_0)s') % {"number": number, "row_label": self.row_label, "messages_0": messages[0]})
        return found


def rows_formset(form_class: type[forms.Form], *, label: str = gettext_lazy("项"), min_rows: int = 2):
    """A formset class of `form_class` rows ("第 N {label}"), `min_rows` blank rows to start with."""
    return formset_factory(form_class, formset=type("Rows", (RowsFormSet,), {"row_label": label}), extra=min_rows,
                           max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)


def row_action(data: QueryDict | None, prefix: str) -> str:
    """"add", "remove-N" or "" — which row button, if any, was pressed."""
    return (data or {}).get(f"{prefix}-action", "") if data is not None else ""


def edited_rows(data: QueryDict, prefix: str, fields: list[str]) -> list[dict[str, str]]:
    """The rows as typed, with the pressed button applied (one more blank row, or row N taken out)."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        total = 0
    rows = [{name: data.get(f"{prefix}-{i}-{name}", "") for name in fields} for i in range(total)]
    action = row_action(data, prefix)
    if action == "add" and len(rows) < MAX_ROWS:
        rows.append(dict.fromkeys(fields, ""))
    elif action.startswith("remove-") and action[7:].isdigit() and int(action[7:]) < len(rows):
        rows.pop(int(action[7:]))
    return rows


def build_rows(formset_class, data: QueryDict | None, *, prefix: str, fields: list[str], initial=None):
    """A bound formset for a real submission; for a row button, an unbound one holding the edited rows."""
    if data is not None and row_action(data, prefix):
        rows = edited_rows(data, prefix, fields)
        formset = formset_class(prefix=prefix, initial=rows)
        formset.extra = max(len(rows), 1)
        return formset
    if data is not None:
        return formset_class(data, prefix=prefix)
    formset = formset_class(prefix=prefix, initial=initial)
    formset.extra = max(len(initial or ()), formset.extra)
    return formset
