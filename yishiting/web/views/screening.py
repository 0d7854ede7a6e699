"""Screening (定) for community staff: the inbox (most urgent and nearest deadline first, overdue in red),
bulk merge of duplicates, and the screen page with its five outcomes. Two people screening one demand at
once: the second sees who was first and what they decided."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.paging import COUNT_CAP, capped_count
from yishiting.common.text import list_words
from yishiting.deliberation.selectors.templates import template_choice
from yishiting.demands.choices import Outcome
from yishiting.demands.intake import similar_demands
from yishiting.demands.models import Category, Demand
from yishiting.demands.screening import demand_merge, demand_screen
from yishiting.demands.selectors import demands_visible_to, screening_inbox
from yishiting.demands.services import demand_for_screening
from yishiting.demands.timeline import timeline_lines
from yishiting.oversight.clusters import screening_hints

from ..forms.demands import InboxFilterForm
from ..forms.screening import OUTCOME_NATURE, MergeForm, ScreenForm, category_choices
from .common import paginate_capped, permission_required

SCREEN_PERMISSION = "demands.screen"


def _inbox_filtered(queryset: QuerySet[Demand], form: InboxFilterForm) -> QuerySet[Demand]:
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data["status"]:
        queryset = queryset.filter(status=data["status"])
    if data["category"]:
        queryset = queryset.filter(category=data["category"])
    if data["urgency"]:
        queryset = queryset.filter(urgency=data["urgency"])
    if data["overdue"]:
        queryset = queryset.filter(overdue=True)
    if term := data["q"].strip():
        queryset = queryset.filter(Q(number=term) | Q(text__icontains=term))
    return queryset


@never_cache
@permission_required(SCREEN_PERMISSION)
def demand_inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    below = form.is_valid() and form.cleaned_data["below"]
    inbox = screening_inbox(request.user, below=below)
    page = paginate_capped(request, _inbox_filtered(inbox, form))
    return render(request, "web/pages/demands/inbox.html", {
        "form": form, "page": page, "below": below, "total": bounded_count(inbox),
        "overdue_total": bounded_count(inbox.filter(overdue=True)).removeprefix("0"),
    })


def bounded_count(queryset: QuerySet[Demand]) -> str:
    """The inbox's size for its heading, counted up to COUNT_CAP rows ("1000+" past it): a street's queue
    below it may hold hundreds of thousands, and a COUNT of all of them on every visit is what made lists
    slow (issue 18)."""
    count = capped_count(queryset, COUNT_CAP)
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


@never_cache
@require_POST
@permission_required(SCREEN_PERMISSION)
def demand_merge_view(request: HttpRequest) -> HttpResponse:
    """Step 1 (from the inbox): the ticked demands; step 2: choose the primary and give the reason."""
    form = MergeForm(request.POST, inbox=screening_inbox(request.user, below=True))
    if not form.is_valid():
        for error in form.errors.get("ids", []) or form.non_field_errors():
            messages.error(request, error)
        return redirect("web:demand_inbox")
    chosen = sorted(form.cleaned_data["ids"], key=lambda d: d.created_at)
    if form.ready():
        primary = form.cleaned_data["primary"]
        try:
            merged = demand_merge(actor=request.user, primary=primary, reason=form.cleaned_data["reason"],
                                  duplicates=[d for d in chosen if d.pk != primary.pk])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            numbers = list_words(d.number for d in merged)
            messages.success(request, gettext('已将 %(numbers)s 合并到 %(number)s，请继续筛选主诉求。') % {"numbers": numbers, "number": primary.number})
            return redirect("web:demand_screen", pk=primary.pk)
    return render(request, "web/pages/demands/merge.html", {"form": form, "chosen": chosen})


def _load(user, pk: int) -> Demand:
    return (demands_visible_to(user)
            .select_related("topic", "task__handler", "task__organization", "mediation", "rejection_rule",
                            "merged_into", "screened_by", "suggested_category", "level_area__level")
            .prefetch_related("photos").get(pk=pk))


def _stale(request: HttpRequest, demand: Demand) -> bool:
    """A decision posted for a state the demand has left (someone screened or escalated it meanwhile)."""
    return request.method == "POST" and request.POST.get("expected_status", demand.status) != demand.status


def _screenable(request: HttpRequest, pk: int) -> Demand:
    try:
        demand_for_screening(request.user, pk)
    except NotFound:
        raise Http404 from None
    except PermissionDeniedError as exc:
        # Escalated by a colleague while this page was open: say so, rather than a bare "forbidden".
        demand = demands_visible_to(request.user).filter(pk=pk).first()
        if demand is None or not _stale(request, demand):
            raise PermissionDenied(exc.message) from None
    return _load(request.user, pk)


def _conflict_message(demand: Demand) -> str:
    return gettext('该诉求已被他人处理（当前状态：%(get_status_display)s），请刷新。') % {"get_status_display": demand.get_status_display()}


def chosen_category(request: HttpRequest, demand: Demand) -> Category | None:
    """The category picked on the form (GET: the htmx refresh of the hints; POST: the decision), if the form
    offers it; anything else means the stored one."""
    value = (request.POST if request.method == "POST" else request.GET).get("category", "")
    return category_choices(demand).filter(pk=value).first() if demand.is_open and value.isdigit() else None


def _hints(demand: Demand, chosen: Category | None) -> dict:
    """举一反三 (可能属于类案, 复发) for the category chosen on the form."""
    return {"chosen_category": chosen or demand.category,
            **screening_hints(demand, chosen.pk if chosen else None)}


@never_cache
@permission_required(SCREEN_PERMISSION)
def demand_screen_view(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _screenable(request, pk)
    chosen = chosen_category(request, demand)
    if request.htmx and request.method == "GET" and "category" in request.GET:  # the category select changed
        return render(request, "web/partials/oversight/screening_hints.html",
                      {"demand": demand, "form": demand.is_open, "refreshed": True, **_hints(demand, chosen)})
    initial = {"category": chosen.pk} if chosen else {}
    form = ScreenForm(request.POST or None, demand=demand, initial=initial) if demand.is_open else None
    conflict, status = "", 200
    if _stale(request, demand):
        conflict, status, form = _conflict_message(demand), 409, None
    elif form is not None and request.method == "POST" and form.is_valid():
        try:
            demand_screen(actor=request.user, demand=demand, decision=form.decision(),
                          expected_status=form.cleaned_data["expected_status"])
        except Conflict as exc:
            conflict, status, form = exc.message, 409, None
            demand = _load(request.user, pk)  # the state the other person left it in (maybe handed upward)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            label = dict(Outcome.choices)[form.cleaned_data["outcome"]]
            messages.success(request, gettext('诉求 %(number)s 已筛选：%(label)s。已通知诉求人。') % {"number": demand.number, "label": label})
            return redirect("web:demand_inbox")
    return render(request, "web/pages/demands/screen.html", {
        "demand": demand, "form": form, "conflict": conflict, "timeline": timeline_lines(demand),
        "today": timezone.localdate(),
        "similar": similar_demands(demand.text, demand.area, visible=demands_visible_to(request.user),
                                   exclude_id=demand.pk),
        "outcome_natures": ",".join(f"{o}:{n}" for o, n in OUTCOME_NATURE.items()),
        "area_template": template_choice(demand.level_area),  # what a new topic runs under (no hand choice)
        **_hints(demand, chosen),
    }, status=status)
