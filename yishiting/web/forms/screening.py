"""Forms of screening (定): the five outcomes of one demand, and the bulk merge of duplicates."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import page_day
from yishiting.common.forms import Form
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors import open_topics_covering
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Category, ConsultationRule, Demand
from yishiting.demands.screening import Decision
from yishiting.demands.selectors import consultation_rules_active
from yishiting.handling.selectors import handler_candidates

from .demands import AreaChoiceField, DomainErrorsMixin, date_input
from .pickers import PersonPickField

# Default deadline of a direct-handling task, in working days (weekends and holidays excluded).
HANDLING_WORKING_DAYS = 5

NATURE_CHOICES = [
    (Nature.PUBLIC, gettext_lazy("公共事务：涉及多户居民的共同利益，应组织协商（转为议题）")),
    (Nature.INDIVIDUAL, gettext_lazy("个人诉求：只关系到个人或一户，不需协商（直接办理）")),
    (Nature.DISPUTE, gettext_lazy("矛盾纠纷：居民之间或与单位之间的纠纷（转入调解）")),
]
# The nature each outcome normally goes with (the page pre-selects it; staff may still choose).
OUTCOME_NATURE = {Outcome.TOPIC: Nature.PUBLIC, Outcome.HANDLING: Nature.INDIVIDUAL,
                  Outcome.MEDIATION: Nature.DISPUTE}


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ConsultationRule) -> str:
        return gettext('%(text)s（示例条目）') % {"text": obj.text} if obj.is_example else obj.text


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return gettext('%(title)s（%(name)s，%(day_text)s 立项）') % {"title": obj.title, "name": obj.level_area.name, "day_text": page_day(obj.created_at)}


def default_handling_deadline(today: date | None = None) -> date:
    return add_working_days(today or timezone.localdate(), HANDLING_WORKING_DAYS).date


def level_choices(demand: Demand) -> QuerySet[Area]:
    """Levels staff may choose: from the screening level down to the place itself."""
    paths = [p for p in demand.area.ancestor_paths() if p.startswith(demand.screening_path)]
    return Area.objects.filter(path__in=paths or [demand.level_area.path]).order_by("path")


def category_choices(demand: Demand) -> QuerySet[Category]:
    """The active categories, and the demand's own even if it has since been retired."""
    return Category.objects.filter(Q(is_active=True) | Q(pk=demand.category_id)).order_by("sort_order", "pk")


