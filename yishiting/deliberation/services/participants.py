"""Who is invited to a meeting already planned: adding someone late (the street leader confirms, a lawyer is
asked to come) and withdrawing an invitation.

Both belong to the meeting's planner side and only while it is planned (rules `deliberation.participants`);
whom they may add is the plan's own rule (`deliberation.invite`). The template's bounds hold as they did for the
plan (at most `max_size` people with the chair, the venue's capacity). Too little notice does not block a late
invitation — the meeting is already fixed, coming late beats not coming — but is kept on the meeting as a
warning (通知时间不足 N 天), like the plan's other non-blocking findings; the 1+8+N list of missing parties is
recomputed after each change. The invitee is notified only once the meeting's notice has gone out (before
that `meeting_notify` tells everyone on the list, them included), so nobody hears twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person
from yishiting.common.dates import moment_text
from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm
from yishiting.notifications.services import notify

from .. import wording
from ..choices import MeetingStatus, Party
from ..models import Meeting, Participant
from ..rules import withdraw_refusal
from ..selectors.parties import count_parties, party_scope
from .meetings import MAX_PARTICIPANTS, Problem, _invitation, _new_code, party_problems, require_invitable

# Warnings recomputed from the list itself after every change (the plan stored them the same way).
LIST_WARNINGS = ("parties_missing", "too_few", "party_unverified")
MAX_REASON = 500


def _locked_meeting(actor, meeting: Meeting, doing: str) -> Meeting:
    """The meeting row locked (one change of its list at a time: the size check holds), after the checks of
    rules `deliberation.participants`: 403 for someone not of the planner side, 409 once it is under way."""
    if not has_perm(actor, "deliberation.manage", meeting):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以%(doing)s。") % {"doing": doing})
    locked = (Meeting.objects.select_for_update(of=("self",)).select_related("template", "venue", "level_area")
              .get(pk=meeting.pk))
    if locked.status != MeetingStatus.PLANNED:
        raise Conflict("invalid_state", _("会议%(status)s，不能再%(doing)s。") % {"status": locked.get_status_display(), "doing": doing},
                       details={"status": locked.status})
    return locked


def _check_room(meeting: Meeting, size: int) -> None:
    """The plan's bounds for one more person: the template's maximum, the platform's, the venue's seats."""
    template = meeting.template
    if template.max_size and size > template.max_size:
        raise DomainError("too_many", _("%(name)s至多 %(max_size)s 人参加（含主持人），已邀请 %(invited)s 人，不能再追加。")
                          % {"name": template.name, "max_size": template.max_size, "invited": size - 1},
                          details={"field": "person", "size": size})
    if size > MAX_PARTICIPANTS:
        raise DomainError("too_many", _("参会人员不能超过 %(MAX_PARTICIPANTS)s 人。") % {"MAX_PARTICIPANTS": MAX_PARTICIPANTS},
                          details={"field": "person"})
    if meeting.venue_id and size > meeting.venue.capacity:
        raise DomainError("venue_too_small", _("“%(name)s”只能容纳 %(capacity)s 人，已邀请 %(invited)s 人。")
                          % {"name": meeting.venue.name, "capacity": meeting.venue.capacity, "invited": size - 1},
                          details={"field": "person", "size": size})


def late_notice(meeting: Meeting, person: Person, now=None) -> Problem | None:
    """通知时间不足: fewer than the template's notice days left before the meeting (the plan's own measure)."""
    days = meeting.template.notice_days
    if meeting.starts_at >= (now or timezone.now()) + timedelta(days=days):
        return None
    at = timezone.localtime(meeting.starts_at)
    return Problem("notice_too_short", wording.late_notice(days, mask_name(person.name), moment_text(at)), "participants")


def _refreshed(meeting: Meeting, drop_person: int | None = None) -> list[dict]:
    """The meeting's warnings with the list-derived ones (missing parties, too few) computed afresh, and those
    about a withdrawn person dropped."""
    kept = [w for w in meeting.warnings or [] if w.get("code") not in LIST_WARNINGS
            and (drop_person is None or w.get("person") != drop_person)]
    template, size = meeting.template, meeting.participants.count()
    kept += [p.kept() for p in party_problems(meeting)]  # worded as the plan's check words them
    if template.min_size and size < template.min_size:
        kept.append(Problem("too_few", wording.too_few(template.name, template.min_size, size), "participants").kept())
    return kept


def _own_warnings(meeting: Meeting, person: Person) -> list[Problem]:
    """The warnings kept about `person` (as kept, in the site's language; worded again for another language)."""
    again = translation.get_language() != settings.LANGUAGE_CODE
    at = moment_text(timezone.localtime(meeting.starts_at))
    return [Problem(w["code"], wording.late_notice(meeting.template.notice_days, mask_name(person.name), at)
                    if again and w["code"] == "notice_too_short" else w["message"], w.get("field", ""))
            for w in meeting.warnings or [] if w.get("person") == person.pk]


@transaction.atomic
def participant_invite(*, actor, meeting: Meeting, person: Person, party: str,
                       is_council_member: bool = False) -> Participant:
    """Add `person` to a planned meeting with their own sign-in code; told at once (in-app, SMS after commit)
    when the meeting's notice has already gone out. Event meeting.participant_invited. Idempotent: someone
    already on the list is returned as they are (no second notice, no event). The participant comes back with
    `created` and `warnings` (通知时间不足 N 天, also kept on the meeting while they stay invited)."""
    locked = _locked_meeting(actor, meeting, gettext_lazy("追加参会人员"))
    require_invitable(actor, locked.level_area, [person.pk])
    existing = locked.participants.select_related("person").filter(person=person).first()
    if existing is not None:
        existing.created, existing.warnings = False, _own_warnings(locked, person)
        return existing
    if party not in Party.values:
        raise DomainError("invalid_party", _("参会人员的代表方不正确。"), details={"field": "party"})
    _check_room(locked, locked.participants.count() + 1)
    participant = Participant.objects.create(meeting=locked, person=person, party=party,
                                             is_council_member=bool(is_council_member), sign_in_code=_new_code())
    warning = late_notice(locked, person)
    own = [{**warning.kept(), "person": person.pk}] if warning else []
    locked.warnings = [*_refreshed(locked), *own]
    locked.save(update_fields=["warnings"])
    _tell_and_record(actor, locked, participant, warning)
    participant.created, participant.warnings = True, [warning] if warning else []
    participant.warnings += _unheld(locked, participant)
    return participant


def _unheld(meeting: Meeting, participant: Participant) -> list[Problem]:
    """The new invitee's label, when it is one of the eight parties and they do not hold it (not counted)."""
    scope = party_scope(meeting.level_area, [item.topic for item in meeting.agenda.select_related("topic")])
    if not count_parties([(participant.person_id, participant.party)], scope).unverified:
        return []
    return [Problem("party_unverified", wording.party_unverified(mask_name(participant.person.name), participant.party),
                    "party")]


def _tell_and_record(actor, meeting: Meeting, participant: Participant, warning: Problem | None) -> None:
    """The invitation itself once the meeting's notice is out (else `meeting_notify` brings it), and the event."""
    with translation.override(settings.LANGUAGE_CODE):  # what is sent and recorded is in the site's language
        _tell_and_record_said(actor, meeting, participant, warning)


def _tell_and_record_said(actor, meeting: Meeting, participant: Participant, warning: Problem | None) -> None:
    told = meeting.notified_at is not None
    if told:
        agenda = [f"{item.order}. {item.topic.title}" for item in meeting.agenda.select_related("topic")]
        notify(person=participant.person, text=_invitation(meeting, participant, agenda),
               link=f"/meetings/{meeting.pk}", subject=meeting)
    event_append(subject=meeting, kind="meeting.participant_invited", actor=actor, payload={
        "participant": participant.pk, "person": participant.person_id, "party": participant.party,
        "council": participant.is_council_member, "notified": told, "warnings": [warning.code] if warning else [],
        "text": (_("追加邀请%(name)s以%(party)s身份参会，已发出通知") if told
                 else _("追加邀请%(name)s以%(party)s身份参会，将随会议通知一并通知"))
                % {"name": mask_name(participant.person.name), "party": participant.get_party_display()}
                + (_("（通知时间不足 %(days)s 天）") % {"days": meeting.template.notice_days} if warning else "")})


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("撤回邀请须说明理由。"), details={"field": "reason"})
    if len(reason) > MAX_REASON:
        raise DomainError("too_long", _("理由不能超过 %(MAX_REASON)s 字。") % {"MAX_REASON": MAX_REASON}, details={"field": "reason"})
    return reason


