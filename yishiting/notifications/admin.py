"""Back office for notifications: what was sent to whom, read-only, recipients masked, scoped by where the
recipient lives (people.view)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "people.view"
    list_display = ["created_at", "recipient", "text", "sent_by_sms", "read_at"]
    list_filter = ["sent_by_sms"]
    search_fields = ["text"]
    list_select_related = ["person"]
    date_hierarchy = "created_at"
    fields = ["created_at", "recipient", "text", "link", "subject_type", "subject_id", "sent_by_sms", "read_at"]
    readonly_fields = fields

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("person__path"))

    @admin.display(description=gettext_lazy("接收人"))
    def recipient(self, obj: Notification) -> str:
        return mask_name(obj.person.name)
