"""The grid's picker kinds (/pick/grid_keeper/?estate=, /pick/grid_household/?estate=), registered by
web.views.pickers: who may keep in touch with an estate's households, and its households."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from yishiting.web.views.common import query_pk

from ..selectors import estates_for, household_pool, keeper_pool


def _estate(request: HttpRequest, permission: str):
    return get_object_or_404(estates_for(request.user, permission), pk=query_pk(request, "estate"))


def keeper_context(request: HttpRequest):
    estate = _estate(request, "grid.assign")
    return keeper_pool(estate), [estate.path, estate.path[:-4]]


def household_context(request: HttpRequest):
    from yishiting.common.rules import has_perm

    if not has_perm(request.user, "grid.record"):
        raise PermissionDenied("grid.record")
    estate = _estate(request, "grid.record")
    return household_pool(estate), [estate.path]
