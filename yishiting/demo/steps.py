"""The steps of the loop as the demo's people take them: each one call of a real service, as its actor.

Kept apart from the stories (stories.py), which decide when each step happens and where a matter stops.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw

from yishiting.areas.models import Area, Person
from yishiting.deliberation.choices import EIGHT_PARTIES, MeetingForm, NextStep, Party, TopicStatus, VenueKind
from yishiting.deliberation.models import Meeting, Resolution, Topic, Venue
from yishiting.deliberation.selectors.parties import count_parties, holder_candidates, party_scope
from yishiting.deliberation.services.meetings import (
    meeting_close,
    meeting_notify,
    meeting_plan,
    meeting_start,
    venue_save,
)
from yishiting.deliberation.services.procedure import participant_sign_in, resolution_record, step_record
from yishiting.deliberation.services.topics import opinion_enter, topic_analyse
from yishiting.demands.choices import Channel, Nature, Outcome, ReporterKind
from yishiting.demands.models import Category, Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.choices import SubjectKind
from yishiting.handling.models import Notice, Task
from yishiting.handling.services.notices import notice_draft, notice_publish
from yishiting.handling.services.tasks import task_accept, task_assign, task_report, task_submit, task_verify

from .cast import Cast
from .texts import MEETING_STEPS

PLAN = [{"when": "公示期满后 10 日内", "what": "确定施工单位、采购材料", "who": "物业项目经理"},
        {"when": "其后 20 日内", "what": "组织实施并清理现场", "who": "责任单位负责人"},
        {"when": "完工后 3 日内", "what": "居民代表现场验收", "who": "社区居委会"}]

_categories: dict[str, Category] = {}


def photo(number: int) -> tuple[str, bytes]:
    """A small site photo (a drawn scene: sky, a building, the ground), different for each number."""
    image = Image.new("RGB", (320, 240), (150 + number * 13 % 90, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 320, 240), fill=(120, 110 + number * 7 % 60, 90))
    left = 40 + number * 37 % 140
    draw.rectangle((left, 60, left + 110, 170), fill=(200, 180 - number * 11 % 60, 150))
    for row in range(3):
        for col in range(3):
            x, y = left + 12 + col * 34, 75 + row * 30
            draw.rectangle((x, y, x + 18, y + 16), fill=(90, 120, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return f"现场照片{number}.jpg", out.getvalue()


def category(name: str) -> Category | None:
    if not _categories:
        _categories.update({c.name: c for c in Category.objects.all()})
    return _categories.get(name)


class Steps:
    """One method per step of the loop, bound to the demo's cast."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.venues: dict[int, Venue] = {}
        # Where on the estate's plan a demand is (demo/plan.py): residents tap it, grid workers' phones give it.
        self.locate: Callable[[Area, str], tuple[Decimal, Decimal] | None] = lambda area, text: None

    # ---- 集 定 ----

    def submit(self, spec: tuple[str, str, str], *, area: Area, actor: str = "resident", reporter: Person | None = None,
               channel: str = Channel.ONLINE, actor_user=None, words: dict | None = None,
               photos: tuple[int, ...] = ()) -> Demand:
        """A demand: the resident's own (actor "resident"), or entered for `reporter` by staff (代录); with
        `photos`, site photos taken on the phone (real JPEGs, through the demand photo service)."""
        name, urgency, text = spec
        text = text.format(**(words or self.cast.places()))
        kind = ReporterKind.ON_BEHALF if reporter is not None else ReporterKind.SELF
        latitude, longitude = self.locate(area, text) or (None, None)
        return demand_submit(actor=actor_user or self.cast.user(actor), submission=Submission(
            text=text, area=area, channel=channel, category=category(name), urgency=urgency, reporter_kind=kind,
            reporter=reporter, consent_recorded=reporter is not None, photos=[photo(n)[1] for n in photos],
            latitude=latitude, longitude=longitude))

    def to_topic(self, demand: Demand, title: str, *, actor: str = "community_staff") -> Topic:
        demand = demand_screen(actor=self.cast.user(actor), demand=demand, decision=Decision(
            outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="涉及小区居民共同利益的公共事务，提交协商",
            topic_title=title.format(**self.cast.places())))
        return Topic.objects.get(pk=demand.topic_id)

    def opinions(self, topic: Topic, people: list[Person], opinions: list[tuple[str, str]]) -> None:
        """The grid worker records what neighbours said door to door (入户征求意见)."""
        for person, (stance, text) in zip(people, opinions, strict=False):
            opinion_enter(actor=self.cast.user("grid_worker"), topic=topic, person=person, stance=stance, text=text)

    def analyse(self, topic: Topic, spec: dict) -> Topic:
        return topic_analyse(actor=self.cast.user("community_secretary"), topic=topic, analysis=spec["analysis"],
                             draft_plan=spec["plan"])

    # ---- 议 ----

    def venue(self, community: Area, actor_user) -> Venue:
        if community.pk not in self.venues:
            self.venues[community.pk] = venue_save(
                actor=actor_user, name=f"{community.name}议事厅", kind=VenueKind.HALL, area=community, capacity=40,
                address=f"{community.name}党群服务中心二楼")
        return self.venues[community.pk]

    def invitees(self, topic: Topic) -> list[tuple[Person, str, bool]]:
        """1+8+N: the resident and neighbours, the grid worker, and whoever holds the other parties' roles."""
        cast, community = self.cast, self.cast.community
        people = [(cast.person("resident"), Party.RESIDENT, True), (cast.person("grid_worker"), Party.GRID_WORKER, True),
                  (cast.person("community_staff"), Party.STAFF, True)]
        people += [(p, Party.STAKEHOLDER, True) for p in cast.neighbours[:3]]
        for role, party in (("deputy", Party.DEPUTY), ("lawyer", Party.LEGAL_ADVISER)):
            holder = cast.holder(role, community)
            if holder is not None:
                people.append((holder, party, True))
        manager = cast.holder("org_representative", cast.estate)
        if manager is not None:
            people.append((manager, Party.PROPERTY, True))
        seen: set[int] = set()
        people = [p for p in people if not (p[0].pk in seen or seen.add(p[0].pk))]
        return people + self.holders(topic, people)

    def holders(self, topic: Topic, people: list[tuple[Person, str, bool]]) -> list[tuple[Person, str, bool]]:
        """Whoever really holds each party the template requires and nobody above fills (the estate's owners'
        committee, the community's social organisation and “双报到” unit): the check counts only real holders."""
        scope = party_scope(topic.level_area, [topic])
        filled = count_parties([(p.pk, party) for p, party, _council in people], scope).present
        ids, more = [p.pk for p, *_rest in people], []
        for party in topic.template.required_parties:
            if party in filled or party not in EIGHT_PARTIES:
                continue
            found, _more = holder_candidates(party, scope, Person.objects.all(), exclude=ids, limit=1)
            for person, _role in found:
                more.append((person, party, True))
                ids.append(person.pk)
        return more

    def plan(self, topic: Topic, starts_at: datetime, title: str = "") -> Meeting:
        cast = self.cast
        secretary = cast.user("community_secretary")
        meeting = meeting_plan(
            actor=secretary, title=title or f"“{topic.title}”协商会", form=MeetingForm.ROUND_TABLE,
            template=topic.template, level_area=topic.level_area, venue=self.venue(cast.community, secretary),
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), chair=cast.person("community_secretary"),
            topics=[topic], participants=self.invitees(topic), requirements="请携带相关材料，准时参加。")
        return meeting_notify(actor=secretary, meeting=meeting)

    def open_meeting(self, meeting: Meeting, topic: Topic) -> Meeting:
        """On the day: the clerk signs everyone in, the chair opens the meeting, the clerk records the steps."""
        clerk = self.cast.user("community_staff")
        for participant in meeting.participants.order_by("pk"):
            participant_sign_in(actor=clerk, meeting=meeting, code=participant.sign_in_code)
        meeting = meeting_start(actor=self.cast.user("community_secretary"), meeting=meeting)
        speakers = {p.party: p.person for p in meeting.participants.select_related("person").order_by("pk")}
        for kind, party, text in MEETING_STEPS:
            if party and party not in speakers:
                continue
            step_record(actor=clerk, meeting=meeting, kind=kind, text=text, topic=topic,
                        speaker=speakers.get(party), party=party)
        return meeting

    def resolve(self, meeting: Meeting, topic: Topic, text: str) -> Resolution:
        secretary = self.cast.user("community_secretary")
        resolution = resolution_record(actor=secretary, meeting=meeting, topic=topic, text=text,
                                       next_step=NextStep.PUBLICITY)
        meeting_close(actor=secretary, meeting=meeting)
        return resolution

    # ---- 公 ----

    def draft(self, resolution: Resolution) -> Notice:
        return notice_draft(actor=self.cast.user("community_secretary"), resolution=resolution, plan=PLAN,
                            responsible=f"{self.cast.community.name}居民委员会")

    def publish(self, notice: Notice) -> Notice:
        return notice_publish(actor=self.cast.user("community_secretary"), notice=notice)

    # ---- 办 ----

    def assign(self, topic: Topic | None, title: str, *, resolution: Resolution | None = None, days: int | None = None,
               deadline=None, handler: str = "handler") -> Task:
        cast = self.cast
        if topic is not None:
            topic.refresh_from_db()  # the tick and the review moved it on since the story last held it
        return task_assign(
            actor=cast.user("community_staff"), title=title, area=topic.level_area if topic else cast.estate,
            handler=cast.person(handler), subject_kind=SubjectKind.UNIT, organization=cast.handler_org,
            topic=topic, resolution=resolution, deadline=deadline, deadline_days=days,
            supervisor=cast.person("community_staff"), standard="按决议内容完成，现场照片佐证，居民代表验收")

    def start(self, task: Task) -> Task:
        return task_accept(actor=self.cast.user("handler"), task=task)

    def report(self, task: Task, text: str, percent: int) -> None:
        task_report(actor=self.cast.user("handler"), task=task, text=text, percent=percent,
                    photos=[photo(task.pk * 10 + percent)])

    def finish(self, task: Task, evidence: str) -> Task:
        task_submit(actor=self.cast.user("handler"), task=task, evidence=evidence, files=[photo(task.pk * 10 + 9)])
        return task_verify(actor=self.cast.user("community_staff"), task=task, approve=True, note="现场核验合格")

    def topic_status(self, topic: Topic) -> str:
        return Topic.objects.values_list("status", flat=True).get(pk=topic.pk)

    def is_handling(self, topic: Topic) -> bool:
        return self.topic_status(topic) == TopicStatus.HANDLING
