"""A locality's own steps, where they differ from the canonical stage (ProcessTemplate.rules), enforced where the
step happens — each check raises (or reports) a DomainError that names what is missing:

- proposer_roles (岑溪 中心户提议): whoever proposes the topic holds one of these roles in the topic's area;
- present_organizations (岑溪 支部及业委会联议): a meeting of these forms has someone at the table who
  represents an organization of these kinds — invited in the plan, signed in before the resolution;
- min_consultations (南昌 幸福圆桌会 走访征求意见): so many households visited and heard before the plan;
- from_demands (阿勒泰 诉求收集—议题筛选): topics are formed by screening residents' demands, never proposed
  directly;
- residents_round (扬州 群议 before 决议): the residents have been consulted — a closed vote on the topic, or
  at least `min_opinions` opinions — before the resolution is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.errors import DomainError
from yishiting.common.text import list_words

from ..choices import MeetingForm, VoteStatus
from ..models import Consultation, Meeting, ProcessTemplate, Topic
from ..wording import said

RULE_KEYS = ("proposer_roles", "present_organizations", "min_consultations", "from_demands", "residents_round")


def _invalid(message: str) -> DomainError:
    return DomainError("invalid_template", message, details={"field": "rules"})


def rules_check(rules: object) -> None:
    """The template's rules name only known keys, roles, organization kinds and meeting forms."""
    if not isinstance(rules, dict) or set(rules) - set(RULE_KEYS):
        raise _invalid(_("本地步骤规则只能含：%(keys)s。") % {"keys": list_words(RULE_KEYS)})
    roles = rules.get("proposer_roles", [])
    if not isinstance(roles, list) or set(roles) - set(Role.values):
        raise _invalid(_("proposer_roles 应为角色代码列表，如 [\"central_household\"]。"))
    present = rules.get("present_organizations", {})
    if not isinstance(present, dict) or not set(present.get("kinds", [])) <= set(OrganizationKind.values) \
            or not set(present.get("forms", [])) <= set(MeetingForm.values):
        raise _invalid(_("present_organizations 应为 {\"forms\": [会议形式], \"kinds\": [组织类型]}。"))
    minimum = rules.get("min_consultations", 0)
    if not isinstance(minimum, int) or minimum < 0:
        raise _invalid(_("min_consultations 应为不小于 0 的整数。"))
    if not isinstance(rules.get("from_demands", False), bool):
        raise _invalid(_("from_demands 应为 true 或 false。"))
    round_ = rules.get("residents_round", {})
    if not isinstance(round_, dict) or not isinstance(round_.get("min_opinions", 0), int):
        raise _invalid(_("residents_round 应为 {\"min_opinions\": 整数}。"))


def _rules(template: ProcessTemplate | None) -> dict:
    return (template.rules or {}) if template is not None else {}


def _near(area_path: str, path: str) -> bool:
    """A role held in the area: at it, above it or anywhere under it."""
    return path.startswith(area_path) or area_path.startswith(path)


# ---- 提议 who proposes --------------------------------------------------------------------------------

def require_proposer(template: ProcessTemplate | None, level_area: Area, proposer: Person | None) -> None:
    """岑溪: the proposer holds a required role (党员中心户) in the topic's area."""
    roles = _rules(template).get("proposer_roles") or []
    if not roles:
        return
    held = proposer is not None and any(
        _near(level_area.path, path) for path in RoleAssignment.objects.filter(
            person=proposer, role__in=roles, is_active=True).values_list("path", flat=True))
    if not held:
        names = list_words(str(Role(r).label) for r in roles)
        who = proposer.name if proposer is not None else _("提议人")
        raise DomainError("proposer_role_missing", _(
            "%(template)s的议题须由%(roles)s提议：%(who)s不是%(area)s的%(roles)s。请由%(roles)s提出议题，"
            "再把诉求并入。") % {"template": template.name, "roles": names, "who": who, "area": level_area.name},
            details={"field": "proposer", "roles": roles})


def require_direct_allowed(template: ProcessTemplate | None) -> None:
    """阿勒泰: a topic starts from collected demands (诉求收集), then screening (议题筛选)."""
    if _rules(template).get("from_demands"):
        raise DomainError("collect_first", _(
            "%(template)s的议题须来自收集的居民诉求：请先登记诉求，再在筛选中转为议题。") % {"template": template.name},
            details={"field": "template"})


# ---- 议 the meeting -----------------------------------------------------------------------------------

def _represents(person_ids: Iterable[int], kinds: Sequence[str]) -> bool:
    return RoleAssignment.objects.filter(person_id__in=list(person_ids), is_active=True,
                                         organization__kind__in=kinds, organization__is_active=True).exists()


def _kind_names(kinds: Sequence[str]) -> str:
    return list_words(str(OrganizationKind(k).label) for k in kinds)


def consultations_needed(topic: Topic) -> tuple[int, int]:
    """(recorded, required) household consultations for a topic under its template."""
    required = int(_rules(topic.template).get("min_consultations") or 0)
    return Consultation.objects.filter(topic=topic).count(), required


def plan_problems(topics: Sequence[Topic], form: str, person_ids: Sequence[int]) -> list[tuple[str, str]]:
    """What the topics' templates need before a meeting on them is planned: (code, words) each, blocking."""
    problems: list[tuple[str, str]] = []
    for topic in topics:
        rules = _rules(topic.template)
        required = int(rules.get("min_consultations") or 0)
        recorded = Consultation.objects.filter(topic=topic).count() if required else 0
        if recorded < required:
            problems.append(("consultations_missing", said(gettext_lazy(
                "%(template)s会前须由民情理事会成员走访征求至少 %(required)s 户意见，议题“%(title)s”已记录 "
                "%(recorded)s 户。"), template=topic.template.name, required=required, title=topic.title,
                recorded=recorded)))
        present = rules.get("present_organizations") or {}
        if present.get("kinds") and form in present.get("forms", []) and not _represents(person_ids, present["kinds"]):
            problems.append(("organization_missing", said(gettext_lazy(
                "%(template)s的%(form)s须有%(kinds)s的成员参加：请邀请%(kinds)s的成员（在人员登记中属于该组织的人）。"),
                template=topic.template.name, form=MeetingForm(form).label, kinds=_kind_names(present["kinds"]))))
    return problems


def require_before_resolution(meeting: Meeting, topic: Topic) -> None:
    """Before the resolution: 岑溪's 联议 has the owners' committee signed in; 扬州's 群议 has happened."""
    rules = _rules(topic.template)
    present = rules.get("present_organizations") or {}
    if present.get("kinds") and meeting.form in present.get("forms", []):
        signed = meeting.participants.filter(signed_in_at__isnull=False).values_list("person_id", flat=True)
        if not _represents(signed, present["kinds"]):
            raise DomainError("organization_absent", _(
                "%(template)s的%(form)s须有%(kinds)s的成员到场：%(kinds)s的成员尚未签到，不能形成决议。") % {
                "template": topic.template.name, "form": meeting.get_form_display(),
                "kinds": _kind_names(present["kinds"])})
    if "residents_round" in rules:
        minimum = int((rules["residents_round"] or {}).get("min_opinions") or 0)
        voted = topic.votes.filter(status=VoteStatus.CLOSED).exists()
        opinions = topic.opinions.count()
        if not voted and opinions < max(minimum, 1):
            raise DomainError("residents_round_missing", _(
                "%(template)s须先“群议”再“决议”：请先组织居民表决，或征求至少 %(minimum)s 位居民的意见"
                "（已收到 %(opinions)s 条）。") % {"template": topic.template.name, "minimum": max(minimum, 1),
                                              "opinions": opinions})
