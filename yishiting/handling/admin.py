"""Back office for tasks: read-only and scoped for now (direct handling creates them; the handling issue adds
progress, extension and closing with evidence)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from .models import Task


def tasks_visible_to(user, permission: str = "demands.view") -> QuerySet[Task]:
    return Task.objects.filter(scope_for(user, permission).q("path"))


register_event_scope("handling.task", tasks_visible_to)


@admin.register(Task)
class TaskAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "demands.view"
    list_display = ["title", "area", "organization", "masked_handler", "deadline", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["area", "organization", "handler"]
    fields = ["title", "area", "organization", "masked_handler", "deadline", "status", "created_at"]
    readonly_fields = fields

    @admin.display(description="经办人")
    def masked_handler(self, obj: Task) -> str:
        return mask_name(obj.handler.name)