REFUSALS = {
    "signed_in": ("already_signed_in", gettext_lazy("%(name)s已于 %(at)s 签到，不能撤回邀请：到会记录须保留。")),
    "chair": ("chair_not_withdrawable",
              gettext_lazy("%(name)s是本次会议的主持人，不能撤回；如需更换主持人，请取消会议后重新安排。")),
}


@transaction.atomic
def participant_withdraw(*, actor, meeting: Meeting, participant: Participant, reason: str) -> Participant:
    """Withdraw an invitation to a planned meeting (reason required): the row goes, so its sign-in code stops
    working at once; the person is told (in-app, SMS after commit) if the meeting's notice had reached them.
    Someone already signed in, or the chair, cannot be withdrawn (409). Event meeting.participant_withdrawn;
    the missing parties are recomputed. Returns the withdrawn participant (no longer saved)."""
    reason = _clean_reason(reason)
    locked = _locked_meeting(actor, meeting, gettext_lazy("撤回参会邀请"))
    row = (Participant.objects.select_for_update(of=("self",)).select_related("person")
           .filter(pk=participant.pk, meeting=locked).first())
    if row is None:
        raise NotFound(_("找不到该参会人员，或其邀请已撤回。"))
    row.meeting = locked
    refusal = withdraw_refusal(row)
    if refusal:
        code, text = REFUSALS[refusal]
        at = f"{timezone.localtime(row.signed_in_at):%H:%M}" if row.signed_in_at else ""
        raise Conflict(code, str(text) % {"name": mask_name(row.person.name), "at": at}, details={"participant": row.pk})
    pk = row.pk
    row.delete()
    row.pk = pk  # for the caller: which invitation went
    locked.warnings = _refreshed(locked, drop_person=row.person_id)
    locked.save(update_fields=["warnings"])
    told = locked.notified_at is not None
    with translation.override(settings.LANGUAGE_CODE):  # what is sent and recorded is in the site's language
        _tell_withdrawn(actor, locked, row, pk, reason, told)
    return row


def _tell_withdrawn(actor, locked: Meeting, row: Participant, pk: int, reason: str, told: bool) -> None:
    label = row.get_party_display()
    if told:
        at = timezone.localtime(locked.starts_at)
        notify(person=row.person, link=f"/meetings/{locked.pk}", subject=locked,
               text=_("%(name)s您好，%(at)s的会议“%(title)s”已撤回对您的邀请（理由：%(reason)s），原签到码作废。") % {
                   "name": row.person.name, "at": moment_text(at), "title": locked.title, "reason": reason})
    event_append(subject=locked, kind="meeting.participant_withdrawn", actor=actor, payload={
        "participant": pk, "person": row.person_id, "party": row.party, "reason": reason, "notified": told,
        "text": _("撤回%(name)s（%(party)s）的参会邀请，理由：%(reason)s") % {
            "name": mask_name(row.person.name), "party": label, "reason": reason}})
