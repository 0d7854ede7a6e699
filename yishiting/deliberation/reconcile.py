"""What the events of topics, meetings, votes and ballots establish about their rows (`yishiting verify`).

A ballot's event (ballot.cast, ballot.paper_entered) records its vote, unit, channel, proxy and — except for a
secret ballot, whose event says that but never what — its choice; the row must say the same. Topics, meetings
and votes move only by `transition()`: their status is the one their events end in.

Rows without a chain of their own are reconciled with their parent's chain and named by their own id:
- a resolution (协商决议) by its topic's topic.resolution event: meeting and next step, and (since this release)
  digests of its text, reason and vote results;
- a vote's stored result (Vote.result: passed, and its lines) by its vote.closed event, and a show of hands
  (Vote.hands: counts and those present) by the last vote.hands_recorded;
- a written proxy (书面委托) by its vote's proxy.recorded event: unit, grantor, holder, document;
- a secret vote's counters (OptionCount) by its vote.closed event (since this release: "secret_counts"), and
  while it is open by the ballots cast: the counters must add up to the ballot events of that vote.
- a resident's opinion by its topic's opinion.given / opinion.changed events: stance, channel, and (since this
  release) the person and a digest of the text.
A meeting's chain says what its row holds (meeting.planned: title, form, venue, chair, times) and what its
children hold, named by their own id: each participant (meeting.planned's roster since this release, then
meeting.participant_invited / _withdrawn / meeting.signed_in: person, party, council seat, signed in or not),
each recorded step by its number in the meeting (meeting.step: kind, topic, party, speaker, and since this
release a digest of the text). A topic's attachments by topic.attached (since this release with the row's id and
size: name, SHA-256 of the stored file, size); older attachment events name no row: "cannot reconcile".
A venue has its own chain (venue.created, venue.updated): name, area, capacity, and (since this release) its
kind, address and whether it is in use. Values older events lack are "cannot reconcile" (UNKNOWN), never a silent pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, F
from django.utils.dateparse import parse_datetime

from yishiting.common.models import Event
from yishiting.common.reconcile import (
    UNKNOWN,
    Finding,
    json_digest,
    register,
    register_check,
    register_status,
    text_digest,
)

from .choices import VoteMethod, VoteStatus
from .models import Ballot, Meeting, Topic, Venue, Vote

PARTICIPANT_FIELDS = {"person": "人员", "party": "代表方", "council": "议事会成员", "signed": "签到"}
STEP_FIELDS = {"kind": "环节", "topic": "议题", "party": "代表方", "speaker": "发言人", "text": "内容"}
ATTACHMENT_FIELDS = {"name": "文件名", "sha": "SHA-256", "size": "大小"}
MEETING_LABELS = {"title": "会议名称", "agenda": "议程（议题及顺序）", "form": "形式", "venue": "场所", "chair": "主持人", "starts_at": "开始时间",
                  "ends_at": "结束时间", **{f"participant_{k}:": f"参会人员（{v}）" for k, v in PARTICIPANT_FIELDS.items()},
                  **{f"step_{k}:": f"会议记录（{v}）" for k, v in STEP_FIELDS.items()}}

BALLOT_KINDS = ("ballot.cast", "ballot.paper_entered")
BALLOT_LABELS = {"choice": "选择", "household": "专有部分（户）", "vote": "表决", "channel": "方式", "proxy": "依据委托"}
OPINION_LABELS = {"opinion_stance:": "居民意见（态度）", "opinion_channel:": "居民意见（方式）",
                  "opinion_person:": "居民意见（居民）", "opinion_text:": "居民意见（内容）"}
VENUE_LABELS = {"name": "名称", "area": "所属区域", "capacity": "容纳人数", "active": "启用", "kind": "类型",
                "address": "地址"}
TOPIC_LABELS = {**OPINION_LABELS, **{f"attachment_{k}:": f"议题附件（{v}）" for k, v in ATTACHMENT_FIELDS.items()}, "resolution_meeting:": "协商决议（会议）", "resolution_step:": "协商决议（下一步）",
                     "resolution_text:": "协商决议（内容）", "resolution_reason:": "协商决议（理由）",
                     "resolution_votes:": "协商决议（表决结果）"}
PROXY_FIELDS = {"household": "户", "grantor": "委托人", "holder": "受托人", "document": "委托书"}
VOTE_LABELS = {"passed": "表决结果（是否通过）", "lines": "表决结果（计票说明）", "count:": "无记名计数", "hands:": "举手人数",
               "hands_present": "举手表决出席人数", **{f"proxy_{k}:": f"书面委托（{v}）" for k, v in PROXY_FIELDS.items()}}


def ballot_expect(events: list[Event]) -> dict[str, Any]:
    cast = next((e.payload for e in events if e.kind in BALLOT_KINDS), None)
    if cast is None:
        return dict.fromkeys(BALLOT_LABELS, UNKNOWN)
    return {"choice": cast.get("choice", ""), "household": cast.get("household"), "vote": cast.get("vote"),
            "channel": cast.get("channel"), "proxy": cast.get("proxy")}


def ballot_actual(ballot: Ballot) -> dict[str, Any]:
    return {"choice": ballot.choice, "household": ballot.household_id, "vote": ballot.vote_id,
            "channel": ballot.channel, "proxy": ballot.proxy_id}


def topic_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        if event.kind == "topic.resolution":
            pk, p = event.payload.get("resolution"), event.payload
            found.update({f"resolution_meeting:{pk}": p.get("meeting"), f"resolution_step:{pk}": p.get("next_step"),
                          f"resolution_text:{pk}": p.get("text_sha256", UNKNOWN),
                          f"resolution_reason:{pk}": p.get("reason_sha256", UNKNOWN),
                          f"resolution_votes:{pk}": p.get("votes_sha256", UNKNOWN)})
        elif event.kind == "topic.attached":
            found.update(_attachment_expect(event.payload))
        elif event.kind in ("opinion.given", "opinion.changed"):
            pk, p = event.payload.get("opinion"), event.payload
            found.update({f"opinion_stance:{pk}": p.get("stance"), f"opinion_channel:{pk}": p.get("channel"),
                          f"opinion_person:{pk}": p.get("person", UNKNOWN),
                          f"opinion_text:{pk}": p.get("text_sha256", UNKNOWN)})
    return found


def topic_actual(topic: Topic) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for o in topic.opinions.all():
        found.update({f"opinion_stance:{o.pk}": o.stance, f"opinion_channel:{o.pk}": o.channel,
                      f"opinion_person:{o.pk}": o.person_id, f"opinion_text:{o.pk}": text_digest(o.text)})
    for a in topic.attachments.all():
        found.update({f"attachment_name:{a.pk}": a.name, f"attachment_sha:{a.pk}": a.sha256,
                      f"attachment_size:{a.pk}": a.size})
    for r in topic.resolutions.all():
        found.update({f"resolution_meeting:{r.pk}": r.meeting_id, f"resolution_step:{r.pk}": r.next_step,
                      f"resolution_text:{r.pk}": text_digest(r.text), f"resolution_reason:{r.pk}": text_digest(r.reason),
                      f"resolution_votes:{r.pk}": json_digest(r.votes)})
    return found


def _attachment_expect(p: dict) -> dict[str, Any]:
    pk = p.get("attachment")
    if pk is None:  # written before attachment events named their row: none of the rows can be told apart
        return {f"attachment_{k}:*": UNKNOWN for k in ATTACHMENT_FIELDS}
    return {f"attachment_name:{pk}": p.get("name"), f"attachment_sha:{pk}": p.get("sha256"),
            f"attachment_size:{pk}": p.get("size", UNKNOWN)}


def moment(value: Any) -> str | None:
    """A time as the event's JSON spells it (DjangoJSONEncoder: milliseconds) and as the row holds it, alike."""
    when = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(when, datetime):
        return None if value is None else str(value)
    return when.astimezone(UTC).replace(microsecond=when.microsecond // 1000 * 1000).isoformat()


def _participant(p: dict, *, council: Any = UNKNOWN) -> dict[str, Any]:
    pk = p.get("participant")
    return {f"participant_person:{pk}": p.get("person"), f"participant_party:{pk}": p.get("party"),
            f"participant_council:{pk}": p.get("council", council), f"participant_signed:{pk}": False}


def _agenda(topics) -> str:
    """The agenda's topics in their order, one comparable value ("12,15")."""
    return ",".join(str(pk) for pk in topics)


def meeting_expect(events: list[Event]) -> dict[str, Any]:
    """The plan (with its roster since this release), then invitations, withdrawals, sign-ins and steps."""
    found: dict[str, Any] = {}
    for event in events:
        p = event.payload
        if event.kind == "meeting.planned":
            found.update({"title": p.get("title"), "form": p.get("form"), "venue": p.get("venue"),
                          "chair": p.get("chair"), "starts_at": moment(p.get("starts_at")),
                          "ends_at": moment(p.get("ends_at")), "agenda": _agenda(p.get("topics") or [])})
            if "participants" not in p:
                found.update({f"participant_{k}:*": UNKNOWN for k in PARTICIPANT_FIELDS})
            for invited in p.get("participants", []):
                found.update(_participant(invited))
        elif event.kind == "meeting.participant_invited":
            found.update(_participant(p))
        elif event.kind == "meeting.participant_withdrawn":
            for key in PARTICIPANT_FIELDS:
                found.pop(f"participant_{key}:{p.get('participant')}", None)
        elif event.kind == "meeting.signed_in":
            found[f"participant_signed:{p.get('participant')}"] = True
        elif event.kind == "meeting.step":
            seq = p.get("seq")
            found.update({f"step_kind:{seq}": p.get("kind"), f"step_topic:{seq}": p.get("topic"),
                          f"step_party:{seq}": p.get("party"), f"step_speaker:{seq}": p.get("speaker"),
                          f"step_text:{seq}": p.get("text_sha256", UNKNOWN)})
    return found


def meeting_actual(meeting: Meeting) -> dict[str, Any]:
    found: dict[str, Any] = {"title": meeting.title, "form": meeting.form, "venue": meeting.venue_id,
                             "chair": meeting.chair_id, "starts_at": moment(meeting.starts_at),
                             "ends_at": moment(meeting.ends_at),
                             "agenda": _agenda(item.topic_id for item in meeting.agenda.all())}
    for x in meeting.participants.all():
        found.update({f"participant_person:{x.pk}": x.person_id, f"participant_party:{x.pk}": x.party,
                      f"participant_council:{x.pk}": x.is_council_member,
                      f"participant_signed:{x.pk}": x.signed_in_at is not None})
    for step in meeting.steps.all():
        found.update({f"step_kind:{step.seq}": step.kind, f"step_topic:{step.seq}": step.topic_id,
                      f"step_party:{step.seq}": step.party, f"step_speaker:{step.seq}": step.speaker_id,
                      f"step_text:{step.seq}": text_digest(step.text)})
    return found


def vote_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    opened = next((e.payload for e in events if e.kind == "vote.opened"), {})
    for event in events:
        if event.kind == "proxy.recorded":
            pk = event.payload.get("proxy")
            found.update({f"proxy_{key}:{pk}": event.payload.get(key) for key in PROXY_FIELDS})
        if event.kind == "vote.hands_recorded":  # a correction replaces the earlier counts whole
            found = {k: v for k, v in found.items() if not k.startswith("hands")}
            found.update({f"hands:{option}": n for option, n in event.payload.get("counts", {}).items()})
            found["hands_present"] = event.payload.get("present")
        if event.kind == "vote.closed":  # the stored count residents see: its verdict and its lines
            found.update({"passed": event.payload.get("passed"), "lines": json_digest(event.payload.get("lines"))})
        if event.kind == "vote.closed" and opened.get("method") == VoteMethod.SECRET:
            counts = event.payload.get("secret_counts")
            found.update({f"count:{option}": UNKNOWN for option in opened.get("options", [])} if counts is None
                         else {f"count:{option}": n for option, n in counts.items()})
    return found


def vote_actual(vote: Vote) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for p in vote.proxies.all():
        found.update({f"proxy_household:{p.pk}": p.household_id, f"proxy_grantor:{p.pk}": p.grantor_id,
                      f"proxy_holder:{p.pk}": p.holder_id, f"proxy_document:{p.pk}": p.document})
    if vote.hands:
        found.update({f"hands:{option}": n for option, n in vote.hands.get("counts", {}).items()})
        found["hands_present"] = vote.hands.get("present")
    if vote.result:
        found.update({"passed": vote.result.get("passed"), "lines": json_digest(vote.result.get("lines"))})
    if vote.method == VoteMethod.SECRET and vote.status == VoteStatus.CLOSED:
        found.update({f"count:{c.option}": c.count for c in vote.option_counts.all()})
    return found


def venue_expect(events: list[Event]) -> dict[str, Any]:
    """The latest venue.created / venue.updated says everything (older ones lack kind and address; a venue
    created inactive before this release does not say so: its state is unknown until it is next saved)."""
    found: dict[str, Any] = dict.fromkeys(VENUE_LABELS, UNKNOWN)
    for event in events:
        if event.kind in ("venue.created", "venue.updated"):
            found = {key: event.payload.get(key, UNKNOWN) for key in VENUE_LABELS}
    return found


def venue_actual(venue: Venue) -> dict[str, Any]:
    return {"name": venue.name, "area": venue.area.code, "capacity": venue.capacity, "active": venue.is_active,
            "kind": venue.kind, "address": venue.address}


def secret_tallies() -> Iterator[Finding]:
    """A secret vote's counters add up to the ballots cast in it (their events), open or closed."""
    votes = {pk: total for pk, total in _secret_totals()}
    if not votes:
        return
    cast = Counter(Event.objects.filter(subject_type="deliberation.ballot", kind__in=BALLOT_KINDS,
                                        payload__vote__in=list(votes)).values_list("payload__vote", flat=True))
    for pk, total in sorted(votes.items()):
        if total != cast.get(pk, 0):
            yield Finding("deliberation.vote", str(pk), [
                f"无记名计数合计 {total} 票，与投票事件记录的 {cast.get(pk, 0)} 张选票不符"])


def topic_counters() -> Iterator[Finding]:
    """The topic index shows each topic's stored demand count (Topic.demand_count, kept by topic_demand_add):
    it must equal the demands that name the topic. One grouped query, whatever the number of topics."""
    wrong = (Topic.objects.annotate(gathered=Count("demands")).exclude(demand_count=F("gathered"))
             .order_by("pk").values_list("pk", "demand_count", "gathered"))
    for pk, stored, gathered in wrong:
        yield Finding("deliberation.topic", str(pk), [f"记录的关联诉求数 {stored} 件，实际关联 {gathered} 件"])


def _secret_totals() -> Iterator[tuple[int, int]]:
    for vote in Vote.objects.filter(method=VoteMethod.SECRET).prefetch_related("option_counts").order_by("pk"):
        yield vote.pk, sum(c.count for c in vote.option_counts.all())


def install() -> None:
    register("deliberation.ballot", expect=ballot_expect, actual=ballot_actual, labels=BALLOT_LABELS)
    register_status(Topic, also=topic_expect, also_actual=topic_actual, labels=TOPIC_LABELS,
                    queryset=lambda: Topic.objects.prefetch_related("resolutions", "opinions", "attachments"))
    register("deliberation.venue", expect=venue_expect, actual=venue_actual, labels=VENUE_LABELS,
             queryset=lambda: Venue.objects.select_related("area"))
    register_status(Vote, also=vote_expect, also_actual=vote_actual, labels=VOTE_LABELS,
                    queryset=lambda: Vote.objects.prefetch_related("proxies", "option_counts"))
    register_status(Meeting, also=meeting_expect, also_actual=meeting_actual, labels=MEETING_LABELS,
                    queryset=lambda: Meeting.objects.prefetch_related("participants", "steps", "agenda"))
    register_check("deliberation.secret_tallies", secret_tallies)
    register_check("deliberation.topic_counters", topic_counters)
