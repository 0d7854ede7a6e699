"""Back office for oversight: each
district's parts of 堡垒指数 / 先锋指数 (weights and targets, edited by the district's officials), and the
snapshots, read-only (they are recomputed, never edited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.forms import ModelForm
from yishiting.common.rules import scope_for

from ..indices.measures import choices_for
from ..models import IndexPart, IndexScheme, IndexSnapshot


class IndexPartForm(ModelForm):
    measure = forms.ChoiceField(label=gettext_lazy("指标"), choices=choices_for)

    class Meta:
        model = IndexPart
        fields = ["measure", "weight", "monthly_target"]


class IndexPartInline(admin.TabularInline):
    model = IndexPart
    form = IndexPartForm
    extra = 0

    def has_add_permission(self, request, obj=None):
        return self.parent_admin_allows(request)

    def has_change_permission(self, request, obj=None):
        return self.parent_admin_allows(request)

    def has_delete_permission(self, request, obj=None):
        return self.parent_admin_allows(request)

    def has_view_permission(self, request, obj=None):
        return True

    def parent_admin_allows(self, request) -> bool:
        return request.user.is_superuser or not scope_for(request.user, "oversight.indices_configure").empty


@admin.register(IndexScheme)
class IndexSchemeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.indices_configure"
    manage_permission = "oversight.indices_configure"
    list_display = ["district", "kind", "note"]
    list_filter = ["kind"]
    inlines = [IndexPartInline]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("district__path"))


@admin.register(IndexSnapshot)
class IndexSnapshotAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.indices_rank"
    list_display = ["__str__", "period", "start", "value", "rank", "peers", "peer_area"]
    list_filter = ["kind", "period"]
    date_hierarchy = "start"
    exclude = ["parts"]
