"""Publicity (公): a notice assembled from a resolution, its window on the working-day calendar, residents'
objections and their answers, and the legality review (合法性审核) a major matter passes before handling.

docs/states/notice.md: draft → published (`notice_publish`, the topic resolved → publicising) → completed
(`notice_complete` or `notices_tick`, after the window with every objection answered) — or → withdrawn
(`objection_answer` with a substantial objection; the topic publicising → analysing, back to deliberation).
The topic moves publicising → handling only when the notice is completed and, for a major matter, its legal
review approved (`_advance_topic`, called from both places); a rejected review sends it back to analysing.

The window: a notice runs `working_days` working days counting its start day when that is a working day
(weekends and official holidays excluded, adjusted workdays 调休 counted); it ends on the last of them
(`window_end`). A year the calendar does not cover counts weekends and its statutory holidays and leaves a
warning for staff; when holidays are entered later, `notice_window_recompute` extends the window to its full count
(never shortening it) — called by the calendar's keeper (services/deadlines.py) and before completing one.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.choices import OFFICE_ROLES, Role
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.areas.selectors import person_for_user
from yishiting.common.calendar import add_working_days, is_working_day
from yishiting.common.dates import day_text, full_day, page_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.models import Event
from yishiting.common.reconcile import text_digest
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.deliberation.choices import NextStep, TopicStatus, VoteMethod
from yishiting.deliberation.models import Resolution, Topic, Vote
from yishiting.deliberation.services.topics import lives_in, topic_transition
from yishiting.handling.records_language import site_text
from yishiting.notifications.services import notify, notify_many

from .. import rules  # noqa: F401  (registers handling.* even before the app config does)
from ..choices import NoticeStatus, ReviewStatus
from ..models import LegalReview, Notice, Objection
from ..transitions import LEGAL_REVIEW_TRANSITIONS, NOTICE_TRANSITIONS

logger = logging.getLogger(__name__)

MIN_DAYS = 5
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_PLAN_ITEMS = 50
MAX_PLAN_FIELD = 200
REVIEW_ROLES = [Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL]
EDITABLE = {NoticeStatus.DRAFT, NoticeStatus.PUBLISHED}


# ---- checks and text ----

def _require_manage(actor, obj) -> None:
    if not has_perm(actor, "handling.notices", obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以办理公示。"))


def _text(value: str | None, field: str, message: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", message, details={"field": field})
    if len(value) > limit:
        raise DomainError("too_long", _("内容不能超过 %(limit)s 字。") % {"limit": limit}, details={"field": field})
    return value


def mask_text(text: str, names: list[str] | None = None) -> str:
    """Mask phone numbers, ID numbers and the given people's names inside free text (what a notice shows)."""
    return mask_free_text(text or "", names or ())


def _private_names(topic: Topic) -> list[str]:
    """Residents named by the matter (the proposer and the reporters of its demands), masked in the notice.
    Someone who holds an office (a secretary proposing a topic) is named in full, as a public notice names
    officials (docs/masking.md)."""
    people = _proposer_and_reporters(topic)
    officials = set(RoleAssignment.objects.filter(person__in=people, is_active=True, role__in=OFFICE_ROLES)
                    .values_list("person_id", flat=True))
    return [p.name for p in people if p.name and p.pk not in officials]


def _proposer_and_reporters(topic: Topic) -> list[Person]:
    ids = {topic.proposer_id} | set(topic.demands.exclude(reporter=None).values_list("reporter_id", flat=True))
    return list(Person.objects.filter(pk__in=ids - {None}).order_by("pk"))


