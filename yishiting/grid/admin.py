"""Back office for the grid's field work: 包联 and field records read-only and scoped (they are written on the
pages and the phone, through the services); the 挂牌 of 党员中心户 added here, through `plaque_hang`."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yishiting.areas.choices import Role
from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)
from yishiting.common.errors import DomainError
from yishiting.common.rules import scope_for

from .models import Assignment, FieldRecord, Finding, Plaque
from .selectors import assignments_visible_to, records_visible_to
from .services import plaque_hang

register_event_scope("grid.fieldrecord", lambda user, _permission: records_visible_to(user))
register_event_scope("grid.assignment", lambda user, _permission: assignments_visible_to(user))


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "grid.view"
    list_display = ["keeper", "estate", "household", "building", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["keeper", "estate", "household__unit", "building"]
    search_fields = ["estate__name", "building__name"]


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ["text", "demand"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FieldRecord)
class FieldRecordAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "grid.view"
    list_display = ["kind", "estate", "place", "occurred_at", "recorder"]
    list_filter = ["kind"]
    list_select_related = ["estate", "place", "recorder"]
    search_fields = ["summary", "estate__name"]
    date_hierarchy = "occurred_at"
    inlines = [FindingInline]
    exclude = ["idempotency_key", "fingerprint"]


class PlaqueForm(ServiceModelForm):
    class Meta:
        model = Plaque
        fields = ["role", "hung_on"]

    def check_with_services(self, data: dict) -> None:
        role = data.get("role")
        if role is not None and (role.role != Role.CENTRAL_HOUSEHOLD or not role.is_active):
            raise DomainError("not_central_household", _("只有在任的党员中心户可以挂牌。"), details={"field": "role"})


@admin.register(Plaque)
class PlaqueAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = PlaqueForm
    view_permission = "grid.view"
    manage_permission = "grid.assign"
    list_display = ["role", "hung_on"]
    list_select_related = ["role__person", "role__area"]
    raw_id_fields = ["role"]  # thousands of 中心户 in a district: never a select of them

    def scope_filter(self, request: HttpRequest, queryset: QuerySet, permission: str) -> QuerySet:
        return queryset.filter(scope_for(request.user, permission).q("role__path"))

    def save_model(self, request: HttpRequest, obj: Plaque, form, change: bool) -> None:
        adopt(obj, plaque_hang(actor=request.user, role=obj.role, hung_on=obj.hung_on))
