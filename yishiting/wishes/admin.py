"""Back office for 微心愿: read-only and scoped (every change goes through the pages' services, so the checklist,
the masking and the event log are never bypassed)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope

from .models import Wish
from .selectors import wishes_visible_to

register_event_scope("wishes.wish", lambda user, _permission: wishes_visible_to(user))


@admin.register(Wish)
class WishAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "wishes.manage"
    list_display = ["number", "community", "category", "status", "donor_kind", "created_at"]
    list_filter = ["status", "category", "donor_kind"]
    search_fields = ["number", "public_text"]
    list_select_related = ["community"]
