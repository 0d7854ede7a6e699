"""Back office of the 幸福食堂: canteens, each day's menu and the discount rules (admins; saved through
services.setting_save with an event), eligibility registrations and orders read-only (they change by their services)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, ServiceAdminMixin, adopt
from yishiting.common.rules import scope_for

from . import services
from .models import Canteen, DiscountRule, EligibilityRegistration, MealOrder, MenuItem


class SettingAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "canteens.ledger"
    manage_permission = "canteens.manage"

    def save_model(self, request, obj, form, change):
        adopt(obj, services.setting_save(actor=request.user, obj=obj))


@admin.register(Canteen)
class CanteenAdmin(SettingAdmin):
    list_display = ["name", "area", "operator", "opening_hours", "meal_capacity", "delivers", "auto_confirm_hours",
                    "is_active"]
    list_filter = ["delivers", "is_active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["area", "operator"]
    list_select_related = ["area", "operator"]


@admin.register(MenuItem)
class MenuItemAdmin(SettingAdmin):
    list_display = ["day", "meal", "name", "canteen", "price", "portions", "ordered"]
    list_filter = ["meal", "canteen"]
    search_fields = ["name"]
    date_hierarchy = "day"
    list_select_related = ["canteen"]
    readonly_fields = ["ordered"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("canteen__path"))


@admin.register(DiscountRule)
class DiscountRuleAdmin(SettingAdmin):
    list_display = ["name", "eligibility", "min_age", "mode", "percent_off", "fixed_price", "area", "valid_from",
                    "valid_until", "is_active"]
    list_filter = ["eligibility", "mode", "is_active"]
    autocomplete_fields = ["area"]

    def scope_filter(self, request, queryset, permission):
        return queryset  # one list for the district: who reads the ledger sees the rules behind it


@admin.register(EligibilityRegistration)
class EligibilityRegistrationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "canteens.eligibility"
    list_display = ["person", "eligibility", "status", "valid_until", "registered_at", "verified_by", "verified_at"]
    list_filter = ["eligibility", "status"]
    list_select_related = ["person", "verified_by"]
    fields = ["person", "eligibility", "status", "note", "valid_until", "registered_by", "registered_at",
              "verified_by", "verified_at"]
    readonly_fields = fields


@admin.register(MealOrder)
class MealOrderAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "canteens.ledger"
    list_display = ["number", "canteen", "day", "meal", "fulfilment", "status", "listed_price", "paid_price", "rule_name"]
    list_filter = ["status", "fulfilment", "meal"]
    search_fields = ["=number"]
    date_hierarchy = "day"
    list_select_related = ["canteen"]
    fields = ["number", "canteen", "item", "day", "meal", "fulfilment", "status", "listed_price", "paid_price",
              "rule_name", "courier", "courier_team_id", "placed_at", "accepted_at", "delivered_at", "confirmed_at",
              "rating"]
    readonly_fields = fields