def clean_plan(plan: list | None) -> list[dict[str, str]]:
    """The project plan (时间表、路线图、责任人): each item says when, what and who."""
    if plan is None:
        return []
    if not isinstance(plan, list) or len(plan) > MAX_PLAN_ITEMS:
        raise DomainError("invalid_plan", _("项目计划最多 %(MAX_PLAN_ITEMS)s 项，每项写明时间、事项和责任人。") % {"MAX_PLAN_ITEMS": MAX_PLAN_ITEMS},
                          details={"field": "plan"})
    cleaned = []
    for number, item in enumerate(plan, start=1):
        if not isinstance(item, dict) or set(item) - {"when", "what", "who"}:
            raise DomainError("invalid_plan", _("项目计划第 %(number)s 项格式不对：只能有时间、事项、责任人。") % {"number": number},
                              details={"field": "plan", "item": number})
        values = {key: str(item.get(key) or "").strip() for key in ("when", "what", "who")}
        missing = [label for key, label in (("when", _("时间")), ("what", _("事项")), ("who", _("责任人"))) if not values[key]]
        if missing:
            raise DomainError("invalid_plan", _("项目计划第 %(number)s 项缺少%(n)s。") % {"number": number, "n": '、'.join(missing)},
                              details={"field": "plan", "item": number})
        if any(len(v) > MAX_PLAN_FIELD for v in values.values()):
            raise DomainError("invalid_plan", _("项目计划第 %(number)s 项每栏不能超过 %(MAX_PLAN_FIELD)s 字。") % {"number": number, "MAX_PLAN_FIELD": MAX_PLAN_FIELD},
                              details={"field": "plan", "item": number})
        cleaned.append(values)
    return cleaned


# ---- the window ----

def window_end(starts_on: date, days: int) -> tuple[date, list[str]]:
    """The last day of a `days`-working-day window starting on `starts_on` (the start counts if it is a working
    day; otherwise the first working day after it is day one). Never fails: uncovered years give warnings."""
    first = 1 if is_working_day(starts_on) else 0
    result = add_working_days(starts_on, days - first)
    return result.date, result.warnings


def days_left(notice: Notice, today: date) -> int:
    """Working days of the window still to run, today included (0 once it has ended)."""
    if notice.ends_on is None or today > notice.ends_on:
        return 0
    start = max(today, notice.starts_on or today)
    count, day = 0, start
    while day <= notice.ends_on:  # a window is a couple of weeks at most: counting day by day is cheap
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


@transaction.atomic
def notice_window_recompute(*, actor, notice: Notice, changed: dict[date, bool] | None = None) -> Notice:
    """A published notice's window on today's calendar: `ends_on` moves later if its working days now end later,
    never earlier (event notice.window_recomputed; its staff are told). The calendar warnings are refreshed.
    Running it again changes nothing."""
    locked = _lock(notice)
    if locked.status != NoticeStatus.PUBLISHED or locked.starts_on is None or locked.ends_on is None:
        return locked
    ends_on, warnings = window_end(locked.starts_on, locked.working_days)
    old = locked.ends_on
    fields = []
    if ends_on > old:
        locked.ends_on = ends_on
        fields.append("ends_on")
    if warnings != locked.calendar_warnings:
        locked.calendar_warnings = warnings
        fields.append("calendar_warnings")
    if not fields:
        return locked
    locked.save(update_fields=fields)
    if "ends_on" in fields:
        event_append(subject=locked, kind="notice.window_recomputed", actor=actor, payload={
            "from": old, "to": ends_on, "working_days": locked.working_days,
            "changed_days": [d.isoformat() for d in sorted(changed or {})], "calendar_warnings": warnings})
        notify_many(people=_staff_of(locked), link=f"/notices/{locked.pk}/", subject=locked,
                    text=f"节假日安排有变，公示“{locked.title[:40]}”须满 {locked.working_days} 个工作日，"  # zh-only: notification
                         f"截止日由 {full_day(old)} 顺延至 {full_day(ends_on)}。")  # zh-only: notification
    return locked


# ---- major matters ----

def major_by_rule(topic: Topic, text: str = "") -> str:
    """Why the template's rule makes this matter major (重大事项), or "" when it does not."""
    rule = (topic.template.major_rule if topic.template_id else None) or {}
    categories = set(topic.demands.values_list("category__name", flat=True)) & set(rule.get("categories", []))
    if categories:
        return site_text(gettext_noop("议事规则：诉求类别“%(n)s”"), n='、'.join(sorted(categories)))
    matters = set(Vote.objects.filter(topic=topic, method=VoteMethod.OWNERS).values_list("matter", flat=True))
    if matters & set(rule.get("owners_matters", [])):
        return site_text(gettext_noop("议事规则：业主共同决定事项（民法典第二百七十八条）"))
    words = [w for w in rule.get("keywords", []) if w and w in f"{topic.title} {topic.description} {text}"]
    return site_text(gettext_noop("议事规则：含关键词“%(n)s”"), n='、'.join(words)) if words else ""


