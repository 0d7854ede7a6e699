"""Back office for places and people. Each staff member sees their scope only; every write is a service call;
personal data is masked in lists, and an unmasked form is an audited read (areas.services.person_reveal)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_lazy

from yishiting.common.admin import (
    ScopedAdminMixin,
    ServiceAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.forms import Form
from yishiting.common.masking import mask_id_number, mask_mobile, mask_name
from yishiting.common.rules import has_perm

from . import services
from .models import Area, AreaLevel, Household, Organization, Person, RoleAssignment
from .selectors import (
    areas_visible_to,
    households_visible_to,
    organizations_visible_to,
    people_visible_to,
)
from .validation import clean_exclusive_area, clean_id_number, clean_mobile

register_event_scope("areas.area", areas_visible_to)
register_event_scope("areas.household", households_visible_to)
register_event_scope("areas.person", people_visible_to)
register_event_scope("areas.organization", organizations_visible_to)


@admin.register(AreaLevel)
class AreaLevelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Levels shape the whole tree: everyone with areas.view may read them, only superusers change them."""

    view_permission = "areas.view"
    list_display = ["depth", "name", "code", "holds_households"]
    ordering = ["depth"]

    def scope_filter(self, request, queryset, permission):
        return queryset


# ---- areas ----

class AreaAddForm(ServiceModelForm):
    class Meta:
        model = Area
        fields = ["parent", "level", "name", "code"]

    request: HttpRequest | None = None

    def check_with_services(self, data: dict) -> None:
        user = self.request.user if self.request else None
        if data.get("parent") is None and user is not None and not user.is_superuser:
            raise DomainError("parent_required", gettext("请选择上级区域：只有超级管理员可以新建最高一级区域。"),
                              details={"field": "parent"})
        services.check_child_level(data.get("parent"), data["level"])


class AreaImportForm(Form):
    file = forms.FileField(label=gettext_lazy("导入文件"), help_text=gettext_lazy("XLSX 或 CSV，第一行为表头：类型、编码、名称、层级、上级编码、专有面积（说明见 docs/import.md）。"))


