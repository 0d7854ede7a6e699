"""Back office for 举一反三: the settings per process template (admins; written through the service) and the
类案 raised — read-only, scoped to the officials' subtree."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import (
    CatalogueAdmin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceModelForm,
    adopt,
)
from yishiting.common.rules import scope_for

from ..models import ClusterMember, ClusterSettings, ClusterTopic
from ..services.clusters import SETTINGS_FIELDS, check_settings, cluster_settings_save


class ClusterSettingsForm(ServiceModelForm):
    class Meta:
        model = ClusterSettings
        fields = list(SETTINGS_FIELDS)

    def check_with_services(self, data: dict) -> None:
        check_settings(data)


@admin.register(ClusterSettings)
class ClusterSettingsAdmin(CatalogueAdmin):
    view_permission = "oversight.clusters"
    manage_permission = "oversight.settings"
    form = ClusterSettingsForm
    list_display = ["template", "min_communities", "similarity_threshold", "recurrence_months"]
    list_select_related = ["template"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
        adopt(obj, cluster_settings_save(actor=request.user, settings=obj if change else None, **fields))


class MemberInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClusterMember
    fields = ["demand", "how", "joined_at"]
    readonly_fields = fields
    extra = 0


@admin.register(ClusterTopic)
class ClusterTopicAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.clusters"
    list_display = ["label", "category", "level_area", "topic", "is_open", "raised_at"]
    list_filter = ["is_open", "category"]
    list_select_related = ["category", "level_area", "topic"]
    fields = ["label", "category", "key", "level_area", "topic", "is_open", "raised_by", "raised_at", "seed_text"]
    readonly_fields = fields
    inlines = [MemberInline]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("path"))