def _review_area(topic: Topic) -> Area:
    """The ancestor of the topic's level at the template's review level (街道 or 区); a topic held above that
    level is reviewed at its own level."""
    code = topic.template.legal_review_level if topic.template_id else "street"
    found = (Area.objects.filter(path__in=topic.level_area.ancestor_paths(), level__code=code)
             .select_related("level").first())
    return found or topic.level_area


def _holders(area: Area, roles: list[str]) -> list[Person]:
    """People holding one of `roles` at `area`, else at the nearest ancestor that has any."""
    for path in reversed(area.ancestor_paths()):
        people = list(Person.objects.filter(roles__path=path, roles__role__in=roles, roles__is_active=True)
                      .distinct().order_by("pk"))
        if people:
            return people
    return []


def _request_review(actor, notice: Notice) -> LegalReview:
    """Open the legal review of a published major notice (a still pending one of the topic is carried over)."""
    review = LegalReview.objects.filter(topic_id=notice.topic_id, status=ReviewStatus.PENDING).first()
    if review is not None:
        LegalReview.objects.filter(pk=review.pk).update(notice=notice)
        return review
    review = LegalReview.objects.create(topic=notice.topic, notice=notice, reviewer_area=_review_area(notice.topic),
                                        requested_by=actor)
    event_append(subject=review, kind="legal_review.requested", actor=actor, new_subject=True,
                 payload={"notice": notice.pk, "area": review.reviewer_area.code, "reason": notice.major_reason})
    notify_many(people=_holders(review.reviewer_area, REVIEW_ROLES), link="/legal-reviews/", subject=review,
                text=site_text(gettext_noop("重大事项“%(title)s”待合法性审核（%(major_reason)s）。"), title=notice.topic.title, major_reason=notice.major_reason))
    return review


# ---- notices ----

def _lock(notice: Notice) -> Notice:
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the template.
    return (Notice.objects.select_for_update(of=("self",)).select_related("topic", "topic__template")
            .get(pk=notice.pk))


@transaction.atomic
def notice_draft(*, actor, resolution: Resolution, title: str = "", plan: list | None = None,
                 responsible: str = "", starts_on: date | None = None, is_major: bool | None = None,
                 major_reason: str = "") -> Notice:
    """Assemble a draft notice from a resolution sending its topic to publicity (personal data masked).
    Event notice.drafted. The template's rule may make it major; staff may make it major, never less."""
    topic = resolution.topic
    _require_manage(actor, topic)
    # Locked: of two drafts of one resolution at once, the second waits and then sees the first.
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if resolution.next_step != NextStep.PUBLICITY or locked.status != TopicStatus.RESOLVED:
        raise Conflict("not_for_publicity", _("只有决议进入公示、议题处于“已形成决议”时才能拟写公示。"))
    if resolution.notices.filter(status__in=EDITABLE).exists():
        raise Conflict("notice_exists", _("该决议已有公示（草稿或公示中），请在原公示上修改。"))
    names = _private_names(topic)
    reason = _major_reason(topic, resolution.text, is_major, major_reason)
    notice = Notice.objects.create(
        topic=topic, resolution=resolution, created_by=actor, starts_on=starts_on,
        title=mask_text(_text(title or site_text(gettext_noop("关于“%(title)s”协商结果的公示"), title=topic.title), "title", _("请填写标题。"), MAX_TITLE), names),
        decision=mask_text(resolution.text, names), plan=[{k: mask_text(v, names) for k, v in item.items()}
                                                          for item in clean_plan(plan)],
        responsible=mask_text(_text(responsible, "responsible", "", 200, required=False), names),
        working_days=max(MIN_DAYS, topic.template.publicity_days if topic.template_id else MIN_DAYS),
        is_major=bool(reason), major_reason=reason)
    event_append(subject=notice, kind="notice.drafted", actor=actor, new_subject=True, payload={
        "resolution": resolution.pk, "working_days": notice.working_days, "major": notice.major_reason})
    return notice


