"""The cadres' picker kinds, registered by web.views.pickers: `/pick/cadre_person/` (whom the training office
opens an archive for: anyone of its area, found by name) and `/pick/cadre_trainee/?programme=` (whom it enrols:
people with an archive of the programme's area). Never a list: the people picker's search (areas.pickers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from yishiting.common.rules import has_perm, scope_for
from yishiting.web.views.common import query_pk

from .. import selectors


def person_context(request: HttpRequest):
    if not has_perm(request.user, "cadres.manage"):
        raise PermissionDenied("cadres.manage")
    return selectors.archive_pool(request.user), sorted(scope_for(request.user, "cadres.manage").paths)


def trainee_context(request: HttpRequest):
    programme = get_object_or_404(
        selectors.programmes_visible_to(request.user), pk=query_pk(request, "programme")
    )
    if not has_perm(request.user, "cadres.manage", programme):
        raise PermissionDenied("cadres.manage")
    return selectors.trainee_pool(request.user, programme), [programme.path]
