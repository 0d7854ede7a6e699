"""Evaluation (评): residents' ratings (群众评价), the parties rating each other (五方互评), the organisation's
score (组织考评), and 重办 when too many residents are dissatisfied. Round status table: open → closed.

Choices made here (and why):
- One rating per person per round, never changed: a second one is a Conflict (`already_rated`). The issue asks
  for one rating per person, and a figure that moves after it was shown would need its own audit trail.
- 不满意 needs a comment: it is what a 重办 has to fix.
- Invitations: the reporters of the topic's demands (merged duplicates included) are told one by one, in-app and
  by SMS. Everyone else living in the topic's scope gets an in-app notification only, written with one
  bulk INSERT: a scope may hold thousands of people, and an SMS to each would flood them and the gateway.
- Who represents a party in 五方互评 (PARTY_REPRESENTATIVES): a role at or under/over the topic's area, or a role
  held for an organisation of the party's kind. Office staff may enter a paper form for a party
  (`entered_for` names who filled it in; it goes into the event).
- The round closes when its period has passed (`rounds_tick`) or when office staff close it early.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Person, RoleAssignment
from yishiting.areas.selectors import person_for_user
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import full_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.services.topics import lives_in, topic_transition
from yishiting.handling.records_language import in_site_language, site_text
from yishiting.notifications.models import Notification
from yishiting.notifications.services import notify_many

from .. import rules  # noqa: F401  (registers handling.* even before the app config does)
from ..choices import RoundStatus, Satisfaction, TaskStatus
from ..models import EvaluationRound, OrgAssessment, PartyRating, Rating, Task
from ..selectors.evaluation import (
    parties_of,
    reopen_due,
    reporter_ids,
    residents_in_scope,
    round_tally,
)
from ..transitions import ROUND_TRANSITIONS

MAX_COMMENT = 1000
BULK_BATCH = 1000
K, R = OrganizationKind, Role
# party code → (roles that speak for it, organisation kinds whose people speak for it)
PARTY_REPRESENTATIVES: dict[str, tuple[set[str], set[str]]] = {
    "residents_committee": ({R.COMMUNITY_STAFF, R.COMMUNITY_SECRETARY}, {K.RESIDENTS_COMMITTEE, K.VILLAGE_COMMITTEE}),
    "owners_committee": (set(), {K.OWNERS_COMMITTEE}),
    "property": (set(), {K.PROPERTY_COMPANY}),
    "resident_unit": (set(), {K.RESIDENT_UNIT, K.DUAL_REGISTRATION_UNIT}),
    "police": (set(), {K.COMMUNITY_POLICE}),
    "social_org": (set(), {K.SOCIAL_ORGANIZATION}),
    "resident_rep": ({R.BUILDING_HEAD, R.UNIT_HEAD, R.CENTRAL_HOUSEHOLD, R.DEPUTY}, set()),
}


def _round_link(round_: EvaluationRound) -> str:
    return f"/evaluations/{round_.pk}/"


def _comment(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MAX_COMMENT:
        raise DomainError("too_long", _("意见不能超过 %(MAX_COMMENT)s 字。") % {"MAX_COMMENT": MAX_COMMENT}, details={"field": "comment"})
    return value


def _score(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise DomainError("invalid_score", _("得分须是 0 到 100 之间的整数。"), details={"field": "score"})
    return value


def _open_round(round_: EvaluationRound, today: date | None = None) -> EvaluationRound:
    """Lock the round and check it still takes ratings (so a close cannot slip between the check and the write)."""
    locked = (EvaluationRound.objects.select_for_update(of=("self",)).select_related("topic", "topic__template")
              .get(pk=round_.pk))
    today = today or timezone.localdate()
    if locked.status != RoundStatus.OPEN or today > locked.closes_on:
        raise Conflict("round_closed", _("本轮评价已于 %(closes_on)s 截止。") % {"closes_on": full_day(locked.closes_on)})
    return locked


# ---- start ----

@transaction.atomic
def evaluation_start(*, actor, topic: Topic) -> Topic:
    """The topic's last task was verified closed: handling → evaluating, and round N opens (1, or 2 after a
    重办) for `evaluation_days` working days; reporters and residents in scope are invited. Event
    evaluation.opened on the round (with the calendar's warnings for uncovered years)."""
    locked = topic_transition(actor=actor, topic=topic, to=TopicStatus.EVALUATING)
    template = locked.template
    number = (locked.evaluation_rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    due = add_working_days(timezone.localdate(), template.evaluation_days if template else 10)
    round_ = EvaluationRound.objects.create(topic=locked, number=number, closes_on=due.date)
    invited = _invite(round_, locked)
    event_append(subject=round_, kind="evaluation.opened", actor=actor, new_subject=True, payload={
        "topic": locked.pk, "number": number, "closes_on": due.date.isoformat(), "path": locked.path,
        "invited_reporters": invited[0], "invited_residents": invited[1], "calendar_warnings": due.warnings})
    return locked


def _invite(round_: EvaluationRound, topic: Topic) -> tuple[int, int]:
    text = (site_text(gettext_noop("“%(title)s”已办结，请在 %(closes_on)s 前评价办理结果（满意、基本满意或不满意）。"), title=topic.title[:40], closes_on=full_day(round_.closes_on)))
    reporters = reporter_ids(topic)
    notify_many(people=Person.objects.filter(pk__in=reporters), subject=round_, link=_round_link(round_) + "rate/",
                text=text)
    others = residents_in_scope(topic).exclude(pk__in=reporters).values_list("pk", flat=True)
    rows = [Notification(person_id=pk, text=text, link=_round_link(round_) + "rate/", sent_by_sms=False,
                         subject_type=round_._meta.label_lower, subject_id=str(round_.pk)) for pk in others]
    Notification.objects.bulk_create(rows, batch_size=BULK_BATCH)
    return len(reporters), len(rows)


# ---- residents' ratings ----

def _clean_rating(value: str, comment: str) -> str:
    if value not in Satisfaction.values:
        raise DomainError("invalid_choice", _("请选择满意、基本满意或不满意。"), details={"field": "value"})
    comment = _comment(comment)
    if value == Satisfaction.DISSATISFIED and not comment:
        raise DomainError("required", _("选择“不满意”时请写明哪里不满意，以便整改。"), details={"field": "comment"})
    return comment


def rating_check(value: str, comment: str) -> str:
    """The rules of a rating's content alone (a choice; a comment when dissatisfied), for the page's
    confirmation step to refuse before asking to confirm; rating_give checks them again."""
    return _clean_rating(value, comment)


def _save_rating(actor, subject, person: Person, value: str, comment: str, is_reporter: bool, path: str,
                 **target) -> Rating:
    if Rating.objects.filter(person=person, **target).exists():
        raise Conflict("already_rated", _("您已经评价过了，每人只能评价一次，评价提交后不能修改。"))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(person=person, value=value, comment=comment, is_reporter=is_reporter,
                                           **target)
    except IntegrityError:  # the same person's other tab, a moment earlier
        raise Conflict("already_rated", _("您已经评价过了，每人只能评价一次，评价提交后不能修改。")) from None
    event_append(subject=subject, kind="rating.given", actor=actor, payload={
        "rating": rating.pk, "value": value, "reporter": is_reporter, "path": path})
    return rating


@transaction.atomic
def rating_give(*, actor, value: str, comment: str = "", round: EvaluationRound | None = None,  # noqa: A002
                task: Task | None = None) -> Rating:
    """A resident rates a round (reporters of the topic's demands and people living in its scope) or a closed
    direct-handling task (its demand's reporter): one rating per person, final. Event rating.given."""
    if (round is None) == (task is None):
        raise DomainError("invalid_subject", _("请指定要评价的议题评价轮次或办理任务（二选一）。"))
    person = person_for_user(actor)
    if person is None:
        raise PermissionDeniedError(_("请先以居民身份登录后再评价。"))
    comment = _clean_rating(value, comment)
    if round is not None:
        return _rate_round(actor, round, person, value, comment)
    return _rate_task(actor, task, person, value, comment)


def _rate_round(actor, round_: EvaluationRound, person: Person, value: str, comment: str) -> Rating:
    locked = _open_round(round_)
    topic = locked.topic
    is_reporter = person.pk in reporter_ids(topic)
    if not is_reporter and not lives_in(person, topic.opinion_path):
        raise PermissionDeniedError(_("只有诉求人和议题涉及范围内的居民可以评价。"))
    return _save_rating(actor, locked, person, value, comment, is_reporter, topic.path, round=locked)


def _rate_task(actor, task: Task, person: Person, value: str, comment: str) -> Rating:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.topic_id is not None:
        raise DomainError("invalid_subject", _("议题的任务请在议题的评价轮次中评价。"))
    if not locked.demands.filter(reporter=person).exists():
        raise PermissionDeniedError(_("只有该诉求的诉求人可以评价办理结果。"))
    if locked.status != TaskStatus.CLOSED:
        raise Conflict("task_not_closed", _("任务%(status)s，办结（销号）后才能评价。") % {"status": locked.get_status_display()})
    return _save_rating(actor, locked, person, value, comment, True, locked.path, task=locked)


# ---- 五方互评 ----

def represents(person: Person | None, party: str, topic: Topic) -> bool:
    """Does the person hold a role (at, above or below the topic's area) that speaks for `party`?"""
    roles, kinds = PARTY_REPRESENTATIVES.get(party, (set(), set()))
    if person is None or not (roles or kinds):
        return False
    near = Q(path__startswith=topic.path) | Q(path__in=topic.level_area.ancestor_paths())
    speaks = Q(role__in=roles) | Q(organization__kind__in=kinds)
    return RoleAssignment.objects.filter(near & speaks, person=person, is_active=True).exists()


def _check_parties(topic: Topic, rater_party: str, ratee_party: str) -> None:
    codes = {p["code"] for p in parties_of(topic.template)}
    for field, code in (("rater_party", rater_party), ("ratee_party", ratee_party)):
        if code not in codes:
            raise DomainError("invalid_party", _("互评的一方须是本议题规则列出的各方之一。"), details={"field": field})
    if rater_party == ratee_party:
        raise DomainError("self_rating", _("不能给本方打分。"), details={"field": "ratee_party"})


@transaction.atomic
def party_rating_give(*, actor, round: EvaluationRound, rater_party: str, ratee_party: str,  # noqa: A002
                      score: int, comment: str = "", entered_for: str = "") -> PartyRating:
    """A representative of one party scores another (0–100), once per pair per round; office staff may enter
    a paper form, naming who filled it in (`entered_for`). Event party_rating.given."""
    locked = _open_round(round)
    _check_parties(locked.topic, rater_party, ratee_party)
    score, comment, entered_for = _score(score), _comment(comment), (entered_for or "").strip()[:100]
    person = person_for_user(actor)
    if entered_for:
        if person is None or not has_perm(actor, "handling.tasks", locked.topic):
            raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以代录纸质互评表。"))
    elif not represents(person, rater_party, locked.topic):
        raise PermissionDeniedError(_("您不是该方的代表，不能以该方名义评分。"))
    if PartyRating.objects.filter(round=locked, rater_party=rater_party, ratee_party=ratee_party).exists():
        raise Conflict("already_rated", _("该方已给这一方评过分，每轮只能评一次。"))
    try:
        with transaction.atomic():
            rating = PartyRating.objects.create(round=locked, rater=person, rater_party=rater_party,
                                                ratee_party=ratee_party, score=score, comment=comment)
    except IntegrityError:
        raise Conflict("already_rated", _("该方已给这一方评过分，每轮只能评一次。")) from None
    event_append(subject=locked, kind="party_rating.given", actor=actor, payload={
        "party_rating": rating.pk, "rater_party": rater_party, "ratee_party": ratee_party, "score": score,
        "entered_for": entered_for})
    return rating


# ---- 组织考评 ----

@transaction.atomic
def org_assess(*, actor, round: EvaluationRound, score: int, comment: str = "") -> OrgAssessment:  # noqa: A002
    """The street or district scores the matter (0–100), once per round. Event org.assessed."""
    locked = _open_round(round)
    if not has_perm(actor, "handling.assess", locked.topic):
        raise PermissionDeniedError(_("只有本级或上级的街道、区级干部可以进行组织考评。"))
    score, comment = _score(score), _comment(comment)
    if OrgAssessment.objects.filter(round=locked).exists():
        raise Conflict("already_assessed", _("本轮已有组织考评，不能重复考评。"))
    try:
        with transaction.atomic():
            assessment = OrgAssessment.objects.create(round=locked, score=score, comment=comment, assessed_by=actor)
    except IntegrityError:
        raise Conflict("already_assessed", _("本轮已有组织考评，不能重复考评。")) from None
    event_append(subject=locked, kind="org.assessed", actor=actor, payload={"score": score, "comment": comment[:200]})
    return assessment


# ---- close and 重办 ----

@transaction.atomic
def round_close(*, actor, round: EvaluationRound) -> EvaluationRound:  # noqa: A002
    """Office staff close a round before its period ends (open → closed); see `_close`."""
    if not has_perm(actor, "handling.tasks", round.topic):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以结束评价。"))
    locked = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if locked.status != RoundStatus.OPEN:
        raise Conflict("round_closed", _("本轮评价已经结束。"))
    return _close(actor, locked)


def rounds_tick(*, today: date) -> int:
    """Close every open round whose last rating day is before `today`, each in its own transaction (a failure
    leaves the others closed; running again closes only what is left). Returns how many were closed."""
    closed = 0
    for pk in EvaluationRound.objects.filter(status=RoundStatus.OPEN, closes_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            locked = EvaluationRound.objects.select_for_update().filter(pk=pk, status=RoundStatus.OPEN).first()
            if locked is not None:
                _close(None, locked)
                closed += 1
    return closed


@in_site_language
def _close(actor, locked: EvaluationRound) -> EvaluationRound:
    """Count the round (exact figures kept in `result`), open → closed (event evaluation.closed); round 1 with
    too much dissatisfaction reopens the matter once: topic evaluating → handling, each closed task 重办."""
    tally = round_tally(locked)
    reopen = reopen_due(locked, tally)
    reason = _reopen_reason(locked, tally) if reopen else ""
    tally["reopen"] = {"decided": reopen, "reason": reason, "threshold_percent": _threshold(locked),
                       "min_ratings": _min_ratings(locked), "round": locked.number}
    closed = transition(locked, to=RoundStatus.CLOSED, actor=actor, table=ROUND_TRANSITIONS,
                        kind="evaluation.closed", expected=RoundStatus.OPEN,
                        payload={"result": tally, "path": locked.topic.path},
                        changes={"closed_at": timezone.now(), "result": tally, "reopened": reopen,
                                 "reopen_reason": reason})
    if reopen:
        _reopen(actor, closed, reason)
    else:
        _tell_staff(closed, site_text(gettext_noop("“%(title)s”第%(number)s轮评价已结束，满意率 %(value)s%%，可以归档。"), title=closed.topic.title[:40], number=closed.number, value=tally['satisfaction']['percent'] or '—'))
    return closed


def _threshold(round_: EvaluationRound) -> int:
    return round_.topic.template.reopen_threshold_percent if round_.topic.template else 30


def _min_ratings(round_: EvaluationRound) -> int:
    return round_.topic.template.reopen_min_ratings if round_.topic.template else 3


def _reopen_reason(round_: EvaluationRound, tally: dict) -> str:
    d = tally["dissatisfied"]
    return (site_text(gettext_noop("第%(number)s轮群众评价不满意 %(numerator)s 人，占有效评价 %(denominator)s 人的 %(percent)s%%，超过重办阈值 %(threshold)s%%，须重办。"), number=round_.number, numerator=d['numerator'], denominator=d['denominator'], percent=d['percent'], threshold=_threshold(round_)))


def _reopen(actor, round_: EvaluationRound, reason: str) -> None:
    topic = topic_transition(actor=actor, topic=round_.topic, to=TopicStatus.HANDLING, kind="topic.reopened",
                             payload={"round": round_.number, "reason": reason})
    from .tasks import task_reopen  # the tasks stage owns the task's own 重办 transition

    for task in topic.tasks.filter(status=TaskStatus.CLOSED).order_by("pk"):
        task_reopen(actor=actor, task=task, reason=reason)
    _tell_staff(round_, site_text(gettext_noop("“%(title)s”群众评价不满意比例过高，已转为重办：%(reason)s"), title=topic.title[:40], reason=reason))


def _tell_staff(round_: EvaluationRound, text: str) -> None:
    """Who must act next: whoever assigned the topic's tasks and whoever opened the topic."""
    topic = round_.topic
    users = set(topic.tasks.exclude(created_by=None).values_list("created_by", flat=True))
    if topic.created_by_id:
        users.add(topic.created_by_id)
    notify_many(people=Person.objects.filter(user_id__in=users).order_by("pk"), subject=round_,
                link=_round_link(round_), text=text)
