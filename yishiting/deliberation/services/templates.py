"""Process templates (议事规则模板), edited in the back office: validated here, every change an event."""

from __future__ import annotations

from django.db import transaction

from yishiting.areas.choices import Role
from yishiting.areas.models import AreaLevel
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..choices import Cadence, MeetingForm, Party
from ..models import ProcessTemplate

TEMPLATE_FIELDS = ("code", "name", "locality", "description", "meeting_forms", "chairs", "required_parties",
                   "parties_block", "min_size", "max_size", "quorum_numerator", "quorum_denominator",
                   "notice_days", "cadence", "steps", "is_active")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid_template", message, details={"field": field})


def template_check(t: ProcessTemplate) -> None:
    """Every code a template names must exist; bounds and the quorum fraction must make sense."""
    if not (t.name or "").strip() or not (t.code or "").strip():
        raise _invalid("name", "请填写模板名称和代码。")
    unknown_forms = set(t.meeting_forms or []) - set(MeetingForm.values)
    if unknown_forms:
        raise _invalid("meeting_forms", f"未知的会议形式：{'、'.join(sorted(unknown_forms))}（可用：{'、'.join(MeetingForm.values)}）。")
    unknown_parties = set(t.required_parties or []) - set(Party.values)
    if unknown_parties:
        raise _invalid("required_parties", f"未知的参会方：{'、'.join(sorted(unknown_parties))}。")
    if not isinstance(t.chairs, dict):
        raise _invalid("chairs", "主持人规则应为“层级代码 → 角色列表”。")
    levels = set(AreaLevel.objects.values_list("code", flat=True))
    for level, roles in t.chairs.items():
        if level not in levels or not isinstance(roles, list) or set(roles) - set(Role.values):
            raise _invalid("chairs", f"主持人规则中“{level}”的层级或角色不正确。")
    if t.min_size and t.max_size and t.min_size > t.max_size:
        raise _invalid("min_size", "最少人数不能大于最多人数。")
    if not (t.quorum_denominator > 0 and 0 <= t.quorum_numerator <= t.quorum_denominator):
        raise _invalid("quorum_numerator", "法定人数比例应在 0 到 1 之间（分母大于 0）。")
    if t.cadence not in Cadence.values:
        raise _invalid("cadence", "议事周期不正确。")


@transaction.atomic
def template_save(*, actor, template: ProcessTemplate | None = None, **fields) -> ProcessTemplate:
    """Create (template=None) or change a process template; events template.created / template.changed."""
    if not (getattr(actor, "is_superuser", False) or has_perm(actor, "deliberation.templates")):
        raise PermissionDeniedError("只有系统管理员可以修改议事规则模板。")
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise DomainError("unknown_fields", "包含不能修改的字段。", details={"fields": sorted(unknown)})
    template = ProcessTemplate() if template is None else ProcessTemplate.objects.select_for_update().get(pk=template.pk)
    creating = template.pk is None
    changed = [name for name, value in fields.items() if getattr(template, name) != value]
    for name in changed:
        setattr(template, name, fields[name])
    template_check(template)
    if ProcessTemplate.objects.filter(code=template.code).exclude(pk=template.pk).exists():
        raise DomainError("duplicate", "已有相同代码的模板。", details={"field": "code"})
    template.save()
    event_append(subject=template, kind="template.created" if creating else "template.changed", actor=actor,
                 payload={"code": template.code, "fields": sorted(changed)})
    return template
