"""Standing bodies (议事会 and its kin, issue 20): the list of the bodies a person works for or lives in (search by
name, filter by kind), a body's page with its current members (officials named with their office, residents
masked unless the viewer may unmask them — audited), its history and its meetings; the community office founds
bodies and seats, re-roles and unseats members with the search pickers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.bodies import selectors
from yishiting.bodies import services as bodies
from yishiting.bodies.models import Body, BodyKind, Membership
from yishiting.bodies.rules import may_manage
from yishiting.common.errors import DomainError
from yishiting.common.rules import scope_for
from yishiting.deliberation.selectors.meetings import meetings_visible_to

from ..forms.bodies import BodyCreateForm, EndForm, MemberAddForm, RoleForm
from ..guard import idempotent
from .body_history import history_lines
from .common import paginate, parse_pk, permission_required

PAGES = "web/pages/bodies/"
MAX_LEVEL_DEPTH = 5  # bodies sit from the district down to the building, not at a unit


def _refused(exc: DomainError) -> None:
    if exc.status == 403:
        raise PermissionDenied(exc.code) from None


@permission_required("bodies.view")
def body_list(request: HttpRequest) -> HttpResponse:
    q, kind = (request.GET.get("q") or "").strip()[:50], request.GET.get("kind") or ""
    kinds = list(BodyKind.objects.filter(is_active=True))
    kind = kind if kind in {k.code for k in kinds} else ""
    page = paginate(request, selectors.bodies_visible_to(request.user, q, kind))
    return render(request, PAGES + "list.html", {"page": page, "q": q, "kind": kind, "kinds": kinds,
                                                 "may_create": may_manage(request.user)})


def _manageable_areas(user):
    return (Area.objects.filter(scope_for(user, "bodies.manage").q(), is_active=True, level__depth__lte=MAX_LEVEL_DEPTH)
            .select_related("level").order_by("path"))


@permission_required("bodies.manage")
@idempotent
def body_new(request: HttpRequest) -> HttpResponse:
    form = BodyCreateForm(request.POST or None, areas=_manageable_areas(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            body = bodies.body_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refused(exc)
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已设立“%(name)s”，请添加成员。") % {"name": body.name})
            return redirect("web:body_detail", pk=body.pk)
    return render(request, PAGES + "new.html", {"form": form}, status=400 if form.errors else 200)


def _visible_body(request: HttpRequest, pk: int) -> Body:
    return get_object_or_404(selectors.bodies_visible_to(request.user), pk=pk)


@permission_required("bodies.view")
def body_detail(request: HttpRequest, pk: int, add_form: MemberAddForm | None = None, status: int = 200) -> HttpResponse:
    body, user = _visible_body(request, pk), request.user
    manager = may_manage(user, body)
    rows, history = history_lines(user, body, list(selectors.current_members(body)), request=request)
    meetings = meetings_visible_to(user).filter(level_area=body.area).order_by("-starts_at")[:20]
    if manager and add_form is None:
        add_form = MemberAddForm(body=body, initial={"term_start": timezone.localdate()})
    return render(request, PAGES + "detail.html", {
        "body": body, "rows": rows, "manager": manager, "meetings": meetings, "add_form": add_form,
        "history": history, "role_form": RoleForm(), "end_form": EndForm()},
        status=status)


@require_POST
@permission_required("bodies.manage")
@idempotent
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _visible_body(request, pk)
    form = MemberAddForm(request.POST, body=body)
    form.fields["person"].answer_posted_search(request.POST, "person", request.user, near=[body.path], request=request)
    if form.is_valid():
        try:
            bodies.membership_add(actor=request.user, body=body, **form.cleaned_data)
        except DomainError as exc:
            _refused(exc)
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已添加成员。"))
            return redirect("web:body_detail", pk=body.pk)
    return body_detail(request, body.pk, add_form=form, status=400)


@require_POST
@login_required
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Change a member's role or end their seat (the community office of the body's area)."""
    if action not in ("role", "end"):
        raise Http404
    seat = get_object_or_404(Membership.objects.select_related("body").filter(
        body__in=selectors.bodies_visible_to(request.user)), pk=parse_pk(str(pk)))
    form = RoleForm(request.POST) if action == "role" else EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("web:body_detail", pk=seat.body_id)
    try:
        if action == "role":
            bodies.membership_change_role(actor=request.user, membership=seat, role=form.cleaned_data["role"])
        else:
            bodies.membership_end(actor=request.user, membership=seat, **form.cleaned_data)
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已调整职务。") if action == "role" else _("已登记离任。"))
    return redirect("web:body_detail", pk=seat.body_id)
