"""The area browser: the tree within the user's scope, the people and households under an area, and the
audited "show full details" of one person. A work tool (`areas.browse`): residents and registrants are refused
(403) even when they type the address; anything outside the viewer's scope is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import (
    area_ancestors,
    area_counts,
    area_roots_visible_to,
    areas_filter,
    areas_visible_to,
    households_visible_to,
    people_visible_to,
    subtree_q,
)
from yishiting.areas.services import person_reveal
from yishiting.common.errors import PermissionDeniedError
from yishiting.common.masking import mask_id_number, mask_mobile, mask_name
from yishiting.common.rules import has_perm, scope_for

from ..forms.areas import AreaSearchForm
from .common import paginate, permission_required

BROWSE = "areas.browse"  # who works for an area (staff, grid workers, handlers); not residents


def _search(queryset, form: AreaSearchForm):
    """The shared area filter (name, pinyin initials or full pinyin: 'xfy' finds 幸福苑); '' when no search."""
    term = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return (areas_filter(queryset, q=term), term) if term else (queryset, "")


@permission_required(BROWSE)
def area_index(request: HttpRequest) -> HttpResponse:
    form = AreaSearchForm(request.GET)
    found, term = _search(areas_visible_to(request.user), form)
    roots = list(area_roots_visible_to(request.user))
    if not term and len(roots) == 1:
        return redirect("web:area_detail", pk=roots[0].pk)
    page = paginate(request, found.order_by("path") if term else roots)
    return render(request, "web/pages/areas/index.html", {"form": form, "term": term, "page": page})


def _visible_area(request: HttpRequest, pk: int) -> Area:
    return get_object_or_404(areas_visible_to(request.user), pk=pk)


def _breadcrumb(user, area: Area) -> list[tuple[Area, bool]]:
    """Ancestors with whether each may be opened (those above the user's scope are shown as plain text)."""
    scope = scope_for(user, "areas.view")
    return [(a, scope.covers_path(a.path)) for a in area_ancestors(area)]


@permission_required(BROWSE)
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = _visible_area(request, pk)
    form = AreaSearchForm(request.GET)
    under = areas_visible_to(request.user).filter(subtree_q(area.path)).exclude(pk=area.pk)
    found, term = _search(under, form)
    children = found if term else under.filter(parent=area)
    page = paginate(request, children.annotate(child_count=Count("children")).order_by("path"))
    return render(request, "web/pages/areas/detail.html", {
        "area": area, "breadcrumb": _breadcrumb(request.user, area), "form": form, "term": term, "page": page,
        "counts": area_counts(area),
        "can_view_people": has_perm(request.user, "people.view"),
        "can_view_households": has_perm(request.user, "households.view"),
    })


@permission_required(BROWSE)
@permission_required("people.view")
def area_people(request: HttpRequest, pk: int) -> HttpResponse:
    area = _visible_area(request, pk)
    people = people_visible_to(request.user).filter(subtree_q(area.path)).select_related("household__unit__parent")
    page = paginate(request, people.order_by("path", "pk"))
    rows = [_person_row(request.user, person) for person in page]
    return render(request, "web/pages/areas/people.html", {
        "area": area, "breadcrumb": _breadcrumb(request.user, area), "page": page, "rows": rows,
        "can_reveal_any": any(row["can_reveal"] for row in rows),
    })


@permission_required(BROWSE)
@permission_required("households.view")
def area_households(request: HttpRequest, pk: int) -> HttpResponse:
    area = _visible_area(request, pk)
    households = (households_visible_to(request.user).filter(subtree_q(area.path))
                  .annotate(people_count=Count("people")).order_by("path", "number"))
    return render(request, "web/pages/areas/households.html", {
        "area": area, "breadcrumb": _breadcrumb(request.user, area), "page": paginate(request, households),
    })


def _person_row(user, person: Person, revealed: dict[str, str] | None = None) -> dict:
    """One row of the people list: masked unless `revealed` holds the audited clear values."""
    values = revealed or {"name": mask_name(person.name), "mobile": mask_mobile(person.mobile),
                          "id_number": mask_id_number(person.id_number)}
    return {"person": person, **values, "revealed": revealed is not None,
            "can_reveal": revealed is None and has_perm(user, "people.unmask", person)}


@never_cache
@require_POST
@permission_required("people.view")
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear name, mobile and ID for viewers with people.unmask; every attempt is written to the audit log."""
    person = get_object_or_404(people_visible_to(request.user).select_related("household__unit__parent"), pk=pk)
    try:
        revealed = person_reveal(actor=request.user, person=person, request=request, reason="web:people")
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    row = _person_row(request.user, person, revealed)
    if request.htmx:
        return render(request, "web/partials/areas/person_row.html", {"row": row})
    return render(request, "web/pages/areas/person_reveal.html", {"row": row, "rows": [row]})