class ScreenForm(DomainErrorsMixin, Form):
    field_aliases = {"handler": "handler_role", "organization": "handler_role"}

    category = forms.ModelChoiceField(label=gettext_lazy("类别"), queryset=Category.objects.none(), required=False,
                                      empty_label=None,
                                      help_text=gettext_lazy("提交时选错了可在这里改正；可能属于的类案随所选类别更新。"))
    outcome = forms.ChoiceField(label=gettext_lazy("筛选结果"), choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": gettext_lazy("请选择筛选结果。")})
    nature = forms.ChoiceField(label=gettext_lazy("事项性质（公私分开）"), choices=NATURE_CHOICES, widget=forms.RadioSelect,
                               required=False)
    reason = forms.CharField(label=gettext_lazy("判断理由"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": gettext_lazy("为什么这样定性、这样处理")}),
                             error_messages={"required": gettext_lazy("请写明判断理由：诉求人会看到它。")})
    level_area = AreaChoiceField(label=gettext_lazy("办理层级"), queryset=Area.objects.none(), required=False, empty_label=None,
                                 help_text=gettext_lazy("小事不出网格、大事不出社区：默认是覆盖该事项的最低一级。"))
    level_reason = forms.CharField(label=gettext_lazy("调整层级的理由"), max_length=500, required=False)
    topic = TopicChoiceField(label=gettext_lazy("并入已有议题"), queryset=Topic.objects.none(), required=False,
                             empty_label=gettext_lazy("不并入，新建议题"))
    topic_title = forms.CharField(label=gettext_lazy("新议题标题"), max_length=200, required=False)
    handler_role = PersonPickField("handler", label=gettext_lazy("经办人"), queryset=Person.objects.none(), required=False,
                                   hint=gettext_lazy("输入姓名、拼音首字母、单位或角色（如 城管、网格员）；本诉求所在区域的排在前面。"),
                                   error_messages={"invalid_choice": gettext_lazy("所选经办人不能办理此诉求，请重新查找。")})
    deadline = forms.DateField(label=gettext_lazy("办理期限"), required=False, widget=date_input())
    rejection_rule = RuleChoiceField(label=gettext_lazy("不予受理依据（协商目录“不议”）"), required=False,
                                     queryset=ConsultationRule.objects.none(), empty_label=gettext_lazy("请选择依据"))
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, demand: Demand, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"level_area": demand.level_area_id, "expected_status": demand.status,
                             "category": demand.category_id,
                             "deadline": default_handling_deadline(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.demand = demand
        self.fields["level_area"].queryset = level_choices(demand)
        self.fields["category"].queryset = category_choices(demand)
        self.fields["category"].widget.attrs.update({  # htmx: the 类案 suggestions follow the chosen category
            "hx-get": reverse("web:demand_screen", args=[demand.pk]), "hx-trigger": "change",
            "hx-params": "category", "hx-target": "#screening-hints", "hx-swap": "outerHTML"})
        self.fields["topic"].queryset = open_topics_covering(demand.area)
        self.candidates = handler_candidates(demand.area, demand.screening_path)
        self.fields["handler_role"].configure(Person.objects.filter(pk__in=self.candidates.values("person_id")),
                                              demand=demand.pk)
        self.fields["rejection_rule"].queryset = consultation_rules_active(ConsultationRule.Kind.EXCLUDE)

    def clean(self) -> dict:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome and outcome != Outcome.ESCALATE and not data.get("nature"):
            self.add_error("nature", gettext("请选择事项性质：公共事务、个人诉求还是矛盾纠纷。"))
        level = data.get("level_area")
        if level is not None and level != self.demand.level_area and not (data.get("level_reason") or "").strip():
            self.add_error("level_reason", gettext("调整办理层级须说明理由。"))
        required = {Outcome.HANDLING: [("handler_role", gettext("请选择经办人。")), ("deadline", gettext("请选择办理期限。"))],
                    Outcome.REJECT: [("rejection_rule", gettext("请选择协商目录中的“不议”依据。"))]}
        for name, message in required.get(outcome, []):
            if not data.get(name):
                self.add_error(name, message)
        if outcome == Outcome.TOPIC and not data.get("topic") and not (data.get("topic_title") or "").strip():
            self.add_error("topic_title", gettext("请填写新议题的标题，或选择要并入的议题。"))
        return data

    def decision(self) -> Decision:
        data = self.cleaned_data
        outcome = data["outcome"]
        role = self.role_of_handler(data.get("handler_role")) if outcome == Outcome.HANDLING else None
        return Decision(
            outcome=outcome, reason=data["reason"], nature="" if outcome == Outcome.ESCALATE else data["nature"],
            level_area=data.get("level_area") if outcome != Outcome.ESCALATE else None,
            level_reason=data.get("level_reason", ""),
            topic=data.get("topic") if outcome == Outcome.TOPIC else None,
            topic_title=data.get("topic_title", "") if outcome == Outcome.TOPIC else "",
            handler=role.person if role else None, organization=role.organization if role else None,
            deadline=data.get("deadline") if outcome == Outcome.HANDLING else None,
            rejection_rule=data.get("rejection_rule") if outcome == Outcome.REJECT else None,
            category=data.get("category"),
        )


    def role_of_handler(self, person: Person | None) -> RoleAssignment | None:
        """The capacity the picked handler handles in: a role with its 责任单位 first (a handler of an agency),
        as the picker's row names it."""
        if person is None:
            return None
        roles = list(self.candidates.filter(person=person))
        return next((r for r in roles if r.organization_id), roles[0] if roles else None)


class MergeForm(Form):
    """Bulk merge: the ticked demands are one matter; staff pick the primary and say why."""

    ids = forms.ModelMultipleChoiceField(queryset=Demand.objects.none(), widget=forms.MultipleHiddenInput,
                                         error_messages={"required": gettext_lazy("请先勾选要合并的诉求。")})
    primary = forms.ModelChoiceField(label=gettext_lazy("主诉求（保留并继续筛选）"), queryset=Demand.objects.none(),
                                     widget=forms.RadioSelect, required=False)
    reason = forms.CharField(label=gettext_lazy("合并理由"), max_length=500, required=False,
                             widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：反映的是同一部电梯故障")}))

    def __init__(self, *args, inbox: QuerySet[Demand], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = inbox
        self.fields["primary"].queryset = inbox

    def clean(self) -> dict:
        data = super().clean()
        chosen = list(data.get("ids") or [])
        if chosen and len(chosen) < 2:
            self.add_error("ids", gettext("至少勾选两条诉求才能合并。"))
        return data

    def ready(self) -> bool:
        """True when the primary and the reason are given too (the second step)."""
        data = self.cleaned_data
        if data.get("primary") is None:
            return False
        if data["primary"] not in data["ids"]:
            self.add_error("primary", gettext("主诉求须是勾选的诉求之一。"))
            return False
        if not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("请填写合并理由。"))
            return False
        return True