def _major_reason(topic: Topic, text: str, is_major: bool | None, reason: str) -> str:
    by_rule = major_by_rule(topic, text)
    if by_rule or not is_major:
        return by_rule
    return site_text(gettext_noop("工作人员认定：%(reason)s"),
                     reason=_text(reason, "major_reason", _("列为重大事项请说明依据。"), 150))


@transaction.atomic
def notice_publish(*, actor, notice: Notice, starts_on: date | None = None) -> Notice:
    """draft → published: fix the window on the working-day calendar (warnings kept for staff), topic resolved →
    publicising, tell the proposer and the demands' reporters; a major matter's legal review is requested.
    Publishing twice is harmless: a notice already published is returned as it is."""
    _require_manage(actor, notice)
    locked = _lock(notice)
    if locked.status == NoticeStatus.PUBLISHED:
        return locked
    start = starts_on or locked.starts_on or timezone.localdate()
    if start < timezone.localdate():
        raise DomainError("start_in_past", _("公示开始日期不能早于今天。"), details={"field": "starts_on"})
    ends_on, warnings = window_end(start, locked.working_days)
    transition(locked, to=NoticeStatus.PUBLISHED, actor=actor, table=NOTICE_TRANSITIONS, kind="notice.published",
               payload={"starts_on": start, "ends_on": ends_on, "calendar_warnings": warnings},
               changes={"starts_on": start, "ends_on": ends_on, "calendar_warnings": warnings,
                        "published_at": timezone.now()})
    topic_transition(actor=actor, topic=locked.topic, to=TopicStatus.PUBLICISING, payload={"notice": locked.pk})
    notify_many(people=_proposer_and_reporters(locked.topic), link=f"/notices/{locked.pk}/public/", subject=locked,
                text=site_text(gettext_noop("“%(title)s”的协商结果开始公示，至 %(ends_on)s 止，如有异议请在公示期内提出。"), title=locked.topic.title, ends_on=day_text(ends_on)))
    if locked.is_major:
        _request_review(actor, locked)
    return locked


@transaction.atomic
def notice_mark_major(*, actor, notice: Notice, reason: str) -> Notice:
    """Staff mark a draft or published notice major (event notice.marked_major); once published, the legal
    review is requested at once. Marking again changes nothing."""
    _require_manage(actor, notice)
    reason = _text(reason, "reason", _("列为重大事项请说明依据。"), 150)
    locked = _lock(notice)
    if locked.status not in EDITABLE:
        raise Conflict("invalid_state", _("公示已%(status)s，不能再列为重大事项。") % {"status": locked.get_status_display()})
    if locked.is_major:
        return locked
    locked.is_major, locked.major_reason = True, site_text(gettext_noop("工作人员认定：%(reason)s"), reason=reason)
    locked.save(update_fields=["is_major", "major_reason"])
    event_append(subject=locked, kind="notice.marked_major", actor=actor, payload={"reason": locked.major_reason})
    if locked.status == NoticeStatus.PUBLISHED:
        _request_review(actor, locked)
    return locked


# ---- objections ----

@transaction.atomic
def objection_raise(*, actor, notice: Notice, text: str) -> Objection:
    """A resident living in the topic's scope objects during the window (event objection.raised on the notice);
    the drafter and the office staff of the topic's level are told."""
    person = person_for_user(actor)
    topic = notice.topic
    if person is None or not lives_in(person, topic.opinion_path):
        raise PermissionDeniedError(_("只有议题涉及范围内的居民可以提出异议。"))
    text = _text(text, "text", _("请写明异议内容。"), 2000)
    locked = Notice.objects.select_for_update().get(pk=notice.pk)  # so the window cannot close in between
    today = timezone.localdate()
    if locked.status != NoticeStatus.PUBLISHED or not (locked.starts_on <= today <= locked.ends_on):
        raise Conflict("window_closed", _("不在公示期内，不能提出异议。"))
    objection = Objection.objects.create(notice=locked, person=person, text=text)
    event_append(subject=locked, kind="objection.raised", actor=actor,  # `verify` reconciles person and text
                 payload={"objection": objection.pk, "person": person.pk, "text_sha256": text_digest(text)})
    for staff in _staff_of(locked):
        notify(person=staff, text=site_text(gettext_noop("公示“%(title)s”收到居民异议，请在公示结束前答复。"), title=locked.title),
               link=f"/notices/{locked.pk}/", subject=locked)
    return objection


