"""Writes of legal services: the pool, adviser posts and 云律团 consultations. Each service is one transaction;
status changes go through common.transitions (CONSULTATION_TRANSITIONS) and append an event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import ExpertLevel, Role
from yishiting.areas.models import PATH_STEP, Area, Organization, Person
from yishiting.areas.selectors import community_depth, person_for_user
from yishiting.areas.services import role_assign
from yishiting.common.calendar import add_working_days
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify, notify_many

from .choices import Availability, ConsultationStatus, MessageKind
from .models import (
    AdviserPost,
    Consultation,
    ConsultationMessage,
    ConsultationPhoto,
    Expert,
    ExpertField,
    unavailable_q,
)
from .rules import adviser_on, expert_of, is_asker, may_answer, may_claim, may_refer, may_set_availability
from .selectors import answer_days
from .transitions import AWAITING_ANSWER, CONSULTATION_TRANSITIONS

C = ConsultationStatus
TEXT_MAX = 4000
NOTIFY_LAWYERS_MAX = 50  # a field with more lawyers: they find it in their inbox


def _link(consultation: Consultation) -> str:
    return f"/legal/{consultation.pk}/"


# ---- the pool ----------------------------------------------------------------------------------------------

def _level_area_matches(level: int, area: Area) -> bool:
    return area.depth == {ExpertLevel.DISTRICT: 1, ExpertLevel.STREET: 2, ExpertLevel.COMMUNITY: community_depth()}[level]


@transaction.atomic
def expert_save(*, actor, person: Person, level: int, area: Area, fields: list[ExpertField], is_lawyer: bool = False,
                title: str = "", organization: Organization | None = None, note: str = "",
                expert: Expert | None = None) -> Expert:
    """Put a person in the pool (or change their record): level and area agree (区级 at the district …), at least
    one field. The person gets the 专家 role there (法律顾问 for a lawyer), which makes them invitable to the
    district's meetings like any public role (deliberation.rules.PUBLIC_ROLES)."""
    if level not in ExpertLevel.values or not _level_area_matches(level, area):
        raise DomainError("level_area_mismatch", gettext("专家库级别与所在区域的层级不一致。"), details={"field": "area"})
    if actor is not None and not has_perm(actor, "legal.pool_manage", area):
        raise PermissionDeniedError()
    if not fields:
        raise DomainError("fields_required", gettext("请至少选择一个专业领域。"), details={"field": "fields"})
    if expert is None:
        if Expert.objects.filter(person=person, is_active=True).exists():
            raise DomainError("already_in_pool", gettext("此人已在专家库中。"), details={"field": "person"})
        expert = Expert(person=person)
    expert.level, expert.area, expert.path, expert.is_lawyer = level, area, area.path, is_lawyer
    expert.title, expert.organization, expert.note = title, organization, note
    expert.save()
    expert.fields.set(fields)
    role_assign(actor=actor, person=person, role=Role.EXPERT, area=area, expert_level=level, title=title)
    if is_lawyer:
        role_assign(actor=actor, person=person, role=Role.LAWYER, area=area, organization=organization, title=title)
    event_append(subject=expert, kind="expert.saved", actor=actor,
                 payload={"level": level, "area": area.pk, "fields": [f.code for f in fields], "lawyer": is_lawyer})
    return expert


@transaction.atomic
def expert_set_availability(*, actor, expert: Expert, availability: str, busy_until: date | None = None) -> Expert:
    """The expert themselves, or the pool's managers, say whether they can be asked now: 可约请, 繁忙 until a
    date (today or later; from the next day they are available again, Expert.availability_on), or 暂停服务.
    An unavailable lawyer is offered no new questions; what they claimed stays theirs."""
    if availability not in Availability.values:
        raise DomainError("invalid_choice", gettext("状态不正确。"), details={"field": "availability"})
    if actor is not None and not may_set_availability(actor, expert):
        raise PermissionDeniedError()
    if availability != Availability.BUSY:
        busy_until = None
    elif busy_until is None:
        raise DomainError("busy_until_required", gettext("请填写繁忙截止日期。"), details={"field": "busy_until"})
    elif busy_until < timezone.localdate():
        raise DomainError("busy_until_past", gettext("繁忙截止日期不能早于今天。"), details={"field": "busy_until"})
    expert.availability, expert.busy_until = availability, busy_until
    expert.save(update_fields=["availability", "busy_until"])
    event_append(subject=expert, kind="expert.availability", actor=actor,
                 payload={"availability": availability, "busy_until": busy_until})
    return expert


