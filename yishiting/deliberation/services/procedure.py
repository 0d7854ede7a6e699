"""Inside a meeting (the procedure): sign-in, the quorum, the recorded steps and the resolutions.

The chair states source, review and content; the proposer explains; free speech — every opinion recorded with
speaker and party; the chair sums up; a resolution is formed on the spot, by vote where needed. A clerk records
it from a tablet; an online meeting (网上议事) runs the same steps asynchronously until its closing time.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yishiting.areas.models import Person
from yishiting.common.dates import moment_text
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.reconcile import json_digest, text_digest
from yishiting.common.rules import has_perm
from yishiting.notifications.services import notify

from ..bodies import require_deliberated_first
from ..choices import MeetingForm, MeetingStatus, NextStep, Party, StepKind, TopicStatus, VoteStatus
from ..models import Meeting, MeetingStep, Participant, Resolution, Topic, Vote
from ..rules import may_sign_in, may_speak
from ..selectors.meetings import Quorum, quorum
from .locality import require_before_resolution
from .meetings import ACTIVE, require_manage
from .topics import topic_transition

MAX_STEP = 5000
MAX_RESOLUTION = 5000
# Where a resolution sends its topic.
NEXT_STATUS = {NextStep.PUBLICITY: TopicStatus.RESOLVED, NextStep.REDELIBERATE: TopicStatus.ANALYSING,
               NextStep.DROPPED: TopicStatus.DROPPED}


# ---- sign-in --------------------------------------------------------------------------------------------

def _meeting_day(meeting: Meeting) -> bool:
    today = timezone.localdate()
    return timezone.localdate(meeting.starts_at) <= today <= timezone.localdate(meeting.ends_at)


@transaction.atomic
def participant_sign_in(*, actor, meeting: Meeting, code: str) -> Participant:
    """Sign a participant in by the code on their invitation (the QR code's value): the participant themself,
    or the clerk for them. Only while the meeting is planned or in progress, on its day. Event
    meeting.signed_in; signing in twice changes nothing."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("person")
                   .filter(meeting=meeting, sign_in_code=(code or "").strip()).first())
    if participant is None:
        raise DomainError("invalid_code", _("签到码不正确，请核对会议通知中的签到码。"), details={"field": "code"})
    if not may_sign_in(actor, meeting, participant):
        raise PermissionDeniedError(_("只能本人签到，或由会议工作人员代为签到。"))
    is_self = participant.person.user_id == actor.pk
    if participant.signed_in_at is not None:
        return participant
    if meeting.status not in ACTIVE or not _meeting_day(meeting):
        raise Conflict("sign_in_closed", _("只能在会议当天、会议结束前签到。"))
    participant.signed_in_at, participant.signed_in_by = timezone.now(), actor
    participant.save(update_fields=["signed_in_at", "signed_in_by"])
    event_append(subject=meeting, kind="meeting.signed_in", actor=actor,
                 payload={"participant": participant.pk, "party": participant.party, "by": "self" if is_self else "clerk"})
    return participant


# ---- quorum ---------------------------------------------------------------------------------------------

def require_quorum(meeting: Meeting) -> Quorum:
    """For a vote or a resolution: a meeting with council members needs its quorum present."""
    found = quorum(meeting)
    if found.applies and not found.met:
        raise Conflict("no_quorum", _("议事会成员应到 %(council_members)s 人，实到 %(council_present)s 人，不足法定人数 %(required)s 人（%(numerator)s/%(denominator)s），不能表决或形成决议。") % {"council_members": found.council_members, "council_present": found.council_present, "required": found.required, "numerator": found.numerator, "denominator": found.denominator},
                       details={"required": found.required, "present": found.council_present,
                                "members": found.council_members})
    return found


# ---- recorded steps -------------------------------------------------------------------------------------

