"""What issue 18 built, in the demo: the persona estate's plan with its demands on it (plan.py), 举一反三 (one
problem in several communities of the persona street, raised by the street as a 类案; another not yet raised; a
new report the screening page offers to merge), a recurrence of an archived matter, two 整改清单 (the street's to
the persona community, the district's to the street's 综合行政执法队) with items open, done with photos and
overdue, the 五方互评 and 组织考评 of the archived matters, the year's 年度评议 of units, and last month's kept
月报 of the district and the persona street.

Written through the services, as the people themselves, at their moments in the history (history.py). People
are picked by key, not drawn from the story's random stream, so the other stories stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from yishiting.areas.models import Area, Organization, Person
from yishiting.demands.choices import Channel
from yishiting.demands.models import Demand
from yishiting.handling.models import EvaluationRound
from yishiting.handling.services.evaluation import org_assess, party_rating_give
from yishiting.oversight.clusters import cluster_settings, clusters_in, default_period
from yishiting.oversight.services import rectification as rect
from yishiting.oversight.services.clusters import cluster_raise
from yishiting.oversight.services.hotspots import plan_save
from yishiting.oversight.services.ratings import annual_evaluation_save
from yishiting.oversight.services.reports import previous_month, report_generate

from .cast import Cast
from .clock import Clock
from .plan import EstatePlan
from .steps import Steps, photo

# 电动车楼道充电 and 高空抛物 as residents of different communities put them: alike enough to be one problem.
EBIKE = ["楼道里有人给电动车充电，很危险，请社区管一管。", "电动车推进楼道充电，晚上也在充，担心起火。",
         "有住户把电动车停在楼道里充电，从家里拉电线，太危险了。", "楼道电动车充电的越来越多，怕出事，请尽快整治。"]
THROWING = ["楼上有人往下扔垃圾，差点砸到楼下的孩子。", "楼上经常往下扔烟头果皮，高空抛物请社区管管。",
            "楼上又有人往下扔垃圾，高空抛物太危险了。"]
RECURRENCE = ("设施维护", "normal", "{estate}{building}的楼道灯又坏了好几盏，晚上上下楼黑乎乎的。")
CLUSTER_TITLE = "电动车楼道充电专项整治（类案）"

Story = Iterator[datetime]


class OversightStories:
    def __init__(self, steps: Steps, clock: Clock) -> None:
        self.s, self.c, self.cast = steps, clock, steps.cast
        self.plan = EstatePlan(self.cast.estate)
        steps.locate = self.plan.locate  # every demand filed in the estate from now on has its place on the plan
        self._used: set[int] = {p.pk for p in self.cast.neighbours}

    def all(self) -> list[Story]:
        return [self.plan_story(), self.clusters(), self.recurrence(), self.street_list(), self.unit_list(),
                self.annual(), self.reports()]

    def at(self, back: int, hour: int = 9, minute: int = 0) -> datetime:
        return self.c.days_ago(back, hour, minute)

    def _locals(self, area: Area, count: int) -> list[Person]:
        found = list(Person.objects.filter(path__startswith=area.path, household__isnull=False, user__isnull=True)
                     .exclude(pk__in=self._used).order_by("pk")[:count])
        self._used.update(p.pk for p in found)
        return found

    # ---- 热点: the plan ----

    def plan_story(self) -> Story:
        """Community staff upload the estate's plan (drawn from the estate as built) before the first demand."""
        yield self.at(98, 9)
        plan_save(actor=self.cast.user("community_staff"), area=self.cast.estate, title=self.plan.title(),
                  reference_points=self.plan.reference_points(), image=self.plan.image())

    # ---- 举一反三 ----

    def _communities(self) -> list[Area]:
        """The persona street's communities, the persona's first (up to four)."""
        others = (Area.objects.filter(parent=self.cast.street, level__code="community")
                  .exclude(pk=self.cast.community.pk).order_by("path"))
        return [self.cast.community, *others[:3]]

    def _report(self, community: Area, text: str, category: str) -> Demand:
        """In the persona community the grid worker files it on patrol (its place on the plan); elsewhere the
        district's 12345 hotline enters it for a resident."""
        if community.pk == self.cast.community.pk:
            building = self.cast.building
            return self.s.submit((category, "normal", text), area=building, actor="grid_worker",
                                 reporter=self._locals(building, 1)[0], channel=Channel.PATROL)
        building = Area.objects.filter(path__startswith=community.path, level__code="building").order_by("path").first()
        return self.s.submit((category, "normal", text), area=building, actor_user=self.cast.user("district_official"),
                             reporter=self._locals(community, 1)[0], channel=Channel.HOTLINE)

    def clusters(self) -> Story:
        """高空抛物 in every community of the street (a cluster left for the officials to raise), 电动车楼道充电
        likewise, raised by the street official as one street-level 类案 (its demands merged into the topic), and
        a new report of it waiting in the community's inbox, which screening offers to merge."""
        communities = self._communities()
        for n, community in enumerate(communities):
            yield self.at(30 - 3 * n, 10 + n)
            self._report(community, THROWING[n % len(THROWING)], "安全隐患")
        ebikes = []
        for n, community in enumerate(communities):
            yield self.at(22 - 3 * n, 9 + n, 20)
            ebikes.append(self._report(community, EBIKE[n % len(EBIKE)], "安全隐患"))
        yield self.at(7, 10)
        if len(communities) < cluster_settings().min_communities:
            return  # a street of fewer communities than N (the tests' small demo): no cluster to raise
        street, period = self.cast.street, default_period()
        ids = {d.pk for d in ebikes}
        found = next((c for c in clusters_in(street, period) if ids & {d.pk for d in c.members}), None)
        if found is None:
            raise RuntimeError("演示历史：电动车楼道充电没有形成类案")  # zh-only: a broken demo build, for developers
        cluster_raise(actor=self.cast.user("street_official"), area=street, period=period, ident=found.id,
                      title=CLUSTER_TITLE)
        yield self.at(1, 18)
        self._report(self.cast.community, EBIKE[3], "安全隐患")

    def recurrence(self) -> Story:
        """复发: the stair lights of the first archived matter (stories.py) are out again, after its dossier."""
        yield self.at(6, 19)
        self.s.submit(RECURRENCE, area=self.cast.building, actor="grid_worker",
                      reporter=self._locals(self.cast.building, 1)[0], channel=Channel.PATROL)

    # ---- 整改清单 ----

    def street_list(self) -> Story:
        """The street to the persona community after its fire-safety check: one item accepted with photos, one
        overdue (warned red by the tick), one being worked on."""
        cast, words = self.cast, self.cast.places()
        official, staff = cast.user("street_official"), cast.user("community_staff")
        yield self.at(21, 10)
        issued = rect.rectification_issue(
            actor=official, target_area=cast.community, title=f"{cast.community.name}消防安全检查整改清单",
            basis=f"{cast.street.name}消防安全专项检查（入户、楼道、充电设施）发现的问题，请按期整改并报送照片。",
            items=[rect.ItemInput("{estate}1—4号楼楼道堆放纸箱和旧家具，堵塞疏散通道，限期清理。".format(**words), 10),
                   rect.ItemInput("社区微型消防站灭火器过期 6 具、水带老化，更换补齐并登记台账。", 5),
                   rect.ItemInput("{estate}电动车集中充电棚未配灭火器和监控，补设到位。".format(**words), 30)])
        items = list(issued.items.order_by("seq"))
        yield self.at(20, 9, 30)
        for item in items:
            rect.rectification_acknowledge(actor=staff, item=item)
        yield self.at(15, 16)
        rect.rectification_report(actor=staff, item=items[0], text="已清理 1—2 号楼楼道杂物约 3 车，3—4 号楼本周内完成。",
                                  photos=[photo(41)[1]])
        yield self.at(12, 17)
        rect.rectification_submit(actor=staff, item=items[0], text="1—4 号楼楼道杂物已全部清理，张贴了禁止堆放告示。",
                                  photos=[photo(42)[1], photo(43)[1]])
        yield self.at(11, 10)
        rect.rectification_accept(actor=official, item=items[0], note="现场复查，楼道畅通，同意销号。")
        yield self.at(4, 15)
        rect.rectification_report(actor=staff, item=items[2], text="灭火器 8 具已到货，监控设备正在询价。")

    def unit_list(self) -> Story:
        """The district to the street's 综合行政执法队 (the handler persona's unit): one item accepted with a
        photo, one overdue, one not yet acknowledged."""
        cast = self.cast
        official, handler = cast.user("district_official"), cast.user("handler")
        yield self.at(26, 14)
        issued = rect.rectification_issue(
            actor=official, target_organization=cast.handler_org, title=f"{cast.street.name}城市管理专项督查整改清单",
            basis=f"{cast.district.name}城市管理专项督查通报：{cast.street.name}存在占道经营、车辆乱停放等问题。",
            items=[rect.ItemInput(f"{cast.community.name}沿街商铺占道经营、店外堆放货物，限期整治。", 10),
                   rect.ItemInput(f"{cast.estate.name}南门外共享单车乱停放，清理并划定停放区。", 8),
                   rect.ItemInput("建立占道经营巡查台账，每周五报送巡查记录。", 40)])
        items = list(issued.items.order_by("seq"))
        yield self.at(25, 10)
        for item in items[:2]:
            rect.rectification_acknowledge(actor=handler, item=item)
        yield self.at(18, 16)
        rect.rectification_submit(actor=handler, item=items[0], text="已约谈商户 12 家，店外货物全部清理，签订门前三包责任书。",
                                  photos=[photo(44)[1]])
        yield self.at(17, 11)
        rect.rectification_accept(actor=official, item=items[0], note="抽查 5 家商户，整改到位，同意销号。")

    # ---- 评: 五方互评, 组织考评, 年度评议 ----

    def annual(self) -> Story:
        """The street evaluates the district departments serving it, the community its co-building units."""
        cast = self.cast
        yield self.at(3, 16)
        year = self.c.today.year
        agency = (Organization.objects.filter(path=cast.district.path, kind="government_agency", is_active=True)
                  .order_by("pk").first())
        for org, score, comment in ((cast.handler_org, 92, "响应快，占道经营整治效果明显；个别事项销号偏慢。"),
                                    (agency, 85, "加装电梯审批指导到位，维修资金使用答复较慢。")):
            if org is not None:
                annual_evaluation_save(actor=cast.user("street_official"), evaluator_area=cast.street,
                                       organization=org, year=year, score=score, comment=comment)
        secretary = cast.user("community_secretary")
        for kind, score, comment in (("property_company", 78, "路灯和楼道灯维修及时，但楼道堆物清理要社区反复督促。"),
                                     ("community_police", 95, "调解邻里纠纷、消防宣传积极配合。")):
            org = (Organization.objects.filter(path__startswith=cast.estate.path if kind == "property_company"
                                               else cast.community.path, kind=kind, is_active=True)
                   .order_by("pk").first())
            if org is not None:
                annual_evaluation_save(actor=secretary, evaluator_area=cast.community, organization=org, year=year,
                                       score=score, comment=comment)

    # ---- 月报 ----

    def reports(self) -> Story:
        """On the first of the month the scheduled job keeps last month's report of the district and each street
        (here: the district and the persona street)."""
        first = self.c.today.replace(day=1)
        yield self.c.at(first, 1, 0)
        for area in (self.cast.district, self.cast.street):
            report_generate(actor=None, area=area, month=previous_month(first), today=first)


PARTY_SCORES = [  # (rater, ratee, score, comment) entered from the paper 五方互评 form after each archived matter
    ("residents_committee", "property", 88, "施工组织有序，按期完成。"),
    ("owners_committee", "property", 84, "质量不错，费用明细公示稍晚。"),
    ("property", "residents_committee", 95, "居委会协调居民意见很及时。"),
    ("police", "property", 90, "施工期间安全防范到位。"),
]


def five_parties(cast: Cast, round_: EvaluationRound, which: int) -> None:
    """五方互评 (the community office enters the paper forms) and the street's 组织考评 of an archived matter."""
    staff = cast.user("community_staff")
    for rater, ratee, score, comment in PARTY_SCORES:
        party_rating_give(actor=staff, round=round_, rater_party=rater, ratee_party=ratee, score=score - 3 * which,
                          comment=comment, entered_for=f"{cast.community.name}五方互评表")
    org_assess(actor=cast.user("street_official"), round=round_, score=(93, 87)[which % 2],
               comment=("程序规范、台账齐全，居民满意度高。", "按期办结，档案资料完整，宣传可再加强。")[which % 2])

