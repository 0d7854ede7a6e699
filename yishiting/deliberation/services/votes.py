"""Votes (表决): opening one, casting ballots online, entering paper ballots, written proxies, show-of-hands
counts, and closing with the full count stored for checking by hand.

A vote is `open` until closed (`open → closed`, the only transition). Who may cast is the vote's electorate,
not a role: the participants signed in at the meeting (an online meeting: everyone invited), or for an owners'
vote (Civil Code Art. 278) the owners of a unit in scope or the holder of a written proxy for it. One ballot
per person (meeting votes) or per unit (owners' votes), guaranteed by the Ballot constraints. A secret
ballot stores only that the person voted; the choice is added to a counter and never linked to them.

Concurrency (PostgreSQL): a cast holds a shared row lock on the vote (FOR SHARE) until it commits, closing
takes FOR UPDATE — so the close waits for casts under way, and a cast that starts after it sees `closed`.
Ballot events have the ballot as subject, so concurrent casts never queue on one event chain.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Household, Person
from yishiting.common.dates import moment_text
from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.text import list_words
from yishiting.common.transitions import transition

from ..choices import (
    BallotChannel,
    MeetingForm,
    MeetingStatus,
    OwnersMatter,
    VoteMethod,
    VoteRule,
    VoteStatus,
)
from ..models import AgendaItem, Ballot, Meeting, OptionCount, Proxy, Topic, Vote
from ..models.votes import DEFAULT_OPTIONS
from ..rules import ballot_refusal
from ..selectors import votes as selectors
from ..tally import OWNERS_OPTIONS
from ..transitions import FINISHED, VOTE_TRANSITIONS
from .cast_statement import cast_owner_ballot
from .procedure import require_quorum

MAX_QUESTION, MAX_OPTION, MAX_OPTIONS = 300, 100, 10
MEETING_OPEN = {MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS}


def _require_votes(actor, obj, message: str | None = None) -> None:
    if not has_perm(actor, "deliberation.votes", obj):
        raise PermissionDeniedError(message or _("只有本级或上级的社区两委、街道和区级干部可以办理表决。"))


def _deny(actor, vote: Vote, message: str) -> None:
    """Outside the electorate: 403 for those who may see the vote, 404 for everyone else."""
    if not selectors.votes_visible_to(actor).filter(pk=vote.pk).exists():
        raise NotFound()
    raise PermissionDeniedError(message)


# ---------------------------------------------------------------- opening


def _clean_options(options: list[str] | None) -> list[str]:
    cleaned = [str(o).strip() for o in (options or DEFAULT_OPTIONS)]
    if not 2 <= len(cleaned) <= MAX_OPTIONS or any(not o or len(o) > MAX_OPTION for o in cleaned):
        raise DomainError("invalid_options", _("选项须为 2–%(MAX_OPTIONS)s 个，每个 1–%(MAX_OPTION)s 字。") % {"MAX_OPTIONS": MAX_OPTIONS, "MAX_OPTION": MAX_OPTION},
                          details={"field": "options"})
    if len(set(cleaned)) != len(cleaned):
        raise DomainError("invalid_options", _("选项不能重复。"), details={"field": "options"})
    return cleaned


def _check_owners_vote(topic: Topic, rule: str, matter: str, scope_area: Area | None, options: list[str],
                       meeting: Meeting | None) -> None:
    if rule != VoteRule.ART278:
        raise DomainError("invalid_rule", _("业主共同决定须按民法典第二百七十八条计票。"), details={"field": "rule"})
    if matter not in OwnersMatter.values:
        raise DomainError("invalid_matter", _("请选择民法典第二百七十八条规定的表决事项（一）至（九）。"),
                          details={"field": "matter"})
    if scope_area is None or not scope_area.path.startswith(topic.scope.path):
        raise DomainError("invalid_scope", _("业主表决范围须为议题涉及范围内的楼栋、单元或小区。"),
                          details={"field": "scope_area"})
    if options != OWNERS_OPTIONS:
        raise DomainError("invalid_options", _("业主共同决定的选项为：同意、反对、弃权。"), details={"field": "options"})
    if not selectors.owners_tally_input_exists(scope_area.path):
        raise DomainError("empty_electorate", _("“%(name)s”内没有登记业主的专有部分，无法表决。") % {"name": scope_area.name},
                          details={"field": "scope_area"})


def _check_meeting_vote(topic: Topic, rule: str, meeting: Meeting | None, numerator: int | None,
                        denominator: int | None) -> None:
    if rule not in (VoteRule.MAJORITY, VoteRule.TWO_THIRDS, VoteRule.CUSTOM):
        raise DomainError("invalid_rule", _("会议表决的规则为出席人数过半数、三分之二以上或自定义比例。"),
                          details={"field": "rule"})
    if rule == VoteRule.CUSTOM and not (numerator and denominator and 0 < numerator <= denominator <= 1000):
        raise DomainError("invalid_threshold", _("自定义比例须为 n/d，且 0 < n ≤ d ≤ 1000。"),
                          details={"field": "threshold_numerator"})
    if meeting is None:
        raise DomainError("meeting_required", _("会议表决须指明会议。"), details={"field": "meeting"})
    online = meeting.form == MeetingForm.ONLINE and meeting.status in MEETING_OPEN
    if meeting.status != MeetingStatus.IN_PROGRESS and not online:
        raise Conflict("meeting_not_in_progress", _("会议%(status)s，只有进行中的会议或网上议事可以表决。") % {"status": meeting.get_status_display()})
    if not AgendaItem.objects.filter(meeting=meeting, topic=topic).exists():
        raise DomainError("not_on_agenda", _("该议题不在这次会议的议程上。"), details={"field": "meeting"})
    if not online:  # at the table a vote needs the quorum of council members present (the template's rule)
        require_quorum(meeting)


@transaction.atomic
def vote_open(*, actor, topic: Topic, question: str, method: str, rule: str, options: list[str] | None = None,
              meeting: Meeting | None = None, matter: str = "", scope_area: Area | None = None,
              threshold_numerator: int | None = None, threshold_denominator: int | None = None,
              closes_at: datetime | None = None) -> Vote:
    """Open a vote on a topic: status `open`, event vote.opened. Meeting votes need a meeting in progress (or
    an online meeting) with the topic on its agenda; owners' votes need rule art278, a matter and a scope area
    inside the topic's scope. Options default to 同意/反对/弃权."""
    _require_votes(actor, topic)
    question = (question or "").strip()
    if not question or len(question) > MAX_QUESTION:
        raise DomainError("required", _("请填写表决事项（不超过 %(MAX_QUESTION)s 字）。") % {"MAX_QUESTION": MAX_QUESTION}, details={"field": "question"})
    if method not in VoteMethod.values:
        raise DomainError("invalid_choice", _("表决方式不正确。"), details={"field": "method"})
    if topic.status in FINISHED:
        raise Conflict("invalid_state", _("议题%(status)s，不能再表决。") % {"status": topic.get_status_display()})
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError("invalid_time", _("截止时间须晚于现在。"), details={"field": "closes_at"})
    options = _clean_options(options)
    if method == VoteMethod.OWNERS:
        _check_owners_vote(topic, rule, matter, scope_area, options, meeting)
        threshold_numerator = threshold_denominator = None
    else:
        _check_meeting_vote(topic, rule, meeting, threshold_numerator, threshold_denominator)
        matter, scope_area = "", None
        if rule != VoteRule.CUSTOM:
            threshold_numerator = threshold_denominator = None
    vote = Vote.objects.create(
        topic=topic, meeting=meeting, question=question, method=method, options=options, rule=rule,
        threshold_numerator=threshold_numerator, threshold_denominator=threshold_denominator, matter=matter,
        scope_area=scope_area, path=topic.path, closes_at=closes_at, created_by=actor)
    if method == VoteMethod.SECRET:
        OptionCount.objects.bulk_create([OptionCount(vote=vote, option=o) for o in options])
    event_append(subject=vote, kind="vote.opened", actor=actor, new_subject=True, payload={
        "topic": topic.pk, "meeting": meeting.pk if meeting else None, "question": question, "method": method,
        "rule": rule, "options": options, "matter": matter, "scope": scope_area.code if scope_area else None})
    return vote


