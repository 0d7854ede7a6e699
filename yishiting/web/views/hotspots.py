"""Hot spots (热点分布): an area's plan with the demands drawn on it (staff, their subtree only), the plan
image itself, and the page where community staff upload a plan and set its reference points."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from yishiting.areas.selectors import areas_visible_to, community_depth
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.oversight.models import AreaPlan
from yishiting.oversight.rules import may_manage_plan, may_see_plan, may_view_plan_hotspots
from yishiting.oversight.selectors.hotspots import plan_layer, plans_for_hotspots
from yishiting.oversight.services.hotspots import plan_save
from yishiting.oversight.svg import hotspot_svg

from ..forms.hotspots import HotspotFilterForm, PlanForm
from .common import image_response, parse_pk, permission_required

MAX_PLAN_PLACES = 50


def plan_image(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    plan = get_object_or_404(AreaPlan, pk=pk)
    if not may_see_plan(request.user, plan):
        raise Http404
    return image_response(plan.image, plan.content_type)


@permission_required("oversight.hotspots")
@heavy_read
def hotspots(request: HttpRequest) -> HttpResponse:
    plans = list(plans_for_hotspots(request.user).order_by("path"))
    plan = next((p for p in plans if p.pk == parse_pk(request.GET.get("plan"))), plans[0] if plans else None)
    form = HotspotFilterForm(request.GET or None)
    context = {"plans": plans, "plan": plan, "form": form,
               "manageable": _plan_places(request.user)}
    if plan is not None and may_view_plan_hotspots(request.user, plan):
        data = form.cleaned_data if form.is_valid() else {}
        category = data.get("category")
        layer = plan_layer(request.user, plan, category_id=category.pk if category else None,
                           start=data.get("start"), end=data.get("end"))
        context.update(layer=layer, by_category=_by_category(layer), svg=hotspot_svg(
            layer, reverse("web:plan_image", args=[plan.pk]),
            lambda pk: reverse("web:demand_detail", args=[pk]), label=gettext("%(plan)s 诉求分布") % {"plan": plan.title}))
    return render(request, "web/pages/oversight/hotspots.html", context)


def _plan_places(user) -> list:
    """Where this person may put a plan: communities and estates/grids of their scope (not buildings)."""
    return list(areas_visible_to(user, "oversight.plans").filter(level__depth__lte=community_depth() + 1)
                .order_by("path")[:MAX_PLAN_PLACES])


def _by_category(layer) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for p in layer.points:
        counts[p.category] = counts.get(p.category, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def _initial(plan: AreaPlan | None) -> dict:
    if plan is None:
        return {}
    initial = {"title": plan.title}
    for i, p in enumerate(plan.reference_points, start=1):
        initial.update({f"p{i}_{k}": p[k] for k in ("x", "y", "lat", "lng")})
    return initial


@never_cache
@permission_required("oversight.plans")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(areas_visible_to(request.user, "oversight.plans"), pk=pk)
    if not may_manage_plan(request.user, area):
        raise Http404
    plan = AreaPlan.objects.filter(area=area).first()
    form = PlanForm(request.POST or None, request.FILES or None, initial=_initial(plan))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("image")
        try:
            plan = plan_save(actor=request.user, area=area, title=form.cleaned_data["title"],
                             reference_points=form.reference_points(),
                             image=b"".join(upload.chunks()) if upload else None)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect(f"{reverse('web:hotspots')}?plan={plan.pk}")
    return render(request, "web/pages/oversight/plan_edit.html", {"area": area, "plan": plan, "form": form})
