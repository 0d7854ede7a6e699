"""Back office for oversight: the kept monthly reports, read-only and scoped to the viewer's subtree (a report is
written by `yishiting tick` or the 月报 page, never edited)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope

from ..models import MonthlyReport
from ..report_selectors import reports_visible_to

register_event_scope("oversight.monthlyreport", lambda user, permission="oversight.view_overview": reports_visible_to(user))


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.view_overview"
    list_display = ["month", "area", "generated_at", "generated_by", "size"]
    list_filter = ["month"]
    list_select_related = ["area", "generated_by"]
    fields = ["area", "month", "file", "sha256", "size", "anchor_fingerprint", "generated_at", "generated_by"]
    readonly_fields = fields