# ---------------------------------------------------------------- casting


def _lock_open(vote: Vote) -> None:
    """Hold a shared lock on the vote row until commit (PostgreSQL) and check it is still open."""
    if connection.vendor != "postgresql":  # SQLite: the IMMEDIATE transaction already holds the write lock
        _check_open(*Vote.objects.filter(pk=vote.pk).values_list("status", "closes_at").get())
        return
    with connection.cursor() as cursor:  # Django has no FOR SHARE; FOR UPDATE would serialize every cast
        cursor.execute(f"SELECT status, closes_at FROM {Vote._meta.db_table} WHERE id = %s FOR SHARE", [vote.pk])
        _check_open(*cursor.fetchone())


def _check_open(status: str, closes_at: datetime | None) -> None:
    if status != VoteStatus.OPEN:
        raise Conflict("vote_closed", _("表决已结束，不能再投票。"))
    if closes_at is not None and timezone.now() >= closes_at:
        raise Conflict("vote_closed", _("表决已于 %(closes_at)s 截止，不能再投票。") % {"closes_at": moment_text(closes_at)})


def _check_choice(vote: Vote, choice: str) -> None:
    if choice not in vote.options:
        raise DomainError("invalid_choice", _("请在以下选项中选择：%(options)s。") % {"options": list_words(vote.options)},
                          details={"field": "choice", "options": vote.options})


