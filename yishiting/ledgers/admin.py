"""Back office: the points rules (admins), the 积分超市's goods (the community's staff, in their scope; stock
is set when an item is added and then moved only by redemptions and the staff page's restock), and the ledgers
and redemptions read-only (a correction is a new line, made on the staff page)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.areas.selectors import areas_visible_to
from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import HourEntry, Item, PointEntry, PointRule, Redemption


@admin.register(PointRule)
class PointRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "ledgers.market_manage"
    manage_permission = None  # rules are the district's policy: admins change them
    list_display = ["name", "kind", "points", "points_by_rating", "points_per_hour", "min_rating", "daily_cap", "monthly_cap",
                    "deposits_hours", "area", "starts_on", "ends_on", "is_active"]
    list_filter = ["kind", "is_active", "deposits_hours"]
    search_fields = ["name"]


@admin.register(Item)
class ItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "ledgers.market_manage"
    manage_permission = "ledgers.market_manage"
    related_scopes = {"community": ("ledgers.market_manage", areas_visible_to)}
    list_display = ["name", "community", "kind", "price", "stock", "pickup_days", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["stock"] if obj is not None else []


class LedgerAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "ledgers.correct"
    list_select_related = ["person", "event"]
    search_fields = ["key"]


@admin.register(PointEntry)
class PointEntryAdmin(LedgerAdmin):
    list_display = ["created_at", "person", "kind", "points", "note", "event"]
    list_filter = ["kind"]


@admin.register(HourEntry)
class HourEntryAdmin(LedgerAdmin):
    list_display = ["created_at", "person", "kind", "hours", "note", "event"]
    list_filter = ["kind"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "ledgers.market_manage"
    list_display = ["created_at", "item", "person", "points", "status", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["item", "person"]
