"""Process templates (议事规则模板), edited in the back office: validated here, every change an event."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yishiting.areas.choices import Role
from yishiting.areas.models import AreaLevel
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..choices import Cadence, MeetingForm, OwnersMatter, Party
from ..models import ProcessTemplate
from .locality import rules_check

TEMPLATE_FIELDS = ("code", "name", "locality", "description", "meeting_forms", "chairs", "required_parties",
                   "parties_block", "min_size", "max_size", "quorum_numerator", "quorum_denominator",
                   "notice_days", "cadence", "steps", "is_active", "stage_names", "publicity_days", "major_rule",
                   "legal_review_level", "yellow_percent", "escalate_after_days", "evaluation_days",
                   "evaluation_weights", "basic_weight", "reopen_threshold_percent", "reopen_min_ratings",
                   "mutual_parties", "is_default", "bodies", "deliberate_first", "rules")
# The eight canonical stages a template's own step names map onto (handling.choices.Stage).
STAGES = ("collect", "decide", "deliberate", "publicise", "handle", "supervise", "evaluate", "archive")
WEIGHTS = ("residents", "parties", "organization")
MAJOR_KEYS = ("categories", "owners_matters", "keywords")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid_template", message, details={"field": field})


def template_check(t: ProcessTemplate) -> None:
    """Every code a template names must exist; bounds and the quorum fraction must make sense."""
    if not (t.name or "").strip() or not (t.code or "").strip():
        raise _invalid("name", _("请填写模板名称和代码。"))
    unknown_forms = set(t.meeting_forms or []) - set(MeetingForm.values)
    if unknown_forms:
        raise _invalid("meeting_forms", _("未知的会议形式：%(unknown_forms)s（可用：%(values)s）。") % {"unknown_forms": '、'.join(sorted(unknown_forms)), "values": '、'.join(MeetingForm.values)})
    unknown_parties = set(t.required_parties or []) - set(Party.values)
    if unknown_parties:
        raise _invalid("required_parties", _("未知的参会方：%(unknown_parties)s。") % {"unknown_parties": '、'.join(sorted(unknown_parties))})
    if not isinstance(t.chairs, dict):
        raise _invalid("chairs", _("主持人规则应为“层级代码 → 角色列表”。"))
    levels = set(AreaLevel.objects.values_list("code", flat=True))
    for level, roles in t.chairs.items():
        if level not in levels or not isinstance(roles, list) or set(roles) - set(Role.values):
            raise _invalid("chairs", _("主持人规则中“%(level)s”的层级或角色不正确。") % {"level": level})
    if t.min_size and t.max_size and t.min_size > t.max_size:
        raise _invalid("min_size", _("最少人数不能大于最多人数。"))
    if not (t.quorum_denominator > 0 and 0 <= t.quorum_numerator <= t.quorum_denominator):
        raise _invalid("quorum_numerator", _("法定人数比例应在 0 到 1 之间（分母大于 0）。"))
    if t.cadence not in Cadence.values:
        raise _invalid("cadence", _("议事周期不正确。"))
    _check_handling_rules(t, levels)
    _check_bodies(t, levels)
    rules_check(t.rules or {})


def _check_bodies(t: ProcessTemplate, levels: set[str]) -> None:
    """The standing bodies per level and the 决策前置 rules name real levels and body kinds."""
    from yishiting.bodies.models import BodyKind

    kinds = set(BodyKind.objects.values_list("code", flat=True))
    if not isinstance(t.bodies, dict) or any(level not in levels or code not in kinds for level, code in t.bodies.items()):
        raise _invalid("bodies", _("各层级的议事组织应为“层级代码 → 议事组织类型代码”，且层级和类型都须存在。"))
    rules = t.deliberate_first
    if not isinstance(rules, list) or not all(
            isinstance(r, dict) and r.get("level") in levels and set(r) <= {"level", "categories"}
            and _string_lists({"categories": r.get("categories", [])}, ("categories",)) for r in rules):
        raise _invalid("deliberate_first", _("决策前置规则应为列表，每条含 level（层级代码）和 categories（诉求类别名称列表）。"))


def _string_lists(value, keys) -> bool:
    return isinstance(value, dict) and set(value) <= set(keys) and all(
        isinstance(v, list) and all(isinstance(item, str) and item.strip() for item in v) for v in value.values())


def _check_handling_rules(t: ProcessTemplate, levels: set[str]) -> None:
    """Publicity, major matters, warnings and evaluation (公督评) and the stage map."""
    if not _string_lists(t.stage_names or {}, STAGES):
        raise _invalid("stage_names", _("步骤对应应为“环节 → 本地步骤名称列表”，环节只能是：%(STAGES)s。") % {"STAGES": '、'.join(STAGES)})
    if (t.publicity_days or 0) < 5:
        raise _invalid("publicity_days", _("公示不得少于 5 个工作日。"))
    if not _string_lists(t.major_rule or {}, MAJOR_KEYS):
        raise _invalid("major_rule", _("重大事项规则只能含 categories、owners_matters、keywords 三个列表。"))
    unknown_matters = set((t.major_rule or {}).get("owners_matters", [])) - set(OwnersMatter.values)
    if unknown_matters:
        raise _invalid("major_rule", _("未知的业主共同决定事项：%(unknown_matters)s。") % {"unknown_matters": '、'.join(sorted(unknown_matters))})
    if t.legal_review_level not in levels:
        raise _invalid("legal_review_level", _("合法性审核层级应为区域层级代码，如 street 或 district。"))
    if not 1 <= (t.yellow_percent or 0) <= 99:
        raise _invalid("yellow_percent", _("黄色预警比例应在 1% 到 99% 之间。"))
    weights = t.evaluation_weights or {}
    if weights and (set(weights) != set(WEIGHTS) or any(not isinstance(v, int) or v < 0 for v in weights.values())
                    or sum(weights.values()) != 100):
        raise _invalid("evaluation_weights", _("评价权重应为 residents、parties、organization 三个非负整数，合计 100。"))
    if not (t.basic_weight is not None and 0 <= t.basic_weight <= 1):
        raise _invalid("basic_weight", _("“基本满意”的权重应在 0 到 1 之间。"))
    if not 0 < (t.reopen_threshold_percent or 0) <= 100:
        raise _invalid("reopen_threshold_percent", _("重办阈值应在 1% 到 100% 之间。"))
    parties = t.mutual_parties or []
    if not isinstance(parties, list) or any(
            not isinstance(p, dict) or not str(p.get("code", "")).strip() or not str(p.get("name", "")).strip()
            for p in parties) or len({p["code"] for p in parties}) != len(parties):
        raise _invalid("mutual_parties", _("互评各方应为 [{\"code\": …, \"name\": …}] 列表，代码不重复。"))


@transaction.atomic
def template_save(*, actor, template: ProcessTemplate | None = None, **fields) -> ProcessTemplate:
    """Create (template=None) or change a process template; events template.created / template.changed."""
    if not (getattr(actor, "is_superuser", False) or has_perm(actor, "deliberation.templates")):
        raise PermissionDeniedError(_("只有系统管理员可以修改议事规则模板。"))
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise DomainError("unknown_fields", _("包含不能修改的字段。"), details={"fields": sorted(unknown)})
    template = ProcessTemplate() if template is None else ProcessTemplate.objects.select_for_update().get(pk=template.pk)
    creating = template.pk is None
    changed = [name for name, value in fields.items() if getattr(template, name) != value]
    for name in changed:
        setattr(template, name, fields[name])
    template_check(template)
    if ProcessTemplate.objects.filter(code=template.code).exclude(pk=template.pk).exists():
        raise DomainError("duplicate", _("已有相同代码的模板。"), details={"field": "code"})
    if template.is_default:  # one default at a time: setting a new one clears the old
        ProcessTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(is_default=False)
    template.save()
    event_append(subject=template, kind="template.created" if creating else "template.changed", actor=actor,
                 payload={"code": template.code, "fields": sorted(changed)})
    return template