def _unit_for(actor, vote: Vote, person: Person, household_id: int | None) -> tuple[int, Proxy | None, list[str]]:
    """The unit the person votes for and the proxy they vote by: an owner of it (same person or same mobile
    number) or the holder of a written proxy. Returns (unit, proxy, the owners' mobiles)."""
    household_id = household_id or person.household_id
    if household_id is None:
        raise DomainError("household_required", _("请选择为哪一户投票。"), details={"field": "household_id"})
    owners = selectors.unit_owners(household_id, vote.scope_area.path)
    if not owners:
        _unit_not_voting(actor, vote, household_id)
    owner, proxy = _acting_for(vote, household_id, person, owners)
    if not (owner or proxy):
        _deny(actor, vote, _("您不是该户的业主，也没有该户业主的书面委托。"))
    return household_id, proxy, _mobiles(owners)


def _mobiles(owners: list[tuple[int, str]]) -> list[str]:
    return sorted({m for _, m in owners if m})


def _acting_for(vote: Vote, household_id: int, person: Person, owners: list[tuple[int, str]],
                ) -> tuple[bool, Proxy | None]:
    """May this person vote for the unit: as one of its owners (the same person, or the same mobile number),
    or as the holder of a written proxy for it? Returns (is an owner, the proxy)."""
    if any(pk == person.pk for pk, _ in owners):
        return True, None
    # The same mobile makes one owner of several units recorded as several persons — but only for a person who
    # is an owner on record themselves: a self-registered person sharing the number (a family phone) whose
    # household claim is not verified holds no owner role, so no say (areas.claims).
    if person.mobile and person.mobile in _mobiles(owners) and \
            selectors.is_owner_on_record(person.pk):
        return True, None
    return False, Proxy.objects.filter(vote=vote, household_id=household_id, holder=person).first()


def _unit_not_voting(actor, vote: Vote, household_id: int) -> None:
    """Why a unit has no say here (no such unit, out of scope, no owner) — 404 to those who cannot see the vote."""
    if not selectors.votes_visible_to(actor).filter(pk=vote.pk).exists():
        raise NotFound()
    path = Household.objects.filter(pk=household_id).values_list("path", flat=True).first()
    if path is None:
        raise DomainError("invalid_household", _("找不到该户。"), details={"field": "household_id"})
    if not path.startswith(vote.scope_area.path):
        raise DomainError("out_of_scope", _("该户不在本次表决范围（%(scope_area)s）内。") % {"scope_area": vote.scope_area.name},
                          details={"field": "household_id"})
    _deny(actor, vote, _("该户没有登记业主，不能参加业主表决。"))


def _check_same_way(vote: Vote, household_id: int, mobiles: list[str], choice: str) -> None:
    """An owner of several units votes them all the same way (one owner, one headcount)."""
    other = selectors.linked_choices(vote, household_id, mobiles) - {choice}
    if other:
        raise Conflict("inconsistent_units", _("同一业主的其他专有部分已表决为“%(other)s”，同一业主的各户须作相同表决。") % {"other": list_words(sorted(other))})


