"""The stories of the persona community: each matter walks the loop through the services and stops where the
demo needs it (a topic still asking for opinions, a meeting running today, a notice in its window, a task
overdue, a round being rated, dossiers archived).

A story is a generator: it yields the moment its next step happens and the scheduler (history.py) resumes it
then, with the clock at that moment, interleaved with the other stories and the daily `tick`. `wait` yields
day after day until a condition holds (the scheduled job completing a notice, closing a round …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
from yishiting.deliberation.services.votes import ballot_enter_paper, vote_cast, vote_open
from yishiting.demands.choices import Channel, Nature, Outcome
from yishiting.demands.models import ConsultationRule
from yishiting.demands.screening import Decision, demand_merge, demand_screen
from yishiting.grid.demo import grid_story
from yishiting.handling.choices import MemberRole, ReviewStatus, RoundStatus, SupervisionKind
from yishiting.handling.models import EvaluationRound, LegalReview, Notice
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.services.evaluation import rating_give
from yishiting.handling.services.notices import legal_review_decide, objection_answer, objection_raise
from yishiting.handling.services.supervision import bulletin_post, supervision_member_add, supervision_record
from yishiting.handling.services.tasks import task_accept, task_submit, task_verify

from .alliances import alliance_story
from .appointments import appointments_story
from .cadres import cadres_story
from .canteens import canteen_story
from .clock import Clock
from .ledgers import ledgers_story
from .legal import legal_story
from .liaison import liaison_story
from .mediation import MediationStory
from .oversight import five_parties
from .participation import participation_story
from .steps import Steps, photo
from .texts import HOTLINE, PRIVATE, PRIVATE_REASON, RATINGS, RESIDENT_OWN, TOPICS
from .trusts import trusts_story
from .volunteers import volunteer_story
from .whistles import whistles_story
from .wishes import wishes_story

Story = Iterator[datetime]


class Stories:
    def __init__(self, steps: Steps, clock: Clock) -> None:
        self.s, self.c, self.cast = steps, clock, steps.cast

    def all(self) -> list[Story]:
        return [self.archived(0, 96), self.archived(1, 78), self.lift_repair(), self.clutter(), self.light(),
                self.draft_notice(), self.noise(), self.elevator(), self.sorting(), self.parking(),
                self.direct(), self.inbox(), legal_story(self.cast, self.at), volunteer_story(self.cast, self.at),
                wishes_story(self.cast, self.at), appointments_story(self.cast, self.at),
                *MediationStory(self.cast, self.at).all(), participation_story(self.cast, self.at),
                canteen_story(self.cast, self.c), liaison_story(self.cast, self.at),  # 挂点联系、代表联系群众 (issue 20)
                grid_story(self.cast, self.at, self.c.working_day),  # 网格工作 (issue 20)
                whistles_story(self.cast, self.at),  # 吹哨·应哨 (issue 20)
                alliance_story(self.cast, self.at),  # 党建联盟 (issue 21)
                cadres_story(self.cast, self.at),  # 干部成长档案与践诺清单 (issue 21)
                trusts_story(self.cast, self.at),  # 信托制物业、业委会公开 (issue 21)
                ledgers_story(self.cast, self.at)]  # 积分、积分超市、时间银行 (issue 19): credits what the others earned

    def at(self, back: int, hour: int = 9, minute: int = 0) -> datetime:
        return self.c.days_ago(back, hour, minute)

    def wait(self, done: Callable[[], bool], hour: int = 10) -> Story:
        """Yield each following day at `hour` until `done()` (the daily tick runs at 00:30)."""
        while not done():
            day = (self.c.now() + timedelta(days=1)).date()
            if day > self.c.today:
                raise RuntimeError("演示历史：等待的事情在今天之前没有发生")
            yield self.c.at(day, hour)

    # ---- the whole loop, ending in 一事一档 ----

    def _through_meeting(self, spec: dict, start: int, demand_spec=None) -> Story:
        """集 定 议: demand → topic → opinions → analysis → meeting planned, held, resolved. Stores self.topic …"""
        words = self.cast.places()
        yield self.at(start, 8, 40)
        demand = self.s.submit(demand_spec or spec["demand"], area=self.cast.building,
                               actor="resident" if demand_spec else "grid_worker",
                               reporter=None if demand_spec else self.cast.neighbours[start % 4],
                               channel=Channel.ONLINE if demand_spec else Channel.PATROL)
        yield self.at(start - 1, 10)
        topic = self.s.to_topic(demand, spec["title"])
        yield self.at(start - 2, 15)
        self.s.opinions(topic, self.cast.neighbours, [("support", "同意，早点办。"), ("support", "支持。"),
                                                      ("other", "施工时注意安全，别影响老人出行。")])
        yield self.at(start - 4, 16)
        self.s.analyse(topic, spec)
        yield self.at(start - 5, 11)
        meeting = self.s.plan(topic, self.at(start - 9, 19))
        yield self.at(start - 9, 19, 5)
        self.s.open_meeting(meeting, topic)
        resolution = self.s.resolve(meeting, topic, spec.get("resolution") or spec["plan"])
        self._matter = (demand, topic, resolution, words)

    def _publicise(self, resolution, back: int) -> Story:
        yield self.at(back, 9, 30)
        notice = self.s.publish(self.s.draft(resolution))
        yield from self.wait(lambda: Notice.objects.get(pk=notice.pk).status != Notice.Status.PUBLISHED)
        review = LegalReview.objects.filter(notice=notice, status=ReviewStatus.PENDING).first()
        if review is not None:  # a major matter: the street reviews it before handling
            legal_review_decide(actor=self.cast.user("street_official"), review=review, approve=True,
                                opinion="程序合法，内容符合法律法规和政策规定，同意实施。")

    def archived(self, which: int, start: int) -> Story:
        spec = TOPICS["archived"][which]
        yield from self._through_meeting(spec, start)
        demand, topic, resolution, _ = self._matter
        yield from self._publicise(resolution, start - 10)
        yield from self.wait(lambda: self.s.is_handling(topic))
        task = self.s.assign(topic, spec["title"].format(**self.cast.places()), resolution=resolution, days=20)
        yield self.c.now() + timedelta(hours=22)
        self.s.start(task)
        for n, text in enumerate(spec["reports"]):
            yield self.c.now() + timedelta(days=3)
            self.s.report(task, text, 50 * (n + 1))
        yield self.c.now() + timedelta(days=1)
        self.s.finish(task, "已按决议完成，居民代表现场验收合格，照片见附件。")
        round_ = EvaluationRound.objects.get(topic=topic, status=RoundStatus.OPEN)
        for n, person in enumerate([self.cast.person("resident"), *self.cast.neighbours[:4]]):
            yield self.c.now() + timedelta(hours=5)
            value, comment = RATINGS[(n + which) % 4]
            rating_give(actor=person.user, value=value, comment=comment, round=round_)
        yield self.c.now() + timedelta(hours=20)
        five_parties(self.cast, round_, which)
        yield from self.wait(lambda: EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.CLOSED)
        dossier_archive(actor=self.cast.user("community_secretary"), topic=topic)

    def lift_repair(self) -> Story:
        """Handled and closed: the evaluation round is open, some neighbours have rated, the resident may rate."""
        spec = TOPICS["lift_repair"]
        yield from self._through_meeting(spec, 45)
        demand, topic, resolution, _ = self._matter
        yield from self._publicise(resolution, 35)
        yield from self.wait(lambda: self.s.is_handling(topic))
        task = self.s.assign(topic, "更换电梯主机和控制柜", resolution=resolution, days=25)
        yield self.c.now() + timedelta(days=1)
        self.s.start(task)
        for back, (n, text) in zip((20, 12), enumerate(spec["reports"]), strict=True):
            yield self.at(back, 17)
            self.s.report(task, text, 40 + 50 * n)
        yield self.at(4, 16)
        self.s.finish(task, "新主机运行正常，已通过特种设备检验，恢复使用。")
        round_ = EvaluationRound.objects.get(topic=topic, status=RoundStatus.OPEN)
        for n, person in enumerate(self.cast.neighbours[:3]):
            yield self.at(3 - n, 20)
            value, comment = RATINGS[n]
            rating_give(actor=person.user, value=value, comment=comment, round=round_)

    def clutter(self) -> Story:
        """In handling: a task in progress with reports, one overdue (warned), one waiting; supervised."""
        spec = TOPICS["clutter"]
        yield from self._through_meeting(spec, 40, RESIDENT_OWN["clutter"])
        demand, topic, resolution, _ = self._matter
        yield from self._publicise(resolution, 30)
        yield from self.wait(lambda: self.s.is_handling(topic))
        secretary = self.cast.user("community_secretary")
        for person, role in ((self.cast.person("community_secretary"), MemberRole.PARTY_ORG),
                             (self.cast.neighbours[1], MemberRole.STAKEHOLDER),
                             (self.cast.person("handler"), MemberRole.IMPLEMENTER)):
            supervision_member_add(actor=secretary, topic=topic, person=person, role=role)
        main = self.s.assign(topic, "集中清理楼道堆物", resolution=resolution, days=40)
        shed = self.s.assign(topic, "东侧电动车集中充电棚建设", resolution=resolution, deadline=self.c.working_day(3))
        yield self.c.now() + timedelta(days=1)
        self.s.start(main)
        self.s.start(shed)
        for back, (n, text) in zip((18, 10, 2), enumerate(spec["reports"]), strict=True):
            yield self.at(back, 16)
            self.s.report(main if n < 2 else shed, text, 30 + 25 * n)
        yield self.at(8, 10)
        supervision_record(actor=self.cast.user("street_official"), kind=SupervisionKind.VISIT, topic=topic,
                           text="督走访：现场查看 1—4 号楼清理情况，要求同步做好消防宣传。", happened_on=self.c.working_day(8))
        bulletin_post(actor=self.cast.user("community_secretary"), topic=topic,
                      text="楼道堆物清理已完成 1—4 号楼，5—12 号楼本月内完成；东侧充电棚正在建设。")
        yield self.at(1, 9)
        self.s.assign(topic, "楼道消防设施检查和补配灭火器", resolution=resolution, days=10)

    def light(self) -> Story:
        """The resident's street lights: the notice is in its window, the resident objected and was answered."""
        spec = TOPICS["light"]
        yield from self._through_meeting(spec, 20, RESIDENT_OWN["light"])
        _, topic, resolution, _ = self._matter
        yield self.at(2, 9, 30)
        notice = self.s.publish(self.s.draft(resolution))
        yield self.at(1, 20)
        objection = objection_raise(actor=self.cast.user("resident"), notice=notice, text=spec["objection"])
        yield self.at(0, 8, 30)
        objection_answer(actor=self.cast.user("community_secretary"), objection=objection, answer=spec["answer"],
                         substantial=False)

    def draft_notice(self) -> Story:
        spec = TOPICS["draft"]
        yield from self._through_meeting(spec, 14)
        _, _, resolution, _ = self._matter
        yield self.at(1, 15)
        self.s.draft(resolution)

    def noise(self) -> Story:
        """A meeting planned for next week, its invitations sent."""
        spec = TOPICS["noise"]
        yield self.at(9, 19)
        demand = self.s.submit(spec["demand"], area=self.cast.estate, actor="grid_worker",
                               reporter=self.cast.neighbours[4], channel=Channel.PATROL)
        yield self.at(8, 10)
        topic = self.s.to_topic(demand, spec["title"])
        self.s.opinions(topic, self.cast.neighbours[1:], spec["opinions"])
        yield self.at(5, 16)
        self.s.analyse(topic, spec)
        yield self.at(1, 11)
        day = self.c.today + timedelta(days=5)
        self.s.plan(topic, self.c.at(day, 19))

    def elevator(self) -> Story:
        """加装电梯: the owners of the building are voting (the resident has not yet), and the meeting on it is
        running today with its show-of-ballots vote open."""
        spec, cast = TOPICS["elevator"], self.cast
        yield self.at(30, 21)
        demand = self.s.submit(RESIDENT_OWN["elevator"], area=cast.building, photos=(1, 2))  # taken on the stairs
        yield self.at(28, 10)
        topic = self.s.to_topic(demand, spec["title"])
        self.s.opinions(topic, cast.neighbours, [("support", "腿脚不好，盼了好多年了。"), ("oppose", "一楼不需要，还挡光。"),
                                                 ("support", "支持，费用分摊要公平。")])
        yield self.at(22, 15)
        self.s.analyse(topic, spec)
        yield self.at(6, 10)
        starts = self.c.end - timedelta(minutes=90)
        meeting = self.s.plan(topic, starts, title=f"{cast.building.name}加装电梯议事会")
        yield self.at(5, 10)
        words = cast.places()
        vote = vote_open(actor=cast.user("community_secretary"), topic=topic, method=VoteMethod.OWNERS,
                         question=spec["vote"].format(**words), rule=VoteRule.ART278, matter=OwnersMatter.REBUILD,
                         scope_area=cast.building, closes_at=self.c.at(self.c.today + timedelta(days=14), 18))
        for n, person in enumerate(cast.neighbours):
            yield self.at(4 - min(n, 4), 19 + n % 3)
            if n % 2:
                vote_cast(actor=person.user, vote=vote, choice="同意" if n != 3 else "反对")
            else:
                ballot_enter_paper(actor=cast.user("community_staff"), vote=vote, choice="同意",
                                   household_id=person.household_id, voter=person)
        yield starts + timedelta(minutes=5)
        self.s.open_meeting(meeting, topic)
        yield starts + timedelta(minutes=50)
        vote_open(actor=cast.user("community_secretary"), topic=topic, meeting=meeting, method=VoteMethod.NAMED,
                  question=spec["meeting_vote"].format(**words), rule=VoteRule.MAJORITY)

    def sorting(self) -> Story:
        """Still asking for opinions: neighbours have said theirs, the resident has not; two duplicates merged."""
        spec, cast = TOPICS["sorting"], self.cast
        yield self.at(8, 7, 50)
        primary = self.s.submit(spec["demand"], area=cast.estate, actor="grid_worker", reporter=cast.neighbours[0],
                                channel=Channel.PATROL)
        dupes = [self.s.submit(("环境整治", "normal", text), area=cast.estate, actor="grid_worker", reporter=person,
                               channel=Channel.HOME_VISIT)
                 for text, person in (("{estate}的垃圾桶天天满出来，投放点太远了。", cast.neighbours[2]),
                                      ("{building}附近没有分类垃圾桶，要走很远去扔。", cast.neighbours[5]))]
        yield self.at(7, 10)
        topic = self.s.to_topic(primary, spec["title"])
        demand_merge(actor=cast.user("community_staff"), primary=primary, duplicates=dupes,
                     reason="反映的都是垃圾分类投放点不足，合并处理")
        for n, (person, opinion) in enumerate(zip(cast.neighbours[1:], spec["opinions"], strict=False)):
            yield self.at(6 - n, 18)
            self.s.opinions(topic, [person], [opinion])

    def parking(self) -> Story:
        spec, cast = TOPICS["parking"], self.cast
        yield self.at(16, 8)
        demand = self.s.submit(spec["demand"], area=cast.estate, actor="grid_worker", reporter=cast.neighbours[3],
                               channel=Channel.PATROL)
        yield self.at(15, 10)
        topic = self.s.to_topic(demand, spec["title"])
        yield self.at(13, 18)
        self.s.opinions(topic, cast.neighbours[2:], spec["opinions"])
        yield self.at(10, 16)
        self.s.analyse(topic, spec)

    def direct(self) -> Story:
        """The resident's own request handled directly by the community and closed; the resident rated it."""
        cast = self.cast
        yield self.at(26, 9)
        demand = self.s.submit(RESIDENT_OWN["direct"], area=cast.unit)
        yield self.at(25, 11)
        demand = demand_screen(actor=cast.user("community_staff"), demand=demand, decision=Decision(
            outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, reason="个人生活需求，由社区直接办理",
            handler=cast.person("community_staff"), deadline=self.c.working_day(15)))
        task = demand.task
        yield self.at(24, 14)
        task_accept(actor=cast.user("community_staff"), task=task)
        yield self.at(20, 15)
        task_submit(actor=cast.user("community_staff"), task=task, evidence="已为老人办理助餐卡，每天中午由志愿者送餐上门。",
                    files=[photo(7)])
        yield self.at(19, 10)
        task_verify(actor=cast.user("community_secretary"), task=task, approve=True, note="电话回访，老人满意")
        yield self.at(18, 20)
        rating_give(actor=cast.user("resident"), task=task, value="satisfied", comment="送餐很及时，谢谢社区！")

    def inbox(self) -> Story:
        """What waits for the community's screening: new demands (two overdue), the resident's newest one, and
        demands already screened to mediation, to the street, and not accepted under the catalogue."""
        cast, steps = self.cast, self.s
        people = cast.residents_of(cast.community, 6, exclude={p.pk for p in cast.neighbours})
        for back, i in ((7, 0), (5, 1)):  # past the screening deadline by now: red in the inbox
            yield self.at(back, 9)
            steps.submit(HOTLINE[(6, 8)[i]], area=cast.estate, actor="grid_worker", reporter=people[i],
                         channel=Channel.PATROL)
        yield self.at(10, 14)
        dispute = steps.submit(("矛盾纠纷", "normal", "楼上{unit}住户家里漏水，渗到我家天花板，协商几次都没结果。"),
                               area=cast.building, actor="grid_worker", reporter=people[2], channel=Channel.HOME_VISIT)
        road = steps.submit(("设施维护", "urgent", "{estate}北门外的市政道路塌了一个坑，晚上好几辆电动车摔倒。"),
                            area=cast.estate, actor="grid_worker", reporter=people[3], channel=Channel.PATROL)
        private = steps.submit(PRIVATE, area=cast.building, actor="grid_worker", reporter=people[4],
                               channel=Channel.HOME_VISIT)
        yield self.at(9, 10)
        staff = cast.user("community_staff")
        demand_screen(actor=staff, demand=dispute, decision=Decision(
            outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="邻里漏水纠纷，转社区人民调解委员会调解"))
        demand_screen(actor=staff, demand=road, decision=Decision(
            outcome=Outcome.ESCALATE, reason="市政道路不属社区管理，提请街道协调区住建局处理"))
        rule = ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE, text__startswith="纯属个人私事").first()
        demand_screen(actor=staff, demand=private, decision=Decision(
            outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, reason=PRIVATE_REASON, rejection_rule=rule))
        yield self.at(1, 16)
        steps.submit(("环境整治", "normal", "{estate}东门外的窨井盖松动，踩上去会响。"), area=cast.estate,
                     actor="grid_worker", reporter=people[5], channel=Channel.PATROL, photos=(3,))
        yield self.at(0, 7, 30)
        steps.submit(RESIDENT_OWN["new"], area=cast.unit)

