"""Back office for mediation cases: read-only and scoped for now (screening a dispute opens one; the mediation
issue adds the "三二一" tiers and agreements)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.rules import scope_for

from .models import MediationCase


def cases_visible_to(user, permission: str = "demands.view") -> QuerySet[MediationCase]:
    return MediationCase.objects.filter(scope_for(user, permission).q("path"))


register_event_scope("mediation.mediationcase", cases_visible_to)


@admin.register(MediationCase)
class MediationCaseAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "demands.view"
    list_display = ["title", "area", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["area"]
    fields = ["title", "area", "status", "created_at"]
    readonly_fields = fields
