"""三张清单 (Altay): the problem, need and responsibility lists of the viewer's areas, filtered by status,
category, channel, period and level, printable, and exported to XLSX (personal data masked)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from yishiting.areas.selectors import areas_visible_to, community_depth
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm, scope_for
from yishiting.demands.exports import three_list_xlsx
from yishiting.demands.models import Demand
from yishiting.demands.selectors import LISTS, ListFilter, three_list, with_outcome_records
from yishiting.handling.selectors.matters import matter_duties, with_matter

from ..forms.demands import ListFilterForm
from .common import paginate_quick

KINDS = {kind: label for kind, (label, _) in LISTS.items()}


def _works_for_areas(user) -> bool:
    """The lists are the office's ledger: for those who see demands by area, not only their own."""
    scope = scope_for(user, "demands.view")
    return scope.everything or bool(scope.paths)


def _listed(request: HttpRequest, kind: str) -> tuple[ListFilterForm, object]:
    if kind not in KINDS:
        raise Http404
    if not _works_for_areas(request.user):
        raise PermissionDenied("demands.view")
    areas = areas_visible_to(request.user, "demands.view").filter(level__depth__lte=community_depth())
    form = ListFilterForm(request.GET, areas=areas)
    data = form.cleaned_data if form.is_valid() else {}
    filters = ListFilter(status=data.get("status", ""), category=data["category"].pk if data.get("category") else None,
                         channel=data.get("channel", ""), start=data.get("start"), end=data.get("end"),
                         level=data.get("level", ""))
    return form, three_list(request.user, kind, area=data.get("area"), f=filters)


@never_cache
@login_required
def three_list_view(request: HttpRequest, kind: str) -> HttpResponse:
    form, demands = _listed(request, kind)
    if kind == "responsibility":
        demands = with_matter(demands)
    page = paginate_quick(request, with_outcome_records(demands).select_related("level_area"))
    if kind == "responsibility":
        matter_duties(list(page))  # Page keeps the list it made: the template shows these same objects
    return render(request, "web/pages/demands/lists.html", {
        "kind": kind, "kinds": KINDS, "title": KINDS[kind], "form": form, "page": page,
        "can_export": has_perm(request.user, "demands.export"), "today": timezone.localdate(),
    })


@never_cache
@login_required
@heavy_read
def three_list_export(request: HttpRequest, kind: str) -> HttpResponse:
    if not has_perm(request.user, "demands.export"):
        raise PermissionDenied("demands.export")
    form, demands = _listed(request, kind)
    try:
        content = three_list_xlsx(demands, kind)
    except DomainError as exc:
        return render(request, "web/pages/demands/lists.html", {
            "kind": kind, "kinds": KINDS, "title": KINDS[kind], "form": form, "export_error": exc.message,
            "page": paginate_quick(request, Demand.objects.none()), "can_export": True}, status=400)
    filename = f"{KINDS[kind]}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
