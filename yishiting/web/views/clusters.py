"""举一反三 pages for street and district officials: the clusters of one problem across communities (period,
area, category and spread filters), one cluster with its members (reporters masked), spread and trend, and
raising it as one 类案 topic after a confirmation; recurrences (复发) of archived matters for the office staff;
and the screening page's one-click merge of a demand into an open 类案."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.common.errors import DomainError
from yishiting.common.text import list_words
from yishiting.demands.selectors import categories_active
from yishiting.demands.services import demand_for_screening
from yishiting.oversight.clusters import cluster_settings, trend
from yishiting.oversight.models import ClusterTopic
from yishiting.oversight.projection import INLINE_LIMIT, catch_up
from yishiting.oversight.selectors import (
    cluster_areas,
    clusters_listed,
    member_rows,
    recurrence_areas,
    stored_cluster,
    stored_recurrences,
)
from yishiting.oversight.services.clusters import cluster_demand_join, cluster_raise, cluster_run_for

from ..forms.clusters import ClusterFilterForm, PeriodFilterForm, RaiseForm
from .common import paginate, permission_required
from .screening import chosen_category

PAGES = "web/pages/oversight/"
RECURRENCES_PER_PAGE = 30


def _filters(request: HttpRequest) -> ClusterFilterForm:
    form = ClusterFilterForm(request.GET, areas=cluster_areas(request.user), categories=categories_active())
    if not form.fields["area"].queryset.exists():
        raise PermissionDenied("oversight.clusters")
    return form


def _query(data: dict) -> str:
    period = data["period"]
    return urlencode({"area": data["area"].pk, "start": period.start.isoformat(), "end": period.end.isoformat()})


@never_cache
@permission_required("oversight.clusters")
def cluster_list(request: HttpRequest) -> HttpResponse:
    """The kept clusters of the area and period (computed by the tick, or on a period's first request)."""
    form, settings = _filters(request), cluster_settings()
    clusters, data, run = [], {}, None
    if form.is_valid():
        data = form.cleaned_data
        run = cluster_run_for(data["area"], data["period"], settings)
        clusters = clusters_listed(run, category_id=data["category"].pk if data["category"] else None,
                                   min_communities=max(settings.min_communities, data["min_communities"] or 0))
    for cluster in clusters:
        cluster.spread_text = _spread_text(cluster.communities)
    return render(request, PAGES + "clusters.html", {
        "form": form, "clusters": clusters, "query": _query(data) if data else "", "settings": settings,
        "period": data.get("period"), "run": run})


def _spread_text(communities: list, shown: int = 5) -> str:
    """幸福苑社区（2）、和平里社区（1） — the first few communities with their counts, in the page's language."""
    text = list_words(_("%(name)s（%(n)s）") % {"name": name, "n": n} for _pk, name, n in communities[:shown])
    return text + (" …" if len(communities) > shown else "")


def _cluster_or_404(request: HttpRequest, ident: str):
    form = _filters(request)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    cluster = stored_cluster(cluster_run_for(data["area"], data["period"], cluster_settings()), ident)
    if cluster is None:
        raise Http404
    return cluster, data


@never_cache
@permission_required("oversight.clusters")
def cluster_detail(request: HttpRequest, ident: str) -> HttpResponse:
    cluster, data = _cluster_or_404(request, ident)
    return _detail(request, cluster, data, RaiseForm())


def _detail(request, cluster, data, raise_form, status: int = 200) -> HttpResponse:
    figures = trend(cluster, data["period"])
    return render(request, PAGES + "cluster.html", {
        "cluster": cluster, "rows": member_rows(cluster), "trend": figures,
        "trend_max": max((n for _, n in figures), default=0) or 1,
        "period": data["period"], "area": data["area"], "query": _query(data), "raise_form": raise_form,
        "open_members": sum(1 for d in cluster.members if d.is_open)}, status=status)


@never_cache
@require_POST
@permission_required("oversight.clusters")
def cluster_raise_view(request: HttpRequest, ident: str) -> HttpResponse:
    cluster, data = _cluster_or_404(request, ident)
    form, status = RaiseForm(request.POST), 400
    if form.is_valid():
        try:
            row = cluster_raise(actor=request.user, area=data["area"], period=data["period"], ident=ident,
                                title=form.cleaned_data["title"])
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status
        else:
            messages.success(request, _("已发起类案议题“%(title)s”，相关诉求已并入，诉求人将随议题跟进。")
                             % {"title": row.topic.title})
            return redirect("web:topic_detail", pk=row.topic_id)
    return _detail(request, cluster, data, form, status=status)


@never_cache
@permission_required("oversight.recurrences")
def recurrence_list(request: HttpRequest) -> HttpResponse:
    form = PeriodFilterForm(request.GET, areas=recurrence_areas(request.user))
    found = []
    if form.is_valid() and form.cleaned_data["area"] is not None:
        period = form.cleaned_data["period"]
        catch_up(limit=INLINE_LIMIT)  # the demands come in since the last catch-up are checked first
        found = paginate(request, stored_recurrences(form.cleaned_data["area"], period.start, period.end),
                         per_page=RECURRENCES_PER_PAGE)
    return render(request, PAGES + "recurrences.html", {"form": form, "recurrences": found})


@never_cache
@require_POST
@permission_required("demands.screen")
def cluster_join_view(request: HttpRequest, pk: int, demand_pk: int) -> HttpResponse:
    """The screening page's "并入类案" button: the demand goes into the open 类案's topic."""
    cluster = get_object_or_404(ClusterTopic.objects.select_related("topic"), pk=pk, is_open=True)
    try:
        demand = demand_for_screening(request.user, demand_pk)
        category = chosen_category(request, demand)  # as chosen on the screening form: the demand takes it
        cluster_demand_join(actor=request.user, cluster=cluster, demand=demand, category=category)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("web:demand_screen", args=[demand_pk]))
    messages.success(request, _("诉求 %(number)s 已并入类案议题“%(title)s”。已通知诉求人。")
                     % {"number": demand.number, "title": cluster.topic.title})
    return redirect("web:demand_inbox")
