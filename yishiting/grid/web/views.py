"""The grid's pages: the worker's 网格工作 (my 包联 with who is not visited this month, the record buttons), the
phone form for a visit or patrol, one record with its findings (each a demand in one tap), the staff's 包联 list
and coverage per grid, and the resident's 我的网格 (亮身份)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.web.forms.demands import read_photos
from yishiting.web.guard import idempotent
from yishiting.web.views.common import image_response, paginate, permission_required, query_pk

from .. import selectors
from .. import services as grid
from ..choices import RecordKind
from ..models import Finding, RecordPhoto
from ..rules import is_recorder
from .forms import AssignForm, RecordForm

PAGES = "grid/"


def _estate_choice(request: HttpRequest, permission: str) -> tuple[Area | None, list[Area]]:
    """The estate picked with ?estate= among those in scope (default: the first), and the first few to switch to."""
    estates = selectors.estates_for(request.user, permission)
    pk = query_pk(request, "estate")
    estate = (estates.filter(pk=pk).first() if pk is not None else None) or estates.first()
    if pk is not None and estate is not None and estate.pk != pk:
        raise Http404
    return estate, list(estates[:30])


@permission_required("grid.record")
def home(request: HttpRequest) -> HttpResponse:
    """网格工作: my 包联 this month (not yet visited first), what I may record, my latest records."""
    person, month = person_for_user(request.user), selectors.Month.parse(request.GET.get("month"))
    mine = selectors.assignments_of(person, month)
    user = request.user
    return render(request, PAGES + "home.html", {
        "month": month, "assignments": paginate(request, mine), "unvisited": mine.filter(visited=False).count(),
        "records": selectors.records_visible_to(user).filter(recorder=person)[:10] if person else [],
        "kinds": _kinds_for(user), "may_view": has_perm(user, "grid.view"), "may_assign": has_perm(user, "grid.assign"),
        "lives_here": bool(person and person.household_id)})


def _kinds_for(user) -> list[tuple[str, str]]:
    estate = has_perm(user, "grid.estate_record")
    return [(k.value, k.label) for k in RecordKind if estate or k in (RecordKind.VISIT, RecordKind.PATROL)]


@permission_required("grid.record")
@idempotent
def record_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", RecordKind.VISIT)
    if kind not in RecordKind.values:
        raise Http404
    estate, estates = _estate_choice(request, "grid.record")
    if estate is None:
        raise PermissionDenied("grid.record")
    form = RecordForm(request.POST or None, request.FILES or None, kind=kind, estate=estate,
                      initial=_record_initial(request, estate))
    if request.method == "POST" and form.is_valid():
        try:
            record = grid.record_create(actor=request.user, entry=_entry(form, kind))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已记录。发现的问题可在下方一键转为诉求。") if record.findings.exists()
                             else _("已记录。"))
            return redirect("web:grid_record", pk=record.pk)
    return render(request, PAGES + "record_new.html", {
        "form": form, "kind": kind, "kind_label": RecordKind(kind).label, "estate": estate, "estates": estates},
        status=400 if form.errors else 200)


def _record_initial(request: HttpRequest, estate: Area) -> dict:
    initial = {"household": query_pk(request, "household")}
    place = query_pk(request, "place")
    initial["place"] = place if place is not None else estate.pk
    return initial


def _entry(form: RecordForm, kind: str) -> grid.RecordEntry:
    d = form.cleaned_data
    return grid.RecordEntry(
        kind=kind, place=Area.objects.get(pk=d["place"]), summary=d["summary"], household=d.get("household"),
        occurred_at=d["occurred_at"], position=d["position"], latitude=d.get("latitude"),
        longitude=d.get("longitude"), findings=d["findings"],
        participants=d.get("participants", ""), organizations=list(d.get("organizations") or []),
        photos=read_photos(d["photos"]))


def _record(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.records_visible_to(request.user), pk=pk)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    may_report = is_recorder(request.user, record) or has_perm(request.user, "grid.view", record)
    return render(request, PAGES + "record.html", {
        "r": record, "findings": selectors.findings_of(record), "photos": list(record.photos.all()),
        "organizations": list(record.organizations.all()), "may_report": may_report})


@login_required
def record_photo(request: HttpRequest, pk: int, photo_pk: int, thumb: bool = False) -> HttpResponse:
    """Photos may show people's homes: whoever may read the record only."""
    record = _record(request, pk)
    photo = get_object_or_404(RecordPhoto, pk=photo_pk, record=record)
    if thumb and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@require_POST
