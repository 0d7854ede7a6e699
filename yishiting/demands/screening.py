"""Screening (定): each demand ends as exactly one outcome, decided by staff of the screening level.

`demand_screen` performs one of the transitions pending|escalated → topic | handling | mediation | escalated
| rejected; `demand_merge` performs pending|escalated → merged for duplicates of a primary demand.
Concurrent screenings of one demand: the row lock in `transition` lets exactly one win; the other gets the
Conflict "该诉求已被他人处理".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area, Organization, Person
from yishiting.common.dates import day_text
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify

from .choices import Nature, Outcome, Status
from .models import Category, ConsultationRule, Demand
from .services import check_can_screen, screening_deadline
from .transitions import TRANSITIONS

if TYPE_CHECKING:  # the later domains' types, for annotations only (data walks down: no import at run time)
    from yishiting.deliberation.models import ProcessTemplate, Topic

OUTCOME_STATUS = {Outcome.TOPIC: Status.TOPIC, Outcome.HANDLING: Status.HANDLING,
                  Outcome.MEDIATION: Status.MEDIATION, Outcome.ESCALATE: Status.ESCALATED,
                  Outcome.REJECT: Status.REJECTED}


@dataclass
class Decision:
    outcome: str
    reason: str = ""
    nature: str = ""
    level_area: Area | None = None
    level_reason: str = ""
    topic: Topic | None = None          # merge into this open topic …
    topic_title: str = ""               # … or open a new one with this title
    template: ProcessTemplate | None = None  # … under this locality's process template (default: the district's)
    dispute_type: Any = None            # mediation: the dispute type (mediation.DisputeType), optional
    handler: Person | None = None
    organization: Organization | None = None
    deadline: date | None = None
    rejection_rule: ConsultationRule | None = None
    category: Category | None = None    # the category as the screener corrected it (None: unchanged)


def _require(value, field: str, message: str):
    if not value:
        raise DomainError("required", message, details={"field": field})
    return value


def _validate(demand: Demand, d: Decision) -> None:
    if d.outcome not in OUTCOME_STATUS:
        raise DomainError("invalid_choice", gettext("筛选结果不正确。"), details={"field": "outcome"})
    if d.category is not None and d.category.pk != demand.category_id and not d.category.is_active:
        raise DomainError("invalid_choice", gettext("该类别已停用。"), details={"field": "category"})
    if d.outcome != Outcome.ESCALATE:
        _require(d.nature in Nature.values, "nature", gettext("请选择事项性质（公共事务、个人诉求或矛盾纠纷）。"))
    if d.level_area is not None and d.level_area != demand.level_area:
        _require(d.level_reason.strip(), "level_reason", gettext("调整办理层级须说明理由。"))
        if not (demand.path.startswith(d.level_area.path) or d.level_area.path.startswith(demand.screening_path)):
            raise DomainError("invalid_level", gettext("办理层级须覆盖诉求发生地。"), details={"field": "level_area"})
    if d.outcome == Outcome.TOPIC:
        if d.nature != Nature.PUBLIC:
            raise DomainError("nature_mismatch", gettext("只有公共事务才转为议题；个人诉求请直接办理。"),
                              details={"field": "nature"})
        if d.topic is None:
            _require(d.topic_title.strip(), "topic_title", gettext("请填写新议题的标题，或选择要并入的议题。"))
        elif not _route("topic_mergeable")(d.topic) or not demand.path.startswith(d.topic.path):
            raise DomainError("invalid_topic", gettext("只能并入本辖区内尚未结束的议题。"), details={"field": "topic"})
    elif d.outcome == Outcome.HANDLING:
        _require(d.handler, "handler", gettext("直接办理须指定经办人。"))
        _require(d.deadline, "deadline", gettext("直接办理须指定办理期限。"))
        if d.deadline < timezone.localdate():
            raise DomainError("invalid_deadline", gettext("办理期限不能早于今天。"), details={"field": "deadline"})
    elif d.outcome in (Outcome.ESCALATE, Outcome.MEDIATION):
        _require(d.reason.strip(), "reason", gettext("请填写理由。"))
    elif d.outcome == Outcome.REJECT:
        rule = _require(d.rejection_rule, "rejection_rule", gettext("不予受理须选择协商目录中的“不议”依据。"))
        if rule.kind != ConsultationRule.Kind.EXCLUDE or not rule.is_active:
            raise DomainError("invalid_rule", gettext("不予受理的依据须是有效的“不议”条目。"), details={"field": "rejection_rule"})
        _require(d.reason.strip(), "reason", gettext("请填写不予受理的具体理由。"))


def _parent_of(area: Area) -> Area:
    if area.parent_id is None:
        raise DomainError("no_parent", gettext("已是最高一级，无法再提请上级。"))
    return Area.objects.select_related("level").get(pk=area.parent_id)


# The routes of the outcomes that open work in a later domain (a topic, a task, a mediation case) are
# registered by yishiting.loop, above the domains (architecture rule 11): screening never imports them.
Route = Callable[..., Any]
ROUTES: dict[str, Route] = {}


def register_route(name: str, route: Route) -> None:
    """`name` is an outcome ("topic", "handling", "mediation") called as route(actor, demand, decision, level)
    and returning the demand's field changes, or a helper ("topic_mergeable")."""
    ROUTES[name] = route


def _route(name: str) -> Route:
    try:
        return ROUTES[name]
    except KeyError:
        raise RuntimeError(f"no screening route for {name!r}: yishiting.loop.install() has not run") from None


