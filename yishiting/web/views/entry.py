"""The worker's fast entry (网格员代录): keyboard only, on a doorstep, in under a minute.

The area picker finds a building by name or pinyin initials (`xfy3` → 幸福苑3栋); the resident picker finds a
registered person by full name or mobile (masked list) or registers a new one. After saving, the page comes
back empty for the next entry and shows the number just created."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from yishiting.areas.models import Person
from yishiting.areas.selectors import area_find, areas_visible_to, people_filter, people_visible_to
from yishiting.areas.services import person_create
from yishiting.common.errors import Conflict, DomainError
from yishiting.demands.choices import Channel, ReporterKind
from yishiting.demands.models import Demand
from yishiting.demands.selectors import demands_visible_to
from yishiting.demands.services import Submission, demand_submit

from ..forms.demands import PICKER_LIMIT, DemandEntryForm, ReporterMode, new_token
from ..guard import draft_of, keeps_draft
from .common import parse_pk, permission_required, query_pk

ENTRY_PERMISSION = "demands.enter_on_behalf"


def _scopes(user):
    return areas_visible_to(user, ENTRY_PERMISSION), people_visible_to(user).select_related("household__unit__parent")


def _reporter(user, form: DemandEntryForm) -> tuple[str, Person | None]:
    """(reporter kind, person) for the chosen mode; a new resident is registered (or found by mobile)."""
    data = form.cleaned_data
    mode = data["mode"]
    if mode == ReporterMode.ANONYMOUS:
        return ReporterKind.ANONYMOUS, None
    if mode == ReporterMode.SELF:
        return ReporterKind.SELF, None
    if mode == ReporterMode.RESIDENT:
        return ReporterKind.ON_BEHALF, data["reporter"]
    known = form.scope_people.filter(mobile=data["new_mobile"]).first()
    person = known or person_create(actor=user, name=data["new_name"], mobile=data["new_mobile"],
                                    area=data["area"])
    return ReporterKind.ON_BEHALF, person


@transaction.atomic  # a newly registered resident is kept only if their demand is saved too
def _save(user, form: DemandEntryForm) -> Demand:
    data = form.cleaned_data
    kind, person = _reporter(user, form)
    submission = Submission(
        text=data["text"], area=data["area"], channel=data["channel"], category=data["category"],
        urgency=data["urgency"], reporter_kind=kind, reporter=person,
        consent_recorded=kind == ReporterKind.ON_BEHALF and data["consent"],
        household=person.household if person is not None and person.household_id else None,
    )
    token = data.get("token")
    return demand_submit(actor=user, submission=submission, idempotency_key=f"web:{token}" if token else None)


@keeps_draft
@never_cache
@permission_required(ENTRY_PERMISSION)
def demand_entry(request: HttpRequest) -> HttpResponse:
    areas, people = _scopes(request.user)
    if request.method == "POST":
        form = DemandEntryForm(request.POST, areas=areas, people=people)
        if form.is_valid():
            try:
                demand = _save(request.user, form)
            except Conflict:  # a resend of an entry already saved with other content
                form.data = form.data.copy()
                form.data["token"] = new_token()
                form.add_error(None, gettext("这条已经保存过。如要录入新的一条，请检查后再次保存。"))
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                query = urlencode({"channel": form.cleaned_data["channel"], "last": demand.pk})
                return redirect(f"{reverse('web:demand_entry')}?{query}")
    else:
        channel = request.GET.get("channel")
        form = DemandEntryForm(initial={"channel": channel if channel in Channel.values else Channel.HOME_VISIT,
                                        "token": new_token()}, areas=areas, people=people)
        if draft := draft_of(request):  # kept across an expired session or a stale page
            draft.fill(request, form)
    last_pk = query_pk(request, "last")
    last = demands_visible_to(request.user).filter(pk=last_pk).first() if last_pk else None
    return render(request, "web/pages/demands/entry.html", {"form": form, "last": last, **_picked(form)})


def _picked(form: DemandEntryForm) -> dict:
    """What the two pickers show when the page is drawn again: the choice made, or the matches to pick from."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})
    else:  # a kept draft puts the chosen ids in initial
        data = {"area": _chosen(form.scope_areas, form.initial.get("area")),
                "reporter": _chosen(form.scope_people, form.initial.get("reporter"))}
    area, reporter = data.get("area"), data.get("reporter")
    return {"area_matches": [area] if area else form.area_matches, "area_chosen": area.pk if area else None,
            "person_matches": [reporter] if reporter else form.person_matches,
            "person_chosen": reporter.pk if reporter else None}


def _chosen(scope, pk):
    pk = parse_pk(pk)
    return scope.filter(pk=pk).first() if pk is not None else None


@permission_required(ENTRY_PERMISSION)
def entry_area_search(request: HttpRequest) -> HttpResponse:
    """htmx: areas in the worker's scope matching a name or pinyin initials, for the keyboard picker."""
    term = request.GET.get("area_q", "").strip()[:50]
    areas, _ = _scopes(request.user)
    matches = area_find(areas, term, PICKER_LIMIT)
    return render(request, "web/partials/demands/area_results.html",
                  {"area_matches": matches, "area_chosen": matches[0].pk if matches else None, "term": term})


@permission_required(ENTRY_PERMISSION)
def entry_person_search(request: HttpRequest) -> HttpResponse:
    """htmx: registered people in scope with exactly this name or mobile, masked."""
    term = request.GET.get("person_q", "").strip()[:50]
    _, people = _scopes(request.user)
    matches = list(people_filter(people, q=term)[:PICKER_LIMIT]) if term else []
    return render(request, "web/partials/demands/person_results.html",
                  {"person_matches": matches, "person_chosen": matches[0].pk if matches else None, "term": term})