@admin.register(Area)
class AreaAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "areas.view"
    manage_permission = "areas.manage"
    related_scopes = {"parent": ("areas.manage", areas_visible_to)}
    list_display = ["name", "level", "full_name", "code", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "search_key"]
    list_select_related = ["level"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    change_list_template = "web/admin/area_change_list.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["parent", "level", "name", "code"]
        return ["name", "full_name", "level", "code", "parent", "path", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["full_name", "level", "code", "parent", "path", "is_active"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AreaAddForm
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request  # a fresh class per call: the add form checks who may create top-level areas
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            adopt(obj, services.area_create(actor=request.user, name=data["name"], level=data["level"],
                                            code=data["code"], parent=data["parent"]))
        elif "name" in form.changed_data:
            adopt(obj, services.area_rename(actor=request.user, area=obj, name=data["name"]))

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="areas_area_import"), *urls]

    def import_view(self, request: HttpRequest):
        """Upload an XLSX/CSV of areas and households; any error in any row means nothing is imported."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AreaImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = _run_import(request, form.cleaned_data["file"])
            if report is not None and report.ok:
                self.message_user(request, gettext("导入成功。"), messages.SUCCESS)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "title": gettext("导入区域与住户")}
        return TemplateResponse(request, "web/admin/area_import.html", context)


def _run_import(request: HttpRequest, upload):
    from .importer import import_areas_file

    return import_areas_file(actor=request.user, fileobj=upload, filename=upload.name)


def unmasked_search(request: HttpRequest, fields) -> list[str]:
    """Searching by name or full mobile would tell a masked viewer who is who: only for those who may unmask."""
    if request.user.is_superuser or has_perm(request.user, "people.unmask"):
        return list(fields)
    return [f for f in fields if "mobile" not in f and f != "name"]


# ---- households ----

class HouseholdForm(ServiceModelForm):
    class Meta:
        model = Household
        fields = ["unit", "number", "exclusive_area"]

    def check_with_services(self, data: dict) -> None:
        if not data["unit"].level.holds_households:
            raise DomainError("wrong_level", gettext("“%(unit)s”（%(level)s）下不能直接登记住户。") % {
                "unit": data["unit"].name, "level": data["unit"].level.name},
                              details={"field": "unit"})
        clean_exclusive_area(data["exclusive_area"])


@admin.register(Household)
class HouseholdAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "households.view"
    manage_permission = "areas.manage"
    can_update = False  # no update service yet: saved households are view-only
    related_scopes = {"unit": ("areas.manage", areas_visible_to)}
    form = HouseholdForm
    list_display = ["number", "unit", "exclusive_area"]
    search_fields = ["number", "unit__name", "unit__full_name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["path"]

    def get_fields(self, request, obj=None):
        return ["unit", "number", "exclusive_area"] + ([] if obj is None else ["path"])

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        adopt(obj, services.household_create(actor=request.user, unit=data["unit"], number=data["number"],
                                             exclusive_area=data["exclusive_area"]))


# ---- people ----

class PersonForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = ["name", "mobile", "id_number", "household", "area"]

    def check_with_services(self, data: dict) -> None:
        data["mobile"] = clean_mobile(data.get("mobile"))
        data["id_number"] = clean_id_number(data.get("id_number"))


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "people.view"
    manage_permission = "people.manage"
    related_scopes = {"household": ("people.manage", households_visible_to),
                      "area": ("people.manage", areas_visible_to)}
    form = PersonForm
    list_display = ["masked_name", "masked_mobile", "masked_id_number", "household", "area"]
    search_fields = ["=mobile", "name"]
    list_select_related = ["household", "household__unit", "area"]
    autocomplete_fields = ["household", "area"]
    MASKED = ["masked_name", "masked_mobile", "masked_id_number", "household", "area", "user"]

    def get_search_fields(self, request):
        return unmasked_search(request, self.search_fields)

    @admin.display(description=gettext_lazy("姓名"))
    def masked_name(self, obj: Person) -> str:
        return mask_name(obj.name)

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, obj: Person) -> str:
        return mask_mobile(obj.mobile)

    @admin.display(description=gettext_lazy("身份证号"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    def _may_unmask(self, request, obj) -> bool:
        return obj is None or has_perm(request.user, "people.unmask", obj)

    def get_fields(self, request, obj=None):
        if obj is not None and not self._may_unmask(request, obj):
            return self.MASKED
        return ["name", "mobile", "id_number", "household", "area"] + ([] if obj is None else ["user"])

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._may_unmask(request, obj):
            return self.MASKED
        return [] if obj is None else ["user"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening a person's form shows clear values: for a viewer with people.unmask that read is audited."""
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and self._may_unmask(request, obj):
            try:
                services.person_reveal(actor=request.user, person=obj, request=request, reason="admin")
            except PermissionDeniedError:
                raise PermissionDenied from None
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            adopt(obj, services.person_create(actor=request.user, name=data["name"], mobile=data["mobile"],
                                              id_number=data["id_number"], household=data["household"],
                                              area=data["area"]))
            return
        changes = {name: data[name] for name in form.changed_data if name in services.PERSON_FIELDS}
        if changes:
            adopt(obj, services.person_update(actor=request.user, person=obj, **changes))


# ---- organizations and roles ----

class OrganizationForm(ServiceModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "name", "area", "parent", "credit_code"]


@admin.register(Organization)
class OrganizationAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "organizations.view"
    manage_permission = "organizations.manage"
    can_update = False
    related_scopes = {"area": ("organizations.manage", areas_visible_to),
                      "parent": ("organizations.manage", organizations_visible_to)}
    form = OrganizationForm
    list_display = ["name", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["area"]
    autocomplete_fields = ["area", "parent"]

    def scope_filter(self, request, queryset, permission):
        visible = organizations_visible_to(request.user, permission).values("pk")
        return queryset.filter(pk__in=visible)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        adopt(obj, services.organization_create(actor=request.user, kind=data["kind"], name=data["name"],
                                                area=data["area"], parent=data["parent"],
                                                credit_code=data["credit_code"]))


class RoleAssignmentForm(ServiceModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "area", "organization", "expert_level", "title"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "roles.view"
    manage_permission = "roles.manage"
    can_update = False  # a role is revoked and given again, never edited in place
    related_scopes = {"person": ("roles.manage", people_visible_to), "area": ("roles.manage", areas_visible_to),
                      "organization": ("roles.manage", organizations_visible_to)}
    form = RoleAssignmentForm
    list_display = ["person", "role", "area", "organization", "title", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["area__name", "title", "=person__mobile"]
    list_select_related = ["person", "area", "organization"]
    autocomplete_fields = ["area", "organization"]
    raw_id_fields = ["person"]  # the lookup lists people with their household, so masked names are told apart
    actions = ["revoke_selected"]

    def get_search_fields(self, request):
        return unmasked_search(request, self.search_fields)

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(pk__in=_role_ids(request.user, permission))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        adopt(obj, services.role_assign(actor=request.user, person=data["person"], role=data["role"],
                                        area=data["area"], organization=data["organization"],
                                        expert_level=data["expert_level"], title=data["title"]))

    @admin.action(description=gettext_lazy("撤销所选角色"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        for assignment in queryset:
            if has_perm(request.user, "roles.manage", assignment) or request.user.is_superuser:
                services.role_revoke(actor=request.user, assignment=assignment)
                revoked += 1
        self.message_user(request, gettext('已撤销 %(revoked)s 个角色。') % {"revoked": revoked}, messages.SUCCESS)


def _role_ids(user, permission):
    from .selectors import roles_visible_to

    return roles_visible_to(user, permission).values("pk")
