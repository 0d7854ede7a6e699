"""Back office for mediation: dispute types and the "三二一" templates (admins), committees and their members
(office staff of the area), and cases — read-only, scoped like every mediation read (parties, mediators and
supervising staff only: selectors.cases_visible_to)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from yishiting.common.admin import CatalogueAdmin as DistrictCatalogueAdmin
from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)
from yishiting.common.rules import scope_for

from .models import CommitteeMember, DisputeType, MediationCase, MediationCommittee, MediationTemplate
from .selectors import cases_visible_to
from .services import setup


def _cases(user, permission: str = "mediation.supervise") -> QuerySet[MediationCase]:
    return cases_visible_to(user)


register_event_scope("mediation.mediationcase", _cases)


class CatalogueAdmin(DistrictCatalogueAdmin):
    view_permission = "mediation.supervise"
    manage_permission = "mediation.catalogue"


class DisputeTypeForm(ServiceModelForm):
    class Meta:
        model = DisputeType
        fields = list(setup.DISPUTE_TYPE_FIELDS)


@admin.register(DisputeType)
class DisputeTypeAdmin(CatalogueAdmin):
    form = DisputeTypeForm
    list_display = ["name", "code", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in setup.DISPUTE_TYPE_FIELDS}
        adopt(obj, setup.dispute_type_save(actor=request.user, dispute_type=obj if change else None, **fields))


class TemplateForm(ServiceModelForm):
    class Meta:
        model = MediationTemplate
        fields = list(setup.TEMPLATE_FIELDS)

    def check_with_services(self, data: dict) -> None:
        setup.check_template(data)


@admin.register(MediationTemplate)
class MediationTemplateAdmin(CatalogueAdmin):
    form = TemplateForm
    list_display = ["area", "name", "community_attempts", "street_attempts", "district_attempts", "limit_days"]
    list_select_related = ["area"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in setup.TEMPLATE_FIELDS}
        adopt(obj, setup.template_save(actor=request.user, template=obj if change else None, **fields))


class MemberInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CommitteeMember
    fields = ["person", "kind", "is_active", "joined_on"]
    readonly_fields = fields
    extra = 0


@admin.register(MediationCommittee)
class MediationCommitteeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Committees are set up on the pages and through the API (services.setup); listed here for overview."""

    view_permission = "mediation.committees"
    list_display = ["name", "area", "created_at"]
    list_select_related = ["area"]
    search_fields = ["name"]
    fields = ["name", "area", "created_at"]
    readonly_fields = fields
    inlines = [MemberInline]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("path"))


@admin.register(MediationCase)
class MediationCaseAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "mediation.supervise"
    list_display = ["title", "area", "status", "tier", "deadline", "created_at"]
    list_filter = ["status", "tier"]
    search_fields = ["title"]
    list_select_related = ["area"]
    fields = ["title", "area", "status", "tier", "tier_area", "dispute_type", "source", "opened_on", "deadline",
              "accepted_at", "closed_at", "outcome", "created_at"]
    readonly_fields = fields

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(pk__in=cases_visible_to(request.user).values("pk"))
