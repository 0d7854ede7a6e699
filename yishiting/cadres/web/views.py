"""Cadres' archive pages: 成长档案 (a cadre's own on the phone; the office's list of its area on the desktop), the
archive PDF (一人一册), posts and AB岗 rotations, the 导师库 with assignments, and the mentor's notes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.choices import IN_OFFICE_ROLES, Role
from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.documents import render_pdf
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm, scope_for
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate, permission_required

from .. import matters, selectors, services
from ..models import Cadre, Mentor, Mentorship
from ..rules import may_open
from .forms import ArchiveFilterForm, AssignForm, CadreForm, MentorForm, NoteForm, PostForm

PAGES = "cadres/"


def tabs(user) -> dict:
    return {"may_view": has_perm(user, "cadres.view"), "may_manage": has_perm(user, "cadres.manage"),
            "own": selectors.own_archive(user), "is_mentor": selectors.mentor_of(user) is not None}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The office opens its list; a cadre their own archive; a mentor the list of their mentees."""
    if not may_open(request.user):
        raise PermissionDenied("cadres")
    own = selectors.own_archive(request.user)
    if own is not None and not has_perm(request.user, "cadres.view"):
        return redirect("web:cadres_archive", pk=own.pk)
    return redirect("web:cadres_archives")


@login_required
def archive_list(request: HttpRequest) -> HttpResponse:
    if not may_open(request.user):
        raise PermissionDenied("cadres")
    form = ArchiveFilterForm(request.GET or None)
    rows = selectors.archives_visible_to(request.user)
    if form.is_valid():
        rows = selectors.archive_search(rows, text=form.cleaned_data["q"], kind=form.cleaned_data["kind"])
    return render(request, PAGES + "archives.html", {
        "form": form, "page": paginate(request, rows.order_by("path", "person__name", "pk")), **tabs(request.user)})


def office_areas(user):
    return Area.objects.filter(scope_for(user, "cadres.manage").q(), is_active=True).order_by("path")


def _candidates(user, *, exclude, roles=IN_OFFICE_ROLES) -> QuerySet[Person]:
    """People holding an office or grid role (for the pool also experts and lawyers) in the office's area, not yet
    in the list. They act in office, so they are named in full (docs/masking.md); residents are never listed."""
    paths = scope_for(user, "cadres.manage").q("roles__path")
    return (Person.objects.filter(paths, roles__role__in=roles, roles__is_active=True).exclude(pk__in=exclude)
            .distinct().order_by("name", "pk"))


@permission_required("cadres.manage")
@idempotent
def archive_new(request: HttpRequest) -> HttpResponse:
    form = CadreForm(request.POST or None, areas=office_areas(request.user),
                     people=selectors.archive_pool(request.user))
    if request.method == "POST":
        form.fields["person"].answer_posted_search(request.POST, "person", request.user, request=request,
                                                   near=sorted(scope_for(request.user, "cadres.manage").paths))
    if request.method == "POST" and form.is_valid():
        try:
            cadre = services.cadre_register(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("成长档案已建立。"))
            return redirect("web:cadres_archive", pk=cadre.pk)
    return render(request, PAGES + "form_page.html", {
        "form": form, "heading": _("建立成长档案"), "submit": _("建立"),
        "hint": _("为本辖区的社区书记、后备干部、网格员或年轻干部建立成长档案。"), **tabs(request.user)},
                  status=400 if form.errors else 200)


def archive_context(request: HttpRequest, cadre: Cadre) -> dict:
    me = person_of_user(request.user)
    ships = list(cadre.mentorships.select_related("mentor__person").prefetch_related("notes")
                 .order_by("-is_active", "-starts_on", "-pk"))
    manage = has_perm(request.user, "cadres.manage", cadre)
    return {
        "cadre": cadre, "posts": list(cadre.posts.select_related("area")), "ships": ships,
        "credits": selectors.credits_of(cadre), "talks": list(cadre.talks.select_related("programme")),
        "reports": list(cadre.reports.order_by("-submitted_at", "-pk")[:10]),
        "pledges": list(cadre.pledges.order_by("status", "due_on", "pk")),
        "matters": matters.matters_led(cadre.person_id), "ratings": matters.pioneer_ratings(cadre.person_id),
        "mine": me is not None and me.pk == cadre.person_id, "manage": manage,
        "my_ship": next((s for s in ships if s.is_active and me is not None and s.mentor.person_id == me.pk), None),
        "today": timezone.localdate()}


