"""Back office for topics: read-only and scoped for now (screening creates them; the deliberation issue adds
their lifecycle and its services)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.rules import scope_for

from .models import Topic


def topics_visible_to(user, permission: str = "demands.view") -> QuerySet[Topic]:
    return Topic.objects.filter(scope_for(user, permission).q("path"))


register_event_scope("deliberation.topic", topics_visible_to)


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "demands.view"
    list_display = ["title", "level_area", "status", "demand_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["level_area"]
    date_hierarchy = "created_at"
    fields = ["title", "description", "level_area", "status", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(demand_total=Count("demands"))

    @admin.display(description="关联诉求", ordering="demand_total")
    def demand_count(self, obj: Topic) -> int:
        return obj.demand_total
