"""Back office for deliberation: the process templates (editable by admins, through the template service),
and topics, venues and meetings read-only and scoped (their life happens on the pages and through the API)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yishiting.common.admin import CatalogueAdmin as DistrictCatalogueAdmin
from yishiting.common.admin import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceModelForm,
    adopt,
    register_event_scope,
)

from .admin_templates import AssignmentInline, applies_to
from .models import Meeting, ProcessTemplate, Topic, Venue
from .selectors.topics import topics_visible_to
from .services.templates import TEMPLATE_FIELDS, template_save

register_event_scope("deliberation.topic", lambda user, permission: topics_visible_to(user))
register_event_scope("deliberation.processtemplate", lambda user, permission: ProcessTemplate.objects.all())


class TemplateForm(ServiceModelForm):
    class Meta:
        model = ProcessTemplate
        fields = list(TEMPLATE_FIELDS)
        help_texts = {
            "meeting_forms": _("如 [\"round_table\", \"bench\"]；可用：round_table 圆桌会、joint 联席会议、bench 板凳议事、talk 民情恳谈、hearing 听证会、online 网上议事"),
            "chairs": _("层级代码 → 可主持的角色，如 {\"community\": [\"community_secretary\"], \"street\": [\"street_official\"]}"),
            "required_parties": _("必须到场的各方，如垦利“1+8+N”的八方：resident、grid_worker、deputy、property、owners_committee、social_org、legal_adviser、dual_registration"),
            "steps": _("本地的步骤名称，如 [\"集\", \"定\", \"议\", \"公\", \"办\", \"督\", \"评\", \"备\"]"),
            "stage_names": _("本地步骤对应到八个环节 collect 集、decide 定、deliberate 议、publicise 公、handle 办、supervise 督、evaluate 评、archive 备，如 {\"collect\": [\"中心户提议\"], \"decide\": [\"支部审议\"]}"),
            "major_rule": _("重大事项（需合法性审核）：{\"categories\": [\"安全隐患\"], \"owners_matters\": [\"rebuild\"], \"keywords\": [\"加装电梯\"]}；工作人员也可以把任何事项标为重大"),
            "evaluation_weights": _("三个维度的权重（合计 100）：{\"residents\": 60, \"parties\": 20, \"organization\": 20}；留空为这一默认"),
            "bodies": _("各层级由哪类议事组织议事（其成员默认受邀、按其成员计算法定人数），如 {\"community\": \"party_mass_council\", \"estate\": \"estate_council\"}"),
            "deliberate_first": _("决策前置：某些类别的事项须先经下级议事组织议事，上级才能形成决议，如 [{\"categories\": [\"物业管理\"], \"level\": \"estate\"}]"),
            "rules": _("本地步骤与标准环节不同之处：{\"proposer_roles\": [\"central_household\"]} 须由党员中心户提议；{\"present_organizations\": {\"forms\": [\"joint\"], \"kinds\": [\"owners_committee\"]}} 联席会议须有业委会成员到场；{\"min_consultations\": 3} 会前至少走访 3 户；{\"from_demands\": true} 议题须来自居民诉求；{\"residents_round\": {\"min_opinions\": 3}} 决议前须有居民表决或至少 3 条居民意见"),
            "mutual_parties": _("五方互评的各方，如 [{\"code\": \"property\", \"name\": \"物业企业\"}]；留空为双鸭山“五方”"),
        }


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(DistrictCatalogueAdmin):
    """One set of templates for the district: staff who convene may read them, admins change them."""

    form = TemplateForm
    view_permission = "deliberation.manage"
    manage_permission = "deliberation.templates"
    list_display = ["name", "code", "locality", applies_to, "min_size", "max_size", "notice_days", "cadence",
                    "is_active"]
    inlines = [AssignmentInline]  # where it applies (issue 20)
    list_filter = ["cadence", "is_active"]
    search_fields = ["name", "code", "locality"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in TEMPLATE_FIELDS}
        adopt(obj, template_save(actor=request.user, template=obj if change else None, **fields))


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "deliberation.view"
    list_display = ["title", "level_area", "status", "source", "demand_count", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["title"]
    list_select_related = ["level_area"]
    date_hierarchy = "created_at"
    fields = ["title", "description", "source", "level_area", "scope_area", "template", "status", "analysis",
              "draft_plan", "created_at"]
    readonly_fields = fields


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "deliberation.view"
    list_display = ["name", "kind", "area", "capacity", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["area"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "deliberation.view"
    list_display = ["title", "form", "level_area", "venue", "starts_at", "status"]
    list_filter = ["form", "status"]
    search_fields = ["title"]
    list_select_related = ["level_area", "venue"]
    date_hierarchy = "starts_at"
