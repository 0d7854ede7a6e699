"""Back office for demands: the two editable catalogues (categories; the 协商目录 with its clearly labelled
example entries), and demands themselves — read-only and scoped (intake and screening happen on the pages
and through the API, where every step is a service call and an event)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from yishiting.common.admin import CatalogueAdmin as DistrictCatalogueAdmin
from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)
from yishiting.common.masking import mask_mobile, mask_name

from . import services
from .models import Category, ConsultationRule, Demand
from .selectors import demands_visible_to

register_event_scope("demands.demand", demands_visible_to)


class CatalogueAdmin(DistrictCatalogueAdmin):
    """One catalogue for the whole district: staff who screen may read it, admins change it."""

    view_permission = "demands.screen"
    manage_permission = "demands.catalogue"


class CategoryForm(ServiceModelForm):
    class Meta:
        model = Category
        fields = list(services.CATEGORY_FIELDS)


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    form = CategoryForm
    list_display = ["name", "code", "list_kind", "screening_days", "sort_order", "is_active"]
    list_filter = ["list_kind", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "id"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CATEGORY_FIELDS}
        adopt(obj, services.category_save(actor=request.user, category=obj if change else None, **fields))


class ConsultationRuleForm(ServiceModelForm):
    class Meta:
        model = ConsultationRule
        fields = list(services.RULE_FIELDS)
        help_texts = {"is_example": gettext_lazy("勾选表示这是系统自带的示例条目（没有官方统一目录）；按本地协商目录改写后请取消勾选。")}


@admin.register(ConsultationRule)
class ConsultationRuleAdmin(CatalogueAdmin):
    form = ConsultationRuleForm
    list_display = ["text", "kind", "source", "sort_order", "is_active"]
    list_filter = ["kind", "is_example", "is_active"]
    search_fields = ["text"]
    ordering = ["kind", "sort_order", "id"]

    @admin.display(description=gettext_lazy("来源"), ordering="is_example")
    def source(self, obj: ConsultationRule) -> str:
        return gettext("示例条目（请按本地目录修改）") if obj.is_example else gettext("本地条目")

    def changelist_view(self, request, extra_context=None):
        title = gettext("协商目录（五议五不议）：标为“示例条目”的是系统自带示例，没有官方统一目录，请按本地规定修改")
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
        adopt(obj, services.consultation_rule_save(actor=request.user, rule=obj if change else None, **fields))


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: staff see demands in their scope, personal data masked; screening is on the pages."""

    view_permission = "demands.view"
    list_display = ["number", "short_text", "category", "status", "urgency", "area", "screening_deadline",
                    "created_at"]
    list_filter = ["status", "urgency", "channel", "category", "reporter_kind"]
    search_fields = ["=number", "text"]
    list_select_related = ["category", "area"]
    date_hierarchy = "created_at"
    fields = ["number", "page_link", "text", "category", "suggested_category", "suggested_confidence", "channel",
              "urgency", "area", "address", "latitude", "longitude", "reporter_kind", "masked_reporter",
              "status", "screening_area", "screening_deadline", "level_area", "outcome", "nature",
              "outcome_reason", "rejection_rule", "merged_into", "topic", "task", "mediation", "screened_at",
              "created_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("内容"))
    def short_text(self, obj: Demand) -> str:
        return obj.text[:40] + ("…" if len(obj.text) > 40 else "")

    @admin.display(description=gettext_lazy("诉求人"))
    def masked_reporter(self, obj: Demand) -> str:
        if obj.reporter is None:
            return gettext("匿名") if obj.reporter_kind == "anonymous" else "—"
        return " ".join(part for part in (mask_name(obj.reporter.name), mask_mobile(obj.reporter.mobile)) if part)

    @admin.display(description=gettext_lazy("页面"))
    def page_link(self, obj: Demand) -> str:
        return format_html(gettext('<a href="{}">在前台查看进展与筛选</a>'), reverse("web:demand_detail", args=[obj.pk]))
