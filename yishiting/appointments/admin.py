"""Back office for 事务预约: the office staff set up their area's services with their weekly hours (saving one
makes its slots for the booking period at once); bookings are read-only (they change through the pages)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope

from .models import Booking, OpeningHours, Service
from .selectors import desk_services, visible_bookings
from .services import slots_ensure_ahead

register_event_scope("appointments.booking", lambda user, _permission: visible_bookings(user))
register_event_scope("appointments.service", lambda user, _permission: desk_services(user))


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 1


@admin.register(Service)
class ServiceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "appointments.desk"
    manage_permission = "appointments.manage"
    list_display = ["name", "kind", "area", "capacity", "slot_minutes", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["area"]
    fields = ["name", "kind", "area", "venue", "place", "description", "slot_minutes", "capacity",
              "cancel_cutoff_hours", "is_active"]
    inlines = [OpeningHoursInline]

    def save_model(self, request, obj: Service, form, change: bool) -> None:
        obj.path = obj.area.path
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        slots_ensure_ahead(form.instance)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "appointments.desk"
    list_display = ["number", "service", "slot", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["number"]
    list_select_related = ["service", "slot"]