def _staff_of(notice: Notice) -> list[Person]:
    drafter = Person.objects.filter(user_id=notice.created_by_id).first()
    people = ([drafter] if drafter else []) + _holders(notice.topic.level_area, OFFICE_ROLES)
    return list({p.pk: p for p in people}.values())


@transaction.atomic
def objection_answer(*, actor, objection: Objection, answer: str, substantial: bool) -> Objection:
    """Answer an objection (event objection.answered; the objector is told). A substantial one withdraws the
    notice (published → withdrawn) and sends the topic back to deliberation (publicising → analysing)."""
    notice = objection.notice
    _require_manage(actor, notice)
    answer = _text(answer, "answer", _("请填写答复内容。"), 2000)
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.answered_at is not None:
        raise Conflict("already_answered", _("该异议已答复。"))
    if notice.status != NoticeStatus.PUBLISHED and substantial:
        raise Conflict("invalid_state", _("公示已%(status)s，不能再退回协商。") % {"status": notice.get_status_display()})
    locked.answer, locked.substantial, locked.answered_by, locked.answered_at = answer, substantial, actor, timezone.now()
    locked.save(update_fields=["answer", "substantial", "answered_by", "answered_at"])
    event_append(subject=notice, kind="objection.answered", actor=actor,
                 payload={"objection": locked.pk, "substantial": substantial, "answer": answer[:500],
                          "answer_sha256": text_digest(answer)})
    if substantial:
        reason = site_text(gettext_noop("实质性异议：%(text)s"), text=locked.text[:200])
        transition(notice, to=NoticeStatus.WITHDRAWN, actor=actor, table=NOTICE_TRANSITIONS,
                   kind="notice.withdrawn", payload={"objection": locked.pk, "reason": reason})
        topic_transition(actor=actor, topic=notice.topic, to=TopicStatus.ANALYSING, reason=reason,
                         payload={"notice": notice.pk})
    notify(person=locked.person, text=site_text(gettext_noop("您对“%(title)s”提出的异议已答复：%(answer)s"), title=notice.title, answer=answer[:100]),
           link=f"/notices/{notice.pk}/public/", subject=notice)
    return locked


# ---- completion and the legal review ----

def _unanswered(notice: Notice) -> int:
    return notice.objections.filter(answered_at__isnull=True).count()


def _complete(actor, notice: Notice, today: date) -> Notice:
    """published → completed, then the topic moves on if nothing else holds it."""
    transition(notice, to=NoticeStatus.COMPLETED, actor=actor, table=NOTICE_TRANSITIONS, kind="notice.completed",
               expected=NoticeStatus.PUBLISHED, changes={"completed_at": timezone.now()},
               payload={"objections": notice.objections.count(), "on": today})
    _advance_topic(actor, notice)
    return notice


@transaction.atomic
def notice_complete(*, actor, notice: Notice) -> Notice:
    """End the notice after its window (published → completed) once every objection is answered; for a major
    matter the topic waits for the approved legal review. A completed notice is returned as it is."""
    _require_manage(actor, notice)
    locked = _lock(notice)
    if locked.status == NoticeStatus.COMPLETED:
        return locked
    if locked.status != NoticeStatus.PUBLISHED:
        raise Conflict("invalid_state", _("公示%(status)s，不能结束。") % {"status": locked.get_status_display()})
    locked = notice_window_recompute(actor=None, notice=locked)  # a window dated on an older calendar
    today = timezone.localdate()
    if locked.ends_on >= today:
        raise Conflict("window_open", _("公示期至 %(ends_on)s 止，期满后才能结束。") % {"ends_on": page_day(locked.ends_on)})
    if count := _unanswered(locked):
        raise Conflict("objections_unanswered", _("还有 %(count)s 条异议未答复，答复后才能结束公示。") % {"count": count},
                       details={"unanswered": count})
    return _complete(actor, locked, today)


