"""Back office for notifications: what was sent to whom, read-only, recipients masked, scoped by where the
recipient lives (people.view)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.masking import mask_mobile, mask_name
from yishiting.common.rules import scope_for

from .models import Delivery, Notification


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


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Each message on each channel: queued, sent, failed with the provider's code (read-only, masked)."""

    view_permission = "people.view"
    list_display = ["created_at", "recipient", "channel", "kind", "state", "provider", "provider_code", "attempts",
                    "next_attempt_at", "urgent"]
    list_filter = ["state", "channel", "kind", "provider", "urgent"]
    search_fields = ["provider_code", "provider_id"]
    list_select_related = ["person"]
    date_hierarchy = "created_at"
    fields = ["created_at", "recipient", "channel", "kind", "urgent", "state", "provider", "attempts",
              "next_attempt_at", "sent_at", "finished_at", "provider_code", "provider_message", "provider_id",
              "text", "link", "digest"]
    readonly_fields = fields

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("person__path"))

    @admin.display(description=gettext_lazy("接收人"))
    def recipient(self, obj: Delivery) -> str:
        return mask_name(obj.person.name) if obj.person else mask_mobile(obj.to)
