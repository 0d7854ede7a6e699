"""Form fields for the search-as-you-type pickers (areas.pickers): a person, an organization or a household chosen from a
district by typing, never from a <select> of thousands. The field validates the chosen id against its queryset
(what the viewer may pick: one query); the widget renders the search box, the current choice and the results
box that `/pick/<kind>/` fills (web.views.pickers). Without JavaScript the search box is posted with the form;
a form that offers the fallback (`PersonPickField.answer_posted_search`) shows the matches on the page it sends
back, to pick one and send again."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from yishiting.areas.models import Household, Organization, Person
from yishiting.areas.pickers import OrganizationRow, household_rows, people_pick, person_rows
from yishiting.common.text import posted_text

from ..views.common import parse_pk


class PickerWidget(forms.Widget):
    template_name = "web/partials/picker/widget.html"

    def __init__(self, kind: str, *, hint: str = "", attrs=None) -> None:
        super().__init__(attrs)
        self.kind, self.hint, self.params, self.lookup = kind, hint, {}, None
        self.found = None  # areas.pickers.Page: the posted search's matches (no JavaScript)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pk = parse_pk(value)
        picked = self.lookup(pk) if self.lookup and pk is not None else None
        context["picker"] = {"kind": self.kind, "hint": self.hint, "picked": picked, "found": self.found,
                             "url": reverse("web:pick", args=[self.kind]) + "?" + urlencode({"name": name, **self.params})}
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class PickField(forms.ModelChoiceField):
    """A ModelChoiceField whose widget is a picker: the queryset is only used to check the id sent back."""

    def __init__(self, kind: str, *, hint: str = "", **kwargs) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(widget=PickerWidget(kind, hint=hint), **kwargs)
        self.widget.lookup = self.picked_row

    def configure(self, queryset, **params) -> None:
        """The ids the viewer may pick, and the context the search needs (?topic=, ?task=)."""
        self.queryset = queryset
        self.widget.params = {k: v for k, v in params.items() if v is not None}

    def picked_row(self, pk):
        raise NotImplementedError


class PersonPickField(PickField):
    def answer_posted_search(self, data, name: str, actor, *, near: list[str] | None = None, request=None) -> None:
        """Without JavaScript: the search box (`<name>_q`) came with the form and nothing was picked, so the
        page sent back lists the matches (as `/pick/<kind>/` would, names clear only where `actor` may
        unmask, audited) to pick from."""
        # The search box is no form field: the text rule is applied here, before the term reaches the database
        # (PostgreSQL refuses a NUL with a server error); the edge answers the refusal naming the box.
        term = (posted_text(data, f"{name}_q") or "") if data is not None else ""
        if term.strip() and not data.get(name):
            self.widget.found = people_pick(actor, self.queryset, term, near=near, request=request,
                                            reason=f"picker:{self.widget.kind}")

    def picked_row(self, pk):
        person = Person.objects.filter(pk=pk).select_related("area").first()
        # the current choice is shown masked: it was picked from the audited results, not read again in clear
        return person_rows(None, [person], reveal=False)[0] if person else None

    def label_from_instance(self, obj) -> str:
        return str(obj)


class OrganizationPickField(PickField):
    def picked_row(self, pk):
        org = Organization.objects.filter(pk=pk).select_related("area").first()
        return OrganizationRow(org) if org else None


class HouseholdPickField(PickField):
    def picked_row(self, pk):
        household = Household.objects.filter(pk=pk).select_related("unit").first()
        return household_rows(None, [household], reveal=False)[0] if household else None

    def label_from_instance(self, obj) -> str:
        return f"{obj.unit.name} {obj.number}"