def _check_participant(actor, vote: Vote, person: Person) -> None:
    """Meeting votes: the participants (rules `deliberation.cast_vote`) — signed in at the table, everyone invited
    online — whichever community they come from."""
    refusal = ballot_refusal(vote, person)
    if refusal == "sign_in_first":
        raise PermissionDeniedError(_("请先签到，签到后才能投票。"))
    if refusal is not None:
        _deny(actor, vote, _("只有这次会议的参会人员可以投票。"))


def _store(vote: Vote, *, voter: Person, choice: str, household_id: int | None, proxy: Proxy | None,
           channel: str, recorded_by=None) -> Ballot:
    """Insert the ballot and, for a secret ballot, add to the counter. A second ballot breaks a Ballot
    constraint: the caller's transaction rolls back whole and it answers already_voted (no savepoint needed)."""
    secret = vote.method == VoteMethod.SECRET
    ballot = Ballot.objects.create(vote=vote, voter=voter, household_id=household_id,
                                   choice="" if secret else choice, channel=channel, proxy=proxy,
                                   recorded_by=recorded_by)
    if secret:
        OptionCount.objects.filter(vote=vote, option=choice).update(count=F("count") + 1)
    return ballot


def _already_voted(vote: Vote, household_id: int | None) -> Conflict:
    if household_id is None:
        return Conflict("already_voted", _("您已经投过票，每人只能投一次。"))
    earlier = Ballot.objects.filter(vote=vote, household_id=household_id).first()
    how = (_("已于 %(at)s 通过%(channel)s") % {"at": moment_text(earlier.cast_at), "channel": earlier.get_channel_display()}
           if earlier else _("已经投票"))
    return Conflict("already_voted", _("该户%(how)s，每户只计一票，不能重复投票。") % {"how": how},
                    details={"household_id": household_id})


def _ballot_event(ballot: Ballot, vote: Vote, actor, choice: str, kind: str) -> None:
    payload = {"vote": vote.pk, "channel": ballot.channel, "household": ballot.household_id,
               "proxy": ballot.proxy_id}
    if vote.method != VoteMethod.SECRET:  # a secret ballot's event says that, never what
        payload["choice"] = choice
    event_append(subject=ballot, kind=kind, actor=actor, new_subject=True, payload=payload)


def vote_cast(*, actor, vote: Vote, choice: str, household_id: int | None = None) -> Ballot:
    """Cast one ballot online: event ballot.cast (without the choice for a secret ballot). Refused with 409
    already_voted (a second ballot), 409 vote_closed, 403/404 outside the electorate, 400 out_of_scope (owners'
    vote, a unit outside its scope) or 400 invalid_choice — and then nothing is written. Whoever cannot see the
    vote gets 404 whatever the refusal, as for a vote that does not exist: no outsider learns that it does."""
    try:
        return _vote_cast(actor, vote, choice, household_id)
    except DomainError as refusal:
        if not isinstance(refusal, NotFound) and not selectors.votes_visible_to(actor).filter(pk=vote.pk).exists():
            raise NotFound() from None
        raise


def _vote_cast(actor, vote: Vote, choice: str, household_id: int | None) -> Ballot:
    if (ballot := _cast_in_one_statement(actor, vote, choice, household_id)) is not None:
        return ballot
    person = selectors.voter_for_user(actor)
    if person is None:
        _deny(actor, vote, _("您的账号未关联人员信息，不能投票。"))
    if vote.method == VoteMethod.HANDS:
        raise Conflict("hands_only", _("举手表决由工作人员登记举手人数，不能在线投票。"))
    _check_choice(vote, choice)
    try:
        return _cast(actor, vote, person, choice, household_id)
    except IntegrityError:
        unit = (household_id or person.household_id) if vote.method == VoteMethod.OWNERS else None
        raise _already_voted(vote, unit) from None


def _cast_in_one_statement(actor, vote: Vote, choice: str, household_id: int | None) -> Ballot | None:
    """The owners' hot path on PostgreSQL (see cast_statement): one statement that accepts only what `_cast`
    would, or does nothing. The unit is the one asked for, else the person's own as the token lookup saw it —
    a guess the statement checks against the person row."""
    if connection.vendor != "postgresql" or vote.method != VoteMethod.OWNERS or choice not in vote.options:
        return None
    hint = getattr(actor, "token_person", None)
    unit = household_id or (hint.household_id if hint else None)
    if unit is None:
        return None
    return cast_owner_ballot(actor=actor, vote=vote, choice=choice, asked=household_id, unit=unit)


