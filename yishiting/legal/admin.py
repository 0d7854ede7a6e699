"""Back office for legal services: the fields of expertise and the consultation template (district-wide
catalogues), the pool and the adviser posts (scoped; saved through the services), consultations read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy

from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)

from . import services
from .models import AdviserPost, Consultation, ConsultationTemplate, Expert, ExpertField
from .selectors import staff_consultations

register_event_scope("legal.consultation", lambda user, _permission: staff_consultations(user))


class CatalogueAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """One list for the whole district: the pool's managers read it, admins change it."""

    view_permission = "legal.pool"
    manage_permission = None

    def scope_filter(self, request, queryset, permission):
        return queryset


@admin.register(ExpertField)
class ExpertFieldAdmin(CatalogueAdmin):
    list_display = ["name", "code", "is_legal", "order", "is_active"]
    list_filter = ["is_legal", "is_active"]
    search_fields = ["name", "code"]


@admin.register(ConsultationTemplate)
class ConsultationTemplateAdmin(CatalogueAdmin):
    list_display = ["name", "answer_working_days", "order", "is_active"]


class ExpertForm(ServiceModelForm):
    class Meta:
        model = Expert
        fields = ["person", "level", "area", "fields", "is_lawyer", "title", "organization", "availability", "busy_until", "note"]

    def check_with_services(self, data: dict) -> None:
        from yishiting.common.errors import DomainError

        from .services import _level_area_matches

        if data.get("area") and data.get("level") and not _level_area_matches(int(data["level"]), data["area"]):
            raise DomainError("level_area_mismatch", services.gettext("专家库级别与所在区域的层级不一致。"),
                              details={"field": "area"})


@admin.register(Expert)
class ExpertAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = ExpertForm
    view_permission = "legal.pool"
    manage_permission = "legal.pool_manage"
    list_display = ["person", "level", "area", "is_lawyer", "availability", "is_active"]
    list_filter = ["level", "is_lawyer", "availability", "fields", "is_active"]
    search_fields = ["person__name", "title"]
    autocomplete_fields = ["person", "area", "organization"]
    filter_horizontal = ["fields"]
    list_select_related = ["person", "area"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        if change:  # the state changes through its own service (its checks, its event), not with the record
            obj.availability, obj.busy_until = Expert.objects.values_list("availability", "busy_until").get(pk=obj.pk)
        saved = services.expert_save(actor=request.user, person=d["person"], level=int(d["level"]), area=d["area"],
                                     fields=list(d["fields"]), is_lawyer=d["is_lawyer"], title=d["title"],
                                     organization=d["organization"], note=d["note"], expert=obj if change else None)
        if (saved.availability, saved.busy_until) != (d["availability"], d.get("busy_until")):
            services.expert_set_availability(actor=request.user, expert=saved, availability=d["availability"],
                                             busy_until=d.get("busy_until"))
        adopt(obj, saved)


@admin.register(AdviserPost)
class AdviserPostAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "legal.coverage"
    manage_permission = "legal.pool_manage"
    can_update = False  # a new term is a new post: the history of who advised when stays as it was
    list_display = ["community", "expert", "starts_on", "ends_on"]
    search_fields = ["community__name", "expert__person__name"]
    autocomplete_fields = ["community", "expert"]
    fields = ["community", "expert", "starts_on", "ends_on"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        adopt(obj, services.adviser_appoint(actor=request.user, community=d["community"], expert=d["expert"],
                                            starts_on=d["starts_on"], ends_on=d["ends_on"]))


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "legal.pool"
    list_display = ["number", "title", "field", "status", "due_on", "rating", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["number", "title"]
    list_select_related = ["field"]
    fields = ["number", "title", "field", "community", "status", "lawyer", "adviser", "due_on", "answered_at",
              "rating", "rating_comment", "mediation_case_id", "created_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("提问人"))
    def asker_masked(self, obj: Consultation) -> str:
        return str(obj.asker)