def _advance_topic(actor, notice: Notice) -> None:
    """The one place the topic leaves publicity for handling: the notice completed and, if major, its legal
    review approved. Whoever drafted the notice is told that tasks can now be assigned."""
    topic = Topic.objects.select_for_update().get(pk=notice.topic_id)
    notice.refresh_from_db(fields=["status", "is_major"])
    if topic.status != TopicStatus.PUBLICISING or notice.status != NoticeStatus.COMPLETED:
        return
    review = notice.legal_reviews.order_by("-pk").first()
    if notice.is_major and (review is None or review.status != ReviewStatus.APPROVED):
        return
    topic_transition(actor=actor, topic=topic, to=TopicStatus.HANDLING, payload={"notice": notice.pk})
    notify_many(people=_staff_of(notice), link=f"/topics/{topic.pk}/", subject=topic,
                text=site_text(gettext_noop("“%(title)s”公示期满且合法性审核通过，可以交办任务了。") if notice.is_major
                               else gettext_noop("“%(title)s”公示期满，可以交办任务了。"), title=topic.title))


@transaction.atomic
def legal_review_decide(*, actor, review: LegalReview, approve: bool, opinion: str) -> LegalReview:
    """The street or district decides (pending → approved/rejected, event legal_review.<status>). Approved with
    the notice completed: the topic goes to handling. Rejected: the topic goes back to deliberation."""
    if not has_perm(actor, "handling.legal_review", review):
        raise PermissionDeniedError(_("只有审核层级的街道或区级干部可以进行合法性审核。"))
    opinion = _text(opinion, "opinion", _("请填写审核意见。"), 2000)
    to = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    transition(review, to=to, actor=actor, table=LEGAL_REVIEW_TRANSITIONS, kind=f"legal_review.{to}",
               payload={"opinion": opinion[:500]},
               changes={"opinion": opinion, "reviewed_by": actor, "reviewed_at": timezone.now()})
    topic = review.topic
    if approve and review.notice_id:
        _advance_topic(actor, review.notice)
    elif not approve and Topic.objects.filter(pk=topic.pk, status=TopicStatus.PUBLICISING).exists():
        topic_transition(actor=actor, topic=topic, to=TopicStatus.ANALYSING, reason=site_text(gettext_noop("合法性审核未通过：%(opinion)s"), opinion=opinion[:200]),
                         payload={"review": review.pk})
    if review.requested_by_id and (person := Person.objects.filter(user_id=review.requested_by_id).first()):
        notify(person=person, text=site_text(gettext_noop("“%(title)s”合法性审核通过：%(opinion)s") if approve
                                       else gettext_noop("“%(title)s”合法性审核未通过：%(opinion)s"),
                                       title=topic.title, opinion=opinion[:100]),
               link=f"/topics/{topic.pk}/", subject=review)
    return review


# ---- the scheduled job ----

def notices_tick(*, today: date) -> int:
    """Complete the notices whose window has ended and whose objections are all answered; return how many.

    A window that is short on today's calendar (dated before its year's holidays were entered, or by weekends
    only before the statutory rule) is first extended (notice_window_recompute) and not completed yet.
    Idempotent: a completed notice is no longer due. A notice held by unanswered objections is logged and its
    staff are told once (event notice.blocked)."""
    done = 0
    due = Notice.objects.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today).order_by("pk")
    for notice in due.select_related("topic"):
        with transaction.atomic():
            # A window dated before its year's holidays were known (or by an older rule) runs its full count.
            notice = notice_window_recompute(actor=None, notice=notice)
            if notice.status != NoticeStatus.PUBLISHED or notice.ends_on >= today:
                continue
            if _unanswered(notice):
                _report_blocked(notice)
                continue
            try:
                _complete(None, notice, today)
            except Conflict:  # completed by staff in the meantime
                continue
            done += 1
    return done


def _report_blocked(notice: Notice) -> None:
    count = _unanswered(notice)
    logger.warning("notice %s is past its window with %s objections unanswered", notice.pk, count)
    blocked = Event.objects.filter(subject_type="handling.notice", subject_id=str(notice.pk), kind="notice.blocked")
    if blocked.exists():
        return
    event_append(subject=notice, kind="notice.blocked", payload={"unanswered": count})
    for person in _staff_of(notice):
        notify(person=person, text=site_text(gettext_noop("公示“%(title)s”已期满，但还有 %(count)s 条异议未答复，答复后才能结束。"), title=notice.title, count=count),
               link=f"/notices/{notice.pk}/", subject=notice)