@transaction.atomic
def _cast(actor, vote: Vote, person: Person, choice: str, household_id: int | None) -> Ballot:
    _lock_open(vote)
    proxy = None
    if vote.method == VoteMethod.OWNERS:
        household_id, proxy, mobiles = _unit_for(actor, vote, person, household_id)
        _check_same_way(vote, household_id, mobiles, choice)
    else:
        household_id = None
        _check_participant(actor, vote, person)
    ballot = _store(vote, voter=person, choice=choice, household_id=household_id, proxy=proxy,
                    channel=BallotChannel.ONLINE)
    _ballot_event(ballot, vote, actor, choice, "ballot.cast")
    return ballot


# ---------------------------------------------------------------- staff: paper ballots, proxies, hands


def _paper_voter(vote: Vote, household_id: int, voter: Person | None, owners: list[tuple[int, str]],
                 ) -> tuple[Person, Proxy | None]:
    """Who signed the paper ballot: an owner of the unit (default: the first one) or a proxy holder."""
    if voter is None:
        return Person.objects.get(pk=min(pk for pk, _ in owners)), None
    owner, proxy = _acting_for(vote, household_id, voter, owners)
    if not (owner or proxy):
        raise DomainError("not_in_electorate", _("签署纸质票的人不是该户业主，也没有该户业主的书面委托。"),
                          details={"field": "voter_id"})
    return voter, proxy


def ballot_enter_paper(*, actor, vote: Vote, choice: str, household_id: int | None = None,
                       voter: Person | None = None) -> Ballot:
    """Staff enter a paper ballot (纸质票): event ballot.paper_entered. An owners' vote needs the unit; a unit
    that already voted online (or on paper) is refused with 409 already_voted, so online and paper ballots are
    merged without double counting. A meeting vote needs the voter, a participant signed in."""
    _require_votes(actor, vote, _("只有本级或上级的社区两委、街道和区级干部可以录入纸质票。"))
    if vote.method == VoteMethod.HANDS:
        raise Conflict("hands_only", _("举手表决请登记举手人数。"))
    _check_choice(vote, choice)
    try:
        return _enter_paper(actor, vote, choice, household_id, voter)
    except IntegrityError:
        raise _already_voted(vote, household_id if vote.method == VoteMethod.OWNERS else None) from None


@transaction.atomic
def _enter_paper(actor, vote: Vote, choice: str, household_id: int | None, voter: Person | None) -> Ballot:
    _lock_open(vote)
    proxy = None
    if vote.method == VoteMethod.OWNERS:
        if household_id is None:
            raise DomainError("household_required", _("请选择纸质票所属的户。"), details={"field": "household_id"})
        owners = selectors.unit_owners(household_id, vote.scope_area.path)
        if not owners:
            _unit_not_voting(actor, vote, household_id)
        voter, proxy = _paper_voter(vote, household_id, voter, owners)
        _check_same_way(vote, household_id, _mobiles(owners), choice)
    else:
        if voter is None:
            raise DomainError("voter_required", _("请选择投票人。"), details={"field": "voter_id"})
        household_id = None
        _check_participant(actor, vote, voter)
    ballot = _store(vote, voter=voter, choice=choice,
                    household_id=household_id, proxy=proxy, channel=BallotChannel.PAPER, recorded_by=actor)
    _ballot_event(ballot, vote, actor, choice, "ballot.paper_entered")
    return ballot