@login_required
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_object_or_404(selectors.archives_visible_to(request.user), pk=pk)
    context = archive_context(request, cadre)
    if context["manage"]:
        context["post_form"] = PostForm(areas=office_areas(request.user), initial={"area": cadre.area_id})
        context["assign_form"] = AssignForm(mentors=selectors.mentors_for(cadre))
    if context["my_ship"] is not None:
        context["note_form"] = NoteForm()
    return render(request, PAGES + "archive.html", {**context, **tabs(request.user)})


@login_required
def archive_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """一人一册: the archive printed, in the community's language (a record, like the dossier)."""
    cadre = get_object_or_404(selectors.archives_visible_to(request.user), pk=pk)
    with translation.override("zh-hans"):  # a record in the community's language (docs/i18n.md)
        html = render_to_string("cadres/documents/archive.html", archive_context(request, cadre))
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cadre-{cadre.pk}.pdf"'
    return response


@require_POST
@permission_required("cadres.manage")
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_object_or_404(selectors.archives_visible_to(request.user), pk=pk)
    form = PostForm(request.POST, areas=office_areas(request.user))
    if not form.is_valid():
        messages.error(request, _("请完整填写岗位、区域和开始日期。"))
        return redirect("web:cadres_archive", pk=cadre.pk)
    try:
        services.post_add(actor=request.user, cadre=cadre, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("任职经历已记入档案。"))
    return redirect("web:cadres_archive", pk=cadre.pk)


@require_POST
@permission_required("cadres.manage")
def mentor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_object_or_404(selectors.archives_visible_to(request.user), pk=pk)
    form = AssignForm(request.POST, mentors=selectors.mentors_for(cadre))
    if not form.is_valid():
        messages.error(request, _("请选择导师。"))
        return redirect("web:cadres_archive", pk=cadre.pk)
    try:
        services.mentorship_assign(actor=request.user, cadre=cadre, mentor=form.cleaned_data["mentor"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("导师已安排。"))
    return redirect("web:cadres_archive", pk=cadre.pk)


def _ship(request: HttpRequest, pk: int) -> Mentorship:
    return get_object_or_404(Mentorship.objects.filter(cadre__in=selectors.archives_visible_to(request.user))
                             .select_related("cadre", "mentor"), pk=pk)


@require_POST
@permission_required("cadres.manage")
def mentorship_end(request: HttpRequest, pk: int) -> HttpResponse:
    ship = _ship(request, pk)
    try:
        services.mentorship_end(actor=request.user, mentorship=ship)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("导师帮带已结束。"))
    return redirect("web:cadres_archive", pk=ship.cadre_id)


@require_POST
@login_required
def mentor_note(request: HttpRequest, pk: int) -> HttpResponse:
    ship = _ship(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写帮带记录。"))
        return redirect("web:cadres_archive", pk=ship.cadre_id)
    try:
        services.mentor_note_add(actor=request.user, mentorship=ship, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("帮带记录已保存。"))
    return redirect("web:cadres_archive", pk=ship.cadre_id)


@permission_required("cadres.view")
@idempotent
def mentor_list(request: HttpRequest) -> HttpResponse:
    """导师库 of the office's area, and a person put into it."""
    manage = has_perm(request.user, "cadres.manage")
    form = None
    if manage:
        form = MentorForm(request.POST or None, areas=office_areas(request.user),
                          people=_candidates(request.user, exclude=Mentor.objects.values("person"),
                                            roles=IN_OFFICE_ROLES | {Role.EXPERT, Role.LAWYER}))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.mentor_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已加入导师库。"))
            return redirect("web:cadres_mentors")
    rows = selectors.mentors_visible_to(request.user).filter(Q(is_active=True)).order_by("path", "person__name", "pk")
    return render(request, PAGES + "mentors.html", {"page": paginate(request, rows), "form": form,
                                                    **tabs(request.user)}, status=400 if form and form.errors else 200)
