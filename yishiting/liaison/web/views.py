"""Liaison pages: 我联系的社区 (a linked leader's glance at each community), the 挂点 links of an area (set up,
revoked), deputies' contact records (recorded on the phone; each raised matter becomes a demand in one tap) and
the yearly count per deputy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Area, Person, RoleAssignment
from yishiting.areas.selectors import community_depth, person_of_user
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm, scope_for
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate, permission_required

from .. import selectors, services
from ..choices import deputy_kind_for
from ..models import RaisedMatter
from ..rules import LEADER_ROLES, is_deputy, may_open
from .forms import LinkFilterForm, LinkForm, MatterForm, RecordFilterForm, RecordForm

PAGES = "liaison/"


def _tabs(user) -> dict:
    return {"may_links": has_perm(user, "liaison.links_view"), "may_records": has_perm(user, "liaison.records_view"),
            "may_record": has_perm(user, "liaison.record")}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    links = list(selectors.my_links(request.user, today))
    if not links and not may_open(request.user):
        raise PermissionDenied("liaison")
    return render(request, PAGES + "home.html", {
        "glances": [selectors.glance(link, today) for link in links], "today": today, **_tabs(request.user)})


@permission_required("liaison.links_view")
def link_list(request: HttpRequest) -> HttpResponse:
    form = LinkFilterForm(request.GET or None)
    rows = selectors.links_visible_to(request.user)
    if form.is_valid():
        rows = selectors.link_search(rows, text=form.cleaned_data["q"], state=form.cleaned_data["state"],
                                     today=timezone.localdate())
    return render(request, PAGES + "links.html", {
        "form": form, "page": paginate(request, rows.order_by("path", "-starts_on", "pk")),
        "today": timezone.localdate(), "may_manage": has_perm(request.user, "liaison.links_manage"),
        **_tabs(request.user)})


def _link_form(request: HttpRequest) -> LinkForm:
    communities = Area.objects.filter(scope_for(request.user, "liaison.links_manage").q(),
                                      level__depth=community_depth(), is_active=True).order_by("path")
    scope = scope_for(request.user, "liaison.links_manage")
    # Leaders of the districts the user works in (a district department's leader may link anywhere in it).
    districts = Q() if scope.everything else Q(pk__in=[])
    for path in {p[:PATH_STEP] for p in scope.paths}:
        districts |= Q(roles__path__startswith=path)
    leaders = (Person.objects.filter(districts, roles__role__in=LEADER_ROLES, roles__is_active=True).distinct()
               .order_by("name"))
    return LinkForm(request.POST or None, leaders=leaders, communities=communities)


@permission_required("liaison.links_manage")
@idempotent
def link_new(request: HttpRequest) -> HttpResponse:
    form = _link_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("挂点联系已设立。"))
            return redirect("web:liaison_links")
    return render(request, PAGES + "link_new.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@permission_required("liaison.links_manage")
def link_end(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(selectors.links_visible_to(request.user), pk=pk)
    try:
        services.link_end(actor=request.user, link=link, reason=request.POST.get("reason", "")[:200])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("挂点联系已撤销。"))
    return redirect("web:liaison_links")


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "liaison.records_view"):
        raise PermissionDenied("liaison.records_view")
    form = RecordFilterForm(request.GET or None)
    rows = selectors.records_visible_to(request.user)
    if form.is_valid():
        rows = selectors.record_search(rows, text=form.cleaned_data["q"], method=form.cleaned_data["method"],
                                       year=form.cleaned_data["year"])
    return render(request, PAGES + "records.html", {
        "form": form, "page": paginate(request, rows.order_by("-held_on", "-pk")), **_tabs(request.user)})


def _record_areas(user):
    depth = community_depth()
    return (Area.objects.filter(scope_for(user, "liaison.record").q(), level__depth__in=[depth, depth + 1],
                                is_active=True).order_by("path"))


def _kind_of(user) -> str:
    """The deputy's kind from their role's title (人大代表, 政协委员, else 党代表) as the form's first guess."""
    titles = RoleAssignment.objects.filter(person__user=user, role=Role.DEPUTY, is_active=True).values_list("title",
                                                                                                          flat=True)
    return deputy_kind_for(" ".join(titles))


def _people(area: Area, mobiles: list[str]) -> list[Person]:
    community = area.path[: community_depth() * PATH_STEP]
    return list(Person.objects.filter(mobile__in=mobiles[:50], path__startswith=community)) if mobiles else []


@permission_required("liaison.record")
@idempotent
def record_new(request: HttpRequest) -> HttpResponse:
    areas = _record_areas(request.user)
    form = RecordForm(request.POST or None, areas=areas,
                      initial={"deputy_kind": _kind_of(request.user), "area": areas.first()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("matters", "mobiles")}
        try:
            record = services.record_create(actor=request.user, matters=form.matter_lines(),
                                            people=_people(data["area"], form.mobile_lines()), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("联系记录已保存。"))
            return redirect("web:liaison_record", pk=record.pk)
    return render(request, PAGES + "record_new.html", {"form": form, "is_deputy": is_deputy(request.user)},
                  status=400 if form.errors else 200)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    person = person_of_user(request.user)
    mine = person is not None and person.pk == record.deputy_id
    return render(request, PAGES + "record.html", {
        "record": record, "rows": selectors.matter_rows(record), "mine": mine,
        "people": [mask_name(p.name) for p in record.people.all()], "matter_form": MatterForm() if mine else None})


@require_POST
@login_required
def matter_add(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    form = MatterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写事项内容。"))
        return redirect("web:liaison_record", pk=record.pk)
    try:
        services.matter_add(actor=request.user, record=record, text=form.cleaned_data["text"])
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:liaison_record", pk=record.pk)


@require_POST
@login_required
def matter_demand(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(RaisedMatter.objects.filter(record__in=selectors.records_visible_to(request.user)),
                               pk=pk)
    try:
        demand = services.matter_to_demand(actor=request.user, matter=matter)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已转为诉求 %(number)s，社区将按时筛选。") % {"number": demand.number})
    return redirect("web:liaison_record", pk=matter.record_id)


@permission_required("liaison.records_view")
def deputy_year(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RecordFilterForm(request.GET or None)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    rows = selectors.yearly_counts(selectors.records_visible_to(request.user), year)
    return render(request, PAGES + "deputies.html", {"rows": rows, "year": year,
                                                     "years": list(range(today.year, today.year - 5, -1)),
                                                     **_tabs(request.user)})