@transaction.atomic
def adviser_appoint(*, actor, community: Area, expert: Expert, starts_on: date, ends_on: date) -> AdviserPost:
    """一社区一法律顾问: appoint a pool lawyer as a community's adviser for a term."""
    if community.depth != community_depth():
        raise DomainError("not_a_community", gettext("只能为社区（村）聘任法律顾问。"), details={"field": "community"})
    if actor is not None and not has_perm(actor, "legal.pool_manage", community):
        raise PermissionDeniedError()
    if ends_on < starts_on:
        raise DomainError("term_order", gettext("聘任截止日不能早于起始日。"), details={"field": "ends_on"})
    if not expert.is_active or not community.path.startswith(expert.path[:PATH_STEP]):
        raise DomainError("expert_outside", gettext("该专家不在本区专家库中。"), details={"field": "expert"})
    post = AdviserPost.objects.create(community=community, path=community.path, expert=expert,
                                      starts_on=starts_on, ends_on=ends_on)
    role_assign(actor=actor, person=expert.person, role=Role.LAWYER, area=community, title=gettext("社区法律顾问"))
    event_append(subject=post, kind="adviser.appointed", actor=actor, new_subject=True,
                 payload={"community": community.pk, "expert": expert.pk, "from": starts_on, "to": ends_on})
    return post


# ---- consultations -----------------------------------------------------------------------------------------

@dataclass
class Question:
    field: ExpertField
    title: str
    text: str
    photos: list[bytes] | None = None


def _clean_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("text_required", gettext("请填写内容。"), details={"field": field})
    if len(text) > TEXT_MAX:
        raise DomainError("text_too_long", gettext("内容不能超过 4000 字。"), details={"field": field})
    return text


def _due(start: date) -> date:
    return add_working_days(start, answer_days()).date


def _message(consultation: Consultation, kind: str, author: Person, text: str, expert: Expert | None = None) -> None:
    ConsultationMessage.objects.create(consultation=consultation, kind=kind, author=author, expert=expert, text=text)


