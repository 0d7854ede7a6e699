"""Back office for 吹哨·应哨: read-only and scoped (every change goes through the pages' services, so the event
log, the warnings and the ratings are never bypassed)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope

from .models import Whistle, WhistleResponse
from .selectors import whistles_visible_to

register_event_scope("whistles.whistle", lambda user, _permission: whistles_visible_to(user))
register_event_scope("whistles.whistleresponse",
                     lambda user, _permission: WhistleResponse.objects.filter(whistle__in=whistles_visible_to(user)))


class ResponseInline(admin.TabularInline):
    model = WhistleResponse
    fields = ["organization", "status", "arrived_at", "responded_at", "late", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Whistle)
class WhistleAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "whistles.view"
    list_display = ["number", "title", "area", "status", "deadline", "blown_at"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    list_select_related = ["area"]
    inlines = [ResponseInline]