@login_required
def finding_report(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.filter(record__in=selectors.records_visible_to(request.user)), pk=pk)
    try:
        demand = grid.finding_report(actor=request.user, finding=finding)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已转为诉求 %(number)s，社区将筛选办理。") % {"number": demand.number})
    return redirect("web:grid_record", pk=finding.record_id)


@permission_required("grid.view")
def record_list(request: HttpRequest) -> HttpResponse:
    month = selectors.Month.parse(request.GET.get("month"))
    start, end = month.bounds
    rows = selectors.records_visible_to(request.user).filter(occurred_at__gte=start, occurred_at__lt=end)
    kind = request.GET.get("kind", "")
    if kind in RecordKind.values:
        rows = rows.filter(kind=kind)
    if (estate := query_pk(request, "estate")) is not None:
        rows = rows.filter(estate_id=estate)
    return render(request, PAGES + "records.html", {"records": paginate(request, rows), "month": month,
                                                    "kind": kind, "kinds": RecordKind.choices})


@permission_required("grid.view")
def assignment_list(request: HttpRequest) -> HttpResponse:
    estate, estates = _estate_choice(request, "grid.view")
    if estate is None:
        raise PermissionDenied("grid.view")
    month = selectors.Month.parse(request.GET.get("month"))
    rows = selectors.with_visits(selectors.assignments_visible_to(request.user).filter(estate=estate, is_active=True),
                                 month).order_by("visited", "path", "pk")
    if request.GET.get("unvisited"):
        rows = rows.filter(visited=False)
    page = paginate(request, rows)
    return render(request, PAGES + "assignments.html", {
        "estate": estate, "estates": estates, "month": month, "rows": page,
        "office_ids": selectors.in_office([a.keeper_id for a in page]),
        "unvisited": request.GET.get("unvisited", ""), "may_assign": has_perm(request.user, "grid.assign", estate),
        "form": AssignForm(estate=estate) if has_perm(request.user, "grid.assign", estate) else None})


@require_POST
@permission_required("grid.assign")
@idempotent
def assignment_new(request: HttpRequest) -> HttpResponse:
    estate, estates = _estate_choice(request, "grid.assign")
    if estate is None:
        raise PermissionDenied("grid.assign")
    form = AssignForm(request.POST, estate=estate)
    if form.is_valid():
        d = form.cleaned_data
        try:
            grid.assignment_create(actor=request.user, keeper=d["keeper"], household=d["household"],
                                   building=d["building"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已安排包联。"))
            return redirect(reverse("web:grid_assignments") + f"?estate={estate.pk}")
    month = selectors.Month.parse("")
    rows = selectors.with_visits(selectors.assignments_visible_to(request.user).filter(estate=estate, is_active=True),
                                 month).order_by("visited", "path", "pk")
    return render(request, PAGES + "assignments.html", {
        "estate": estate, "estates": estates, "month": month, "rows": paginate(request, rows), "may_assign": True,
        "form": form}, status=400)


@require_POST
@permission_required("grid.assign")
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(selectors.assignments_visible_to(request.user), pk=pk)
    try:
        grid.assignment_end(actor=request.user, assignment=assignment)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已结束该包联。"))
    return redirect(reverse("web:grid_assignments") + f"?estate={assignment.estate_id}")


@permission_required("grid.view")
def coverage(request: HttpRequest) -> HttpResponse:
    """Per grid for a month: households visited, patrols, findings and those solved in the grid (小事不出网格)."""
    month = selectors.Month.parse(request.GET.get("month"))
    estates = selectors.estates_for(request.user, "grid.view")
    page = paginate(request, estates)
    return render(request, PAGES + "coverage.html", {
        "month": month, "page": page, "rows": selectors.coverage_for(list(page.object_list), month)})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的网格 (亮身份): who serves my building — the grid worker, the building and unit heads, the red building
    head, the 党员中心户 with their plaque — and who keeps in touch with my household."""
    person = person_for_user(request.user)
    household = person.household if person else None
    if household is None:
        return render(request, PAGES + "mine.html", {"household": None})
    unit = household.unit
    return render(request, PAGES + "mine.html", {
        "household": household, "estate": selectors.estate_of(unit), "building": selectors.building_of(unit),
        "chain": selectors.chain_for(unit), "keepers": selectors.keepers_of(household)})