def _lock_running(meeting: Meeting) -> Meeting:
    """The meeting row, locked (steps and resolutions of one meeting are recorded one at a time)."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("template").get(pk=meeting.pk)
    if locked.status != MeetingStatus.IN_PROGRESS:
        raise Conflict("meeting_not_running", _("会议%(status)s，不能记录。") % {"status": locked.get_status_display()})
    if locked.form == MeetingForm.ONLINE and timezone.now() >= locked.ends_at:
        raise Conflict("meeting_not_running",
                       _("网上议事已于 %(ends_at)s 截止。") % {"ends_at": moment_text(locked.ends_at)})
    return locked


def _on_agenda(meeting: Meeting, topic: Topic | None) -> None:
    if topic is not None and not meeting.agenda.filter(topic=topic).exists():
        raise DomainError("not_on_agenda", _("议题“%(title)s”不在本次会议的议程中。") % {"title": topic.title}, details={"field": "topic"})


def _may_record(actor, meeting: Meeting, kind: str, speaker: Person | None) -> None:
    """The clerk (deliberation.manage) records everything; online, a participant posts their own speech."""
    if has_perm(actor, "deliberation.manage", meeting):
        return
    if kind == StepKind.SPEECH and speaker is not None and may_speak(actor, meeting, speaker):
        return
    raise PermissionDeniedError(_("只有会议记录人可以记录；网上议事中参会人员可以发表自己的意见。"))


def _clean_step(meeting: Meeting, kind: str, text: str, speaker: Person | None, party: str) -> tuple[str, str]:
    if kind not in StepKind.values:
        raise DomainError("invalid_choice", _("会议环节不正确。"), details={"field": "kind"})
    text = (text or "").strip()
    if not text:
        raise DomainError("required", _("请填写记录内容。"), details={"field": "text"})
    if len(text) > MAX_STEP:
        raise DomainError("too_long", _("一条记录不能超过 %(MAX_STEP)s 字。") % {"MAX_STEP": MAX_STEP}, details={"field": "text"})
    if party and party not in Party.values:
        raise DomainError("invalid_choice", _("代表方不正确。"), details={"field": "party"})
    if speaker is not None and not party:  # a participant speaks for the party they were invited as
        party = meeting.participants.filter(person=speaker).values_list("party", flat=True).first() or ""
    if kind == StepKind.SPEECH and (speaker is None or not party):
        raise DomainError("speaker_required", _("自由发言须记录发言人及其代表方。"),
                          details={"field": "speaker" if speaker is None else "party"})
    return text, party


@transaction.atomic
def step_record(*, actor, meeting: Meeting, kind: str, text: str, speaker: Person | None = None,
                party: str = "", topic: Topic | None = None) -> MeetingStep:
    """Record one step of the procedure with the next number of the meeting (under its row lock).
    Only while the meeting is in progress (online: until its closing time). Event meeting.step."""
    _may_record(actor, meeting, kind, speaker)
    locked = _lock_running(meeting)
    text, party = _clean_step(locked, kind, text, speaker, party)
    _on_agenda(locked, topic)
    seq = (locked.steps.aggregate(last=Max("seq"))["last"] or 0) + 1
    step = MeetingStep.objects.create(meeting=locked, topic=topic, seq=seq, kind=kind, speaker=speaker,
                                      party=party, text=text, recorded_by=actor)
    event_append(subject=locked, kind="meeting.step", actor=actor, payload={
        "seq": seq, "kind": kind, "topic": topic.pk if topic else None, "party": party,
        "speaker": speaker.pk if speaker else None, "text_sha256": text_digest(text)})  # `verify` reconciles
    return step


# ---- resolutions ----------------------------------------------------------------------------------------

def _vote_results(meeting: Meeting, topic: Topic) -> list[dict]:
    """The closed votes on the topic at this meeting, with every figure they were decided on."""
    votes = Vote.objects.filter(meeting=meeting, topic=topic, status=VoteStatus.CLOSED).order_by("pk")
    return [{"vote": v.pk, "question": v.question, "method": v.method, "rule": v.rule, "result": v.result}
            for v in votes]


def _clean_resolution(text: str, next_step: str, reason: str) -> tuple[str, str]:
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text:
        raise DomainError("required", _("请填写决议内容。"), details={"field": "text"})
    if len(text) > MAX_RESOLUTION:
        raise DomainError("too_long", _("决议内容不能超过 %(MAX_RESOLUTION)s 字。") % {"MAX_RESOLUTION": MAX_RESOLUTION}, details={"field": "text"})
    if next_step not in NextStep.values:
        raise DomainError("invalid_choice", _("下一步应为进入公示和办理、退回继续协商或不再推进。"),
                          details={"field": "next_step"})
    if next_step == NextStep.DROPPED and not reason:
        raise DomainError("reason_required", _("决定不再推进须说明理由。"), details={"field": "reason"})
    return text, reason


@transaction.atomic
def resolution_record(*, actor, meeting: Meeting, topic: Topic, text: str, next_step: str, reason: str = "",
                      votes: Sequence[dict] | None = None) -> Resolution:
    """Form the resolution (协商决议) on an agenda topic: one per topic per meeting, with the quorum present.
    The topic moves deliberating → resolved (publicity), → analysing (redeliberate) or → dropped (reason
    required). Events meeting.resolution and the topic's status event; the proposer is told."""
    require_manage(actor, meeting)
    text, reason = _clean_resolution(text, next_step, reason)
    locked = _lock_running(meeting)
    _on_agenda(locked, topic)
    if Resolution.objects.filter(meeting=locked, topic=topic).exists():
        raise Conflict("already_resolved", _("议题“%(title)s”在本次会议已形成决议。") % {"title": topic.title})
    topic.refresh_from_db(fields=["status"])
    if topic.status != TopicStatus.DELIBERATING:
        raise Conflict("invalid_state", _("议题%(status)s，不能形成决议。") % {"status": topic.get_status_display()})
    if Vote.objects.filter(meeting=locked, topic=topic, status=VoteStatus.OPEN).exists():
        raise Conflict("vote_open", _("议题“%(title)s”还有表决未结束，请先结束表决再形成决议。") % {"title": topic.title})
    require_quorum(locked)
    require_deliberated_first(topic, locked)
    require_before_resolution(locked, topic)  # the template's own step before 决议 (岑溪 联议, 扬州 群议)
    results = list(votes) if votes is not None else _vote_results(locked, topic)
    resolution = Resolution.objects.create(topic=topic, meeting=locked, text=text, next_step=next_step,
                                           reason=reason, votes=results, created_by=actor)
    event_append(subject=topic, kind="topic.resolution", actor=actor,  # digests: what `verify` reconciles
                 payload={"next_step": next_step, "resolution": resolution.pk, "meeting": locked.pk,
                          "text_sha256": text_digest(text), "reason_sha256": text_digest(reason),
                          "votes_sha256": json_digest(results)})
    topic_transition(actor=actor, topic=topic, to=NEXT_STATUS[next_step], reason=reason,
                     kind=f"topic.{NEXT_STATUS[next_step]}", payload={"meeting": locked.pk, "resolution": resolution.pk})
    event_append(subject=locked, kind="meeting.resolution", actor=actor, payload={
        "topic": topic.pk, "resolution": resolution.pk, "next_step": next_step, "votes": len(results)})
    with translation.override(settings.LANGUAGE_CODE):  # what the proposer is sent is in the site's language
        notify(person=topic.proposer, subject=topic, link=f"/topics/{topic.pk}",
               text=_("您提出的议题“%(title)s”已形成协商决议：%(next_step)s。") % {
                   "title": topic.title, "next_step": resolution.get_next_step_display()})
    return resolution