@transaction.atomic
def consultation_ask(*, actor, question: Question) -> Consultation:
    """A resident asks the 云律团 (status 待认领); the answer is due in the template's working days. The pool's
    lawyers of the field in the district are told."""
    from yishiting.demands.photos import clean_photos, thumbnail_file

    person = person_for_user(actor)
    if person is None or not person.path or not has_perm(actor, "legal.ask"):
        raise PermissionDeniedError(gettext("请先登记住户或所在社区后再提问。"))
    community = Area.objects.filter(path=person.path[: community_depth() * PATH_STEP]).first()
    if community is None:
        raise DomainError("no_community", gettext("没有找到您所在的社区。"))
    if not question.field.is_active:
        raise DomainError("invalid_choice", gettext("请选择问题所属领域。"), details={"field": "field"})
    text = _clean_text(question.text)
    # The summary is what lists, the board and texts show to everyone: numbers and the asker's name masked.
    title = mask_free_text((question.title or "").strip() or text, names=[person.name])
    title = title[:100] if question.title.strip() else title[:30]
    photos = clean_photos(question.photos or [])
    consultation = Consultation.objects.create(
        number=uuid.uuid4().hex[:20], asker=person, community=community, path=community.path, field=question.field,
        title=title, due_on=_due(timezone.localdate()))
    consultation.number = f"FL{timezone.localdate():%Y}-{consultation.pk:06d}"
    consultation.save(update_fields=["number"])
    _message(consultation, MessageKind.QUESTION, person, text)
    for photo in photos:
        from django.core.files.base import ContentFile

        ConsultationPhoto.objects.create(
            consultation=consultation, content_type=photo.content_type, sha256=photo.sha256,
            image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"), thumbnail=thumbnail_file(photo))
    event_append(subject=consultation, kind="consultation.asked", actor=actor, new_subject=True,
                 payload={"field": question.field.code, "due_on": consultation.due_on, "photos": len(photos)})
    lawyers = (Expert.objects.filter(is_active=True, is_lawyer=True, fields=question.field,
                                     path__startswith=community.path[:PATH_STEP])
               .exclude(unavailable_q(timezone.localdate())).select_related("person")[:NOTIFY_LAWYERS_MAX])
    notify_many(people=[e.person for e in lawyers], sms=False, link=_link(consultation), subject=consultation,
                text=gettext("云律团有新的%(field)s咨询待认领：%(title)s") % {"field": question.field.name, "title": title})
    return consultation


@transaction.atomic
def consultation_claim(*, actor, consultation: Consultation) -> Consultation:
    """待认领 → 解答中: a lawyer of the field takes the question. Two lawyers at once: the row lock lets one in;
    the other is told someone already took it (409 stale_state)."""
    if not may_claim(actor, consultation):
        if consultation.status != C.OPEN:
            raise _taken()
        raise PermissionDeniedError(gettext("只有本领域的云律团律师可以认领。"))
    expert = expert_of(actor)
    try:
        return transition(consultation, to=C.CLAIMED, actor=actor, table=CONSULTATION_TRANSITIONS, expected=C.OPEN,
                          kind="consultation.claimed", payload={"expert": expert.pk},
                          changes={"lawyer": expert, "claimed_at": timezone.now()})
    except DomainError as exc:
        if exc.code == "stale_state":
            raise _taken() from None
        raise


def _taken() -> DomainError:
    from yishiting.common.errors import Conflict

    return Conflict("already_claimed", gettext("该咨询已被其他律师认领。"))


@transaction.atomic
def consultation_answer(*, actor, consultation: Consultation, text: str) -> Consultation:
    """解答中 (or 已转法律顾问) → 已解答: the claiming lawyer or the adviser answers; the resident is told."""
    text = _clean_text(text)
    if not may_answer(actor, consultation):
        raise PermissionDeniedError(gettext("只有认领该咨询的律师或社区法律顾问可以解答。"))
    expert = expert_of(actor)
    changes = {}
    if consultation.answered_at is None:
        changes = {"answered_at": timezone.now(), "answered_by": expert}
    done = transition(consultation, to=C.ANSWERED, actor=actor, table=CONSULTATION_TRANSITIONS,
                      expected=consultation.status, kind="consultation.answered",
                      payload={"expert": expert.pk}, changes=changes)
    _message(done, MessageKind.ANSWER, expert.person, text, expert)
    notify(person=done.asker, link=_link(done), subject=done,
           text=gettext("您的法律咨询“%(title)s”已有解答，请查看并评价。") % {"title": done.title})
    return done


@transaction.atomic
def consultation_follow_up(*, actor, consultation: Consultation, text: str) -> Consultation:
    """已解答 → 解答中 (or back to the adviser): the asker asks more in the same thread; a new deadline runs."""
    text = _clean_text(text)
    if not is_asker(actor, consultation):
        raise PermissionDeniedError(gettext("只有提问人可以追问。"))
    back_to_adviser = consultation.adviser_id is not None
    to = C.ESCALATED if back_to_adviser else C.CLAIMED
    done = transition(consultation, to=to, actor=actor, table=CONSULTATION_TRANSITIONS, expected=C.ANSWERED,
                      kind="consultation.follow_up", changes={"due_on": _due(timezone.localdate())})
    _message(done, MessageKind.FOLLOW_UP, done.asker, text)
    responder = done.adviser if back_to_adviser else done.lawyer
    notify(person=responder.person if responder else None, link=_link(done), subject=done, sms=False,
           text=gettext("咨询“%(title)s”有新的追问，请在期限内解答。") % {"title": done.title})
    return done


@transaction.atomic
def consultation_rate(*, actor, consultation: Consultation, stars: int, comment: str = "") -> Consultation:
    """已解答 → 已评价: the asker rates the answer (1–5 stars); it counts in the expert's record."""
    if not is_asker(actor, consultation):
        raise PermissionDeniedError(gettext("只有提问人可以评价。"))
    if stars not in range(1, 6):
        raise DomainError("invalid_rating", gettext("请选择 1 到 5 星。"), details={"field": "stars"})
    return transition(consultation, to=C.CLOSED, actor=actor, table=CONSULTATION_TRANSITIONS, expected=C.ANSWERED,
                      kind="consultation.rated", payload={"stars": stars},
                      changes={"rating": stars, "rating_comment": (comment or "").strip()[:300]})


@transaction.atomic
def consultation_escalate(*, actor, consultation: Consultation, today: date) -> Consultation | None:
    """待认领 / 解答中 → 已转法律顾问 when its deadline has passed: the community's adviser in office takes it
    (told by a notification); with no adviser in office the community's office staff are told to appoint one.
    None when it is no longer waiting (answered meanwhile, or escalated by another run)."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status not in AWAITING_ANSWER or locked.due_on >= today:
        return None
    post = adviser_on(locked.community, today)
    adviser = post.expert if post else None
    unavailable = adviser is not None and not adviser.takes_questions(today)
    if unavailable:
        adviser = None  # 繁忙 / 暂停服务: the community's office staff follow it up instead
    done = transition(locked, to=C.ESCALATED, actor=actor, table=CONSULTATION_TRANSITIONS, expected=locked.status,
                      kind="consultation.escalated", payload={"adviser": adviser.pk if adviser else None,
                                                               "adviser_unavailable": unavailable,
                                                               "due_on": locked.due_on},
                      changes={"adviser": adviser, "escalated_at": timezone.now(), "due_on": add_working_days(today, answer_days()).date})
    if adviser is not None:
        notify(person=adviser.person, link=_link(done), subject=done,
               text=gettext("云律团咨询“%(title)s”逾期未解答，已转您（社区法律顾问）解答。") % {"title": done.title})
    else:
        _tell_office(done, unavailable)
    return done


def _tell_office(consultation: Consultation, adviser_unavailable: bool) -> None:
    """No adviser to take an escalated question: the community's office staff are told — to appoint one, or,
    when the adviser is 繁忙 / 暂停服务, to arrange the answer."""
    from yishiting.areas.models import RoleAssignment

    office = RoleAssignment.objects.filter(is_active=True, path=consultation.path, role__in=[
        Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF]).select_related("person")
    if adviser_unavailable:
        notify_many(people=[r.person for r in office], link=_link(consultation), subject=consultation,
                    text=gettext("云律团咨询“%(title)s”逾期未解答，本社区法律顾问暂不可约请，请安排解答。")
                    % {"title": consultation.title})
        return
    notify_many(people=[r.person for r in office], link="/legal/coverage/", subject=consultation,
                text=gettext("云律团咨询“%(title)s”逾期未解答，本社区没有在任的法律顾问，请尽快聘任。") % {"title": consultation.title})


def consultations_tick(*, today: date) -> int:
    """`yishiting tick`: escalate every question past its deadline. Safe to run again (each is re-checked under
    its row lock)."""
    from .selectors import due_for_escalation

    return sum(1 for c in list(due_for_escalation(today)) if consultation_escalate(actor=None, consultation=c, today=today))


@transaction.atomic
def consultation_refer(*, actor, consultation: Consultation):
    """→ 已转调解: open a mediation case from the thread (the question, every answer and follow-up go with it),
    through the mediation app's own service. Returns the case."""
    if not may_refer(actor, consultation):
        raise PermissionDeniedError(gettext("只有提问人、解答律师、社区法律顾问或社区工作人员可以转调解。"))
    case = _open_mediation_case(actor, consultation)
    transition(consultation, to=C.REFERRED, actor=actor, table=CONSULTATION_TRANSITIONS, expected=consultation.status,
               kind="consultation.referred", payload={"case": case.pk}, changes={"mediation_case_id": case.pk})
    return case


def thread_text(consultation: Consultation) -> str:
    """The thread as the case file carries it: each turn with its kind and time, the asker not named."""
    lines = [f"云律团法律咨询 {consultation.number}（{consultation.field.name}）：{consultation.title}"]  # zh-only: the case file's record
    for m in consultation.messages.all():
        who = "提问人" if m.kind != MessageKind.ANSWER else f"解答（{m.expert.person.name if m.expert else ''}）"  # zh-only: the case file's record
        lines.append(f"{timezone.localtime(m.created_at):%Y-%m-%d %H:%M} {m.get_kind_display()} · {who}：{m.text}")
    return "\n".join(lines)


def _open_mediation_case(actor, consultation: Consultation):
    """The one place legal reaches into mediation: a case at the asker's community, opened through mediation's
    own service (source 法律咨询转入), the asker its applicant with the whole thread as their statement."""
    from yishiting.mediation.choices import CaseSource, Side
    from yishiting.mediation.services import PartyInput, case_open

    return case_open(actor=actor, area=consultation.community, title=f"法律咨询转入：{consultation.title}"[:200],  # zh-only: a record's title
                     source=CaseSource.CONSULTATION,
                     parties=[PartyInput(side=Side.APPLICANT, person=consultation.asker, statement=thread_text(consultation))])


def legal_tick(today: date) -> tuple[str, set[str]]:
    """`yishiting tick` (common.ticks): escalate questions past their deadline; the line it prints."""
    return f"逾期未解答的法律咨询转社区法律顾问 {consultations_tick(today=today)} 件。", set()  # zh-only: the command prints Chinese