def _apply(actor, demand: Demand, d: Decision) -> dict:
    """Create what the outcome needs; return the field changes for the demand."""
    level = d.level_area or demand.level_area
    if d.outcome in (Outcome.TOPIC, Outcome.HANDLING, Outcome.MEDIATION):
        return _route(d.outcome)(actor, demand, d, level)
    if d.outcome == Outcome.ESCALATE:
        parent = _parent_of(demand.screening_area)
        return {"screening_area": parent, "screening_path": parent.path, "level_area": parent,
                "screening_deadline": screening_deadline(demand.category)}
    return {"rejection_rule": d.rejection_rule}


OUTCOME_MESSAGES = {
    # The resident's notifications (SMS and 我的消息) go out in Chinese whoever screens: they are records.
    Outcome.TOPIC: "您的诉求（编号 {n}）属于公共事务，已转为议题，将组织居民协商。",  # zh-only
    Outcome.HANDLING: "您的诉求（编号 {n}）已交办，将于 {deadline} 前办理。",  # zh-only
    Outcome.MEDIATION: "您的诉求（编号 {n}）已转入调解，调解员将与您联系。",  # zh-only
    Outcome.ESCALATE: "您的诉求（编号 {n}）已提请{area}研究处理。",  # zh-only
    Outcome.REJECT: "您的诉求（编号 {n}）不予受理：{reason}",  # zh-only
}


@transaction.atomic
def demand_screen(*, actor, demand: Demand, decision: Decision, expected_status: str | None = None) -> Demand:
    """Screen a pending or escalated demand to one outcome; records actor, time, reason; tells the reporter.
    A category corrected on the screening form is saved with the decision (named in the event's payload)."""
    check_can_screen(actor, demand)
    locked = Demand.objects.select_for_update().select_related("screening_area", "category").get(pk=demand.pk)
    if not locked.is_open or (expected_status and locked.status != expected_status):
        raise Conflict("already_screened", gettext('该诉求已被他人处理（当前状态：%(get_status_display)s），请刷新。') % {"get_status_display": locked.get_status_display()})
    check_can_screen(actor, locked)  # someone may have escalated it beyond this actor's level meanwhile
    _validate(locked, decision)
    recategorised = decision.category is not None and decision.category.pk != locked.category_id
    if recategorised:  # before the outcome's work: a topic, task or escalation follows the corrected category
        previous, locked.category = locked.category.name, decision.category
    changes = {"outcome": decision.outcome, "nature": decision.nature, "outcome_reason": decision.reason.strip(),
               "screened_by": actor, "screened_at": timezone.now(), **_apply(actor, locked, decision)}
    if decision.level_area is not None and decision.outcome != Outcome.ESCALATE:
        changes["level_area"] = decision.level_area
    payload = {"outcome": decision.outcome, "nature": decision.nature, "reason": decision.reason.strip(),
               "level": changes.get("level_area", locked.level_area).code,
               "level_reason": decision.level_reason.strip()}
    if recategorised:
        changes["category"] = decision.category
        payload.update(category=decision.category.name, category_before=previous)
    transition(locked, to=OUTCOME_STATUS[decision.outcome], actor=actor, table=TRANSITIONS,
               kind=f"demand.{decision.outcome}", payload=payload, changes=changes)
    _notify_outcome(locked, decision)
    for duplicate in locked.duplicates.select_related("reporter"):
        _notify_outcome(duplicate, decision, number=duplicate.number)
    return locked


def _notify_outcome(demand: Demand, decision: Decision, number: str | None = None) -> None:
    text = OUTCOME_MESSAGES[decision.outcome].format(
        n=number or demand.number, deadline=day_text(decision.deadline) if decision.deadline else "",
        area=demand.screening_area.name, reason=(decision.rejection_rule.text if decision.rejection_rule else "")
        + ("；" + decision.reason.strip() if decision.reason.strip() else ""))
    notify(person=demand.reporter, text=text, link=f"/demands/{demand.pk}/", subject=demand)


@transaction.atomic
def demand_merge(*, actor, primary: Demand, duplicates: list[Demand], reason: str) -> list[Demand]:
    """Merge duplicates into a primary demand (all or none): each becomes `merged` and follows the primary."""
    reason = _require((reason or "").strip(), "reason", gettext("请填写合并理由。"))
    check_can_screen(actor, primary)
    if primary.status == Status.MERGED:
        raise DomainError("invalid_merge", gettext("主诉求本身已被合并，请选择其他诉求作为主诉求。"))
    if not duplicates:
        raise DomainError("required", gettext("请选择要合并的重复诉求。"), details={"field": "duplicates"})
    merged = []
    for duplicate in sorted(duplicates, key=lambda d: d.pk):  # fixed lock order: no deadlocks between merges
        if duplicate.pk == primary.pk:
            raise DomainError("invalid_merge", gettext("不能把诉求合并到它自己。"), details={"field": "duplicates"})
        check_can_screen(actor, duplicate)
        locked = Demand.objects.select_for_update().get(pk=duplicate.pk)
        if not locked.is_open:
            raise Conflict("already_screened", gettext('诉求 %(number)s 已被处理，不能合并。') % {"number": locked.number})
        transition(locked, to=Status.MERGED, actor=actor, table=TRANSITIONS, kind="demand.merged",
                   payload={"into": primary.number, "reason": reason},
                   changes={"merged_into": primary, "outcome_reason": reason, "screened_by": actor,
                            "screened_at": timezone.now()})
        notify(person=locked.reporter, subject=locked, link=f"/demands/{locked.pk}/",
               text=f"您的诉求（编号 {locked.number}）与诉求 {primary.number} 反映的是同一件事，已合并处理。")  # zh-only
        merged.append(locked)
    return merged
