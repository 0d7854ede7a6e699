"""Back office: body kinds are edited here (the templates name them by code); bodies and seats are read here and
changed through the services (the web forms), so every change is an event."""

from django.contrib import admin

from yishiting.common.forms import ModelForm

from .models import Body, BodyKind, Membership


@admin.register(BodyKind)
class BodyKindAdmin(admin.ModelAdmin):
    form = ModelForm  # the product's text rule (common.forms)
    list_display = ("name", "code", "level_code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")


class MembershipInline(admin.TabularInline):
    model = Membership
    form = ModelForm
    fields = ("person", "organization", "representative", "role", "term_start", "term_end", "ended_on", "end_reason")
    readonly_fields = fields
    raw_id_fields = ("person", "organization", "representative")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    form = ModelForm  # the product's text rule (common.forms)
    list_display = ("name", "kind", "area", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "area__full_name")
    raw_id_fields = ("area",)
    readonly_fields = ("area", "kind", "created_at")
    inlines = [MembershipInline]

    def has_add_permission(self, request) -> bool:
        return False  # founded through the service (web form), so the history starts with its event


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = ModelForm  # the product's text rule (common.forms)
    list_display = ("body", "person", "organization", "role", "term_start", "term_end", "ended_on")
    list_filter = ("role",)
    search_fields = ("body__name",)
    raw_id_fields = ("body", "person", "organization", "representative")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
