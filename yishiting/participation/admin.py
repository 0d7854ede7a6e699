"""Back office for participation: each community's menu (its hours to accept) and its items, saved through the
services and scoped to the staff's communities; providers, 双报到 registrations, orders, service records and
assessments listed read-only (they are written on the pages, where their checks and events live)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceAdminMixin,
    adopt,
    register_event_scope,
)
from yishiting.common.rules import scope_for

from . import services
from .models import (
    Assessment,
    MemberRegistration,
    MenuItem,
    ServiceMenu,
    ServiceOrder,
    ServiceProvider,
    ServiceRecord,
    UnitRegistration,
)

register_event_scope("participation.serviceorder",
                     lambda user, permission: ServiceOrder.objects.filter(scope_for(user, permission).q()))


def _providers(user, permission):
    return ServiceProvider.objects.filter(scope_for(user, permission).q(), is_active=True)


@admin.register(ServiceMenu)
class ServiceMenuAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = manage_permission = "participation.units"
    list_display = ["community", "title", "accept_hours", "is_published"]
    fields = ["community", "title", "accept_hours", "is_published"]
    autocomplete_fields = ["community"]
    list_select_related = ["community"]

    def get_readonly_fields(self, request, obj=None):
        return ["community"] if obj else []

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        menu = obj if change else services.menu_for(d["community"])
        adopt(obj, services.menu_save(actor=request.user, menu=menu, title=d["title"], accept_hours=d["accept_hours"],
                                      is_published=d["is_published"]))


@admin.register(MenuItem)
class MenuItemAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = manage_permission = "participation.units"
    list_display = ["title", "provider", "area", "capacity", "times", "is_active"]
    list_filter = ["is_active", "provider__kind"]
    search_fields = ["title"]
    fields = ["provider", "title", "description", "area", "capacity", "times", "is_active"]
    autocomplete_fields = ["area"]
    list_select_related = ["provider__person", "provider__organization", "area"]
    related_scopes = {"provider": ("participation.units", _providers)}

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        saved = services.menu_item_save(actor=request.user, provider=d["provider"], title=d["title"], times=d["times"],
                                        capacity=d["capacity"], description=d["description"], area=d["area"],
                                        item=obj if change else None)
        if saved.is_active != d["is_active"]:
            saved.is_active = d["is_active"]
            saved.save(update_fields=["is_active"])
        adopt(obj, saved)


class ListedAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "participation.units"


@admin.register(ServiceProvider)
class ServiceProviderAdmin(ListedAdmin):
    list_display = ["__str__", "kind", "community", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["organization__name"]
    list_select_related = ["person", "organization", "community"]


@admin.register(UnitRegistration)
class UnitRegistrationAdmin(ListedAdmin):
    list_display = ["organization", "community", "signed_on", "is_active"]
    list_select_related = ["organization", "community"]


@admin.register(MemberRegistration)
class MemberRegistrationAdmin(ListedAdmin):
    list_display = ["__str__", "unit", "skills", "is_active"]
    list_select_related = ["person", "community", "unit"]


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ListedAdmin):
    view_permission = "participation.dispatch"
    list_display = ["number", "title", "status", "community", "rating", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    list_select_related = ["community"]
    exclude = ["resident", "text"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ListedAdmin):
    list_display = ["served_on", "what", "hours", "rating"]
    exclude = ["served_person"]


@admin.register(Assessment)
class AssessmentAdmin(ListedAdmin):
    list_display = ["__str__", "unit", "member", "grade", "updated_at"]