@transaction.atomic
def proxy_record(*, actor, vote: Vote, household_id: int, grantor: Person, holder: Person,
                 document: str) -> Proxy:
    """Record a written proxy (书面委托) for one unit in an owners' vote: event proxy.recorded on the vote.
    The grantor must own the unit, the holder must be someone else, one proxy per unit, and only before the
    unit has voted."""
    _require_votes(actor, vote, _("只有本级或上级的社区两委、街道和区级干部可以登记书面委托。"))
    if vote.method != VoteMethod.OWNERS:
        raise DomainError("owners_only", _("只有业主共同决定可以委托投票。"))
    document = (document or "").strip()
    if not document or len(document) > 200:
        raise DomainError("required", _("请填写委托书编号或说明（不超过 200 字）。"), details={"field": "document"})
    if holder.pk == grantor.pk or (holder.mobile and holder.mobile == grantor.mobile):
        raise DomainError("proxy_self", _("不能委托给本人。"), details={"field": "holder_id"})
    _lock_open(vote)
    owners = selectors.unit_owners(household_id, vote.scope_area.path)
    if not owners:
        _unit_not_voting(actor, vote, household_id)
    if grantor.pk not in {pk for pk, _ in owners}:
        raise DomainError("grantor_not_owner", _("委托人须为该户的业主。"), details={"field": "grantor_id"})
    if Ballot.objects.filter(vote=vote, household_id=household_id).exists():
        raise Conflict("already_voted", _("该户已经投票，不能再登记委托。"), details={"household_id": household_id})
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(vote=vote, household_id=household_id, grantor=grantor, holder=holder,
                                         document=document, recorded_by=actor)
    except IntegrityError:
        raise Conflict("proxy_exists", _("该户已登记书面委托，每户只能委托一人。"),
                       details={"household_id": household_id}) from None
    event_append(subject=vote, kind="proxy.recorded", actor=actor, payload={
        "proxy": proxy.pk, "household": household_id, "grantor": grantor.pk, "holder": holder.pk,
        "document": document})
    return proxy


def _clean_counts(vote: Vote, counts: dict[str, int]) -> dict[str, int]:
    unknown = set(counts) - set(vote.options)
    if unknown:
        raise DomainError("invalid_choice", _("没有选项“%(unknown)s”。") % {"unknown": list_words(sorted(unknown))}, details={"field": "counts"})
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in counts.values()):
        raise DomainError("invalid_counts", _("举手人数须为不小于 0 的整数。"), details={"field": "counts"})
    return {option: counts.get(option, 0) for option in vote.options}


@transaction.atomic
def hands_record(*, actor, vote: Vote, counts: dict[str, int]) -> Vote:
    """Record (or correct) the show-of-hands counts while the vote is open: event vote.hands_recorded. Their
    sum cannot exceed those present (the participants signed in)."""
    _require_votes(actor, vote, _("只有本级或上级的社区两委、街道和区级干部可以登记举手人数。"))
    if vote.method != VoteMethod.HANDS:
        raise Conflict("not_hands", _("只有举手表决需要登记举手人数。"))
    counts = _clean_counts(vote, counts)
    locked = Vote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=vote.pk)
    _check_open(locked.status, locked.closes_at)
    present = selectors.present_count(locked)
    if sum(counts.values()) > present:
        raise DomainError("hands_exceed", _("举手人数合计 %(total)s 人，超过出席人数 %(present)s 人。") % {"total": sum(counts.values()), "present": present},
                          details={"field": "counts", "present": present})
    locked.hands = {"counts": counts, "present": present, "recorded_at": timezone.now().isoformat()}
    locked.save(update_fields=["hands"])
    event_append(subject=locked, kind="vote.hands_recorded", actor=actor, payload=locked.hands)
    vote.hands = locked.hands
    return locked


# ---------------------------------------------------------------- closing


@transaction.atomic
def vote_close(*, actor, vote: Vote) -> Vote:
    """Close the vote (`open → closed`, event vote.closed) and store the full count in `Vote.result`. The row
    lock (FOR UPDATE) waits for casts under way; none gets in after."""
    _require_votes(actor, vote)
    locked = Vote.objects.select_for_update(of=("self",)).select_related("meeting", "scope_area").get(pk=vote.pk)
    if locked.status != VoteStatus.OPEN:
        raise Conflict("vote_closed", _("表决已经结束。"))
    if locked.method == VoteMethod.HANDS and not (locked.hands or {}).get("counts"):
        raise Conflict("hands_missing", _("请先登记举手人数，再结束表决。"))
    with translation.override(settings.LANGUAGE_CODE):  # the stored count is a record, in the site's language
        result = selectors.vote_tally(locked)
    closed = transition(locked, to=VoteStatus.CLOSED, actor=actor, table=VOTE_TRANSITIONS, kind="vote.closed",
                        payload={"passed": result["passed"], "lines": result["lines"],
                                 # the secret counters as closed (what `verify` reconciles OptionCount against)
                                 **({"secret_counts": result["counts"]} if locked.method == VoteMethod.SECRET
                                    else {})},
                        changes={"result": result, "closed_at": timezone.now()})
    vote.status, vote.result, vote.closed_at = closed.status, closed.result, closed.closed_at
    return closed
