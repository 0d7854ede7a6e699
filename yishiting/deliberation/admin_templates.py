"""Back office for templates per area (issue 20): which area runs which template (set through the service, so
each change is an event), where a template applies (an inline on the template), and the household
consultations (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)
from yishiting.common.rules import scope_for
from yishiting.common.text import list_words

from .models import Consultation, ProcessTemplate, TemplateAssignment
from .services.assignments import template_assign, template_unassign

register_event_scope("deliberation.templateassignment", lambda user, permission: TemplateAssignment.objects.all())


class AssignmentForm(ServiceModelForm):
    class Meta:
        model = TemplateAssignment
        fields = ["area", "template", "reason"]


@admin.register(TemplateAssignment)
class TemplateAssignmentAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """模板适用区域: an area and its subtree run the template unless a nearer area has its own."""

    form = AssignmentForm
    view_permission = "deliberation.manage"
    manage_permission = "deliberation.templates"
    list_display = ["area", "template", "reason", "assigned_by", "assigned_at"]
    list_filter = ["template"]
    search_fields = ["area__name", "area__full_name", "template__name"]
    list_select_related = ["area", "template", "assigned_by"]
    autocomplete_fields = ["area"]
    readonly_fields = ["assigned_by", "assigned_at"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("area__path"))

    def has_delete_permission(self, request, obj=None) -> bool:  # clearing is a recorded change too
        return self._allowed(request, self.manage_permission, obj)

    def save_model(self, request, obj, form, change):
        if change and "area" in form.changed_data:  # moved to another area: the old one goes back to inheriting
            template_unassign(actor=request.user, area=form.initial_area, reason=obj.reason)
        adopt(obj, template_assign(actor=request.user, area=form.cleaned_data["area"],
                                   template=form.cleaned_data["template"], reason=form.cleaned_data["reason"]))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.initial_area = obj.area if obj is not None else None
        return form

    def delete_model(self, request, obj):
        template_unassign(actor=request.user, area=obj.area, reason=_("后台取消"))


class AssignmentInline(admin.TabularInline):
    """Where the template applies (read here; set under 模板适用区域)."""

    model = TemplateAssignment
    fields = ["area", "reason", "assigned_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("适用区域（下级区域另有设置的除外）")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def applies_to(template: ProcessTemplate) -> str:
    names = [a.area.name for a in template.assignments.all()[:5]]
    more = template.assignments.count() > 5
    return list_words(names + (["…"] if more else [])) if names else ""


applies_to.short_description = _("适用区域")


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "deliberation.view"
    list_display = ["topic", "household", "visited_on", "visitor", "created_at"]
    list_select_related = ["topic", "household", "visitor"]
    search_fields = ["topic__title"]
    date_hierarchy = "visited_on"

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("topic__path"))
