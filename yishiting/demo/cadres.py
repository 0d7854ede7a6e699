"""The demo's 干部成长档案 story (issue 21): the street office opens archives for the persona grid worker,
community secretary and community staffer, puts a district expert into the 导师库 and assigns them to the grid
worker, runs a young cadres' programme (courses and activities with credits over three months), names a month's
优秀学员 and records a 约谈 with the one at the bottom; the grid worker writes a 破题报告 the expert reviews and the
office selects, and publishes a 践诺清单 — one pledge kept, one under way, one left past its deadline (the daily
tick flags it 已逾期). Written through the cadres services at their moments in the past."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from yishiting.areas.choices import Role
from yishiting.areas.models import RoleAssignment
from yishiting.cadres import services as cadres

from .cast import Cast

ACTIVITIES = [  # (days back, kind, title, credits, who attends: grid worker, secretary, staffer)
    (88, "course", "基层治理理论与政策解读", "2.0", (1, 1, 1)),
    (74, "activity", "老旧小区改造现场教学", "1.5", (1, 1, 0)),
    (60, "practice", "矛盾纠纷调解情景模拟", "3.0", (1, 1, 0)),
    (46, "course", "物业管理法规专题", "2.0", (1, 0, 1)),
    (32, "activity", "“乡村振兴队”入户问需", "2.5", (1, 1, 0)),
    (18, "course", "案例分析与复盘提高", "2.0", (1, 1, 1)),
]


def _expert(cast: Cast):
    role = (RoleAssignment.objects.filter(role=Role.EXPERT, path__startswith=cast.district.path, is_active=True,
                                          path__in=[cast.district.path, cast.street.path])
            .select_related("person").order_by("path", "pk").first())
    return role.person if role is not None else cast.person("district_official")


def cadres_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    office = cast.user("street_official")
    yield at(95, 9)
    worker = cadres.cadre_register(actor=office, person=cast.person("grid_worker"), kind="young",
                                   area=cast.estate, post="专职网格员")
    secretary = cadres.cadre_register(actor=office, person=cast.person("community_secretary"), kind="secretary",
                                      area=cast.community, post=f"{cast.community.name}党委书记")
    staffer = cadres.cadre_register(actor=office, person=cast.person("community_staff"), kind="reserve",
                                    area=cast.community, post="社区副主任储备人选")
    cadres.post_add(actor=office, cadre=worker, kind="rotation", title="社区综治专干（AB岗）", area=cast.community,
                    starts_on=at(80).date(), ends_on=at(50).date())
    expert = _expert(cast)
    mentor = cadres.mentor_add(actor=None, person=expert, kind="expert", area=cast.street, specialty="社区治理、物业管理")
    ship = cadres.mentorship_assign(actor=office, cadre=worker, mentor=mentor, starts_on=at(95).date())
    programme = cadres.programme_create(actor=office, name=f"{cast.street.name}年轻干部培训班", area=cast.street,
                                        starts_on=at(92).date(), ends_on=(at(0) + timedelta(days=270)).date(),
                                        bottom_count=1)
    for cadre in (worker, secretary, staffer):
        cadres.programme_enrol(actor=office, programme=programme, cadre=cadre)
    for back, kind, title, credits, present in ACTIVITIES:
        yield at(back, 14)
        activity = cadres.activity_add(actor=office, programme=programme, kind=kind, title=title,
                                       held_on=at(back).date(), credits=Decimal(credits))
        for cadre, here in zip((worker, secretary, staffer), present, strict=True):
            if here:
                cadres.attendance_record(actor=office, activity=activity, cadre=cadre)
    yield at(58, 10)
    cadres.mentor_note_add(actor=None, mentorship=ship,
                           note="入户问需扎实，台账清楚；建议多参与议事会主持，练习归纳各方意见。")
    cadres.honour_award(actor=office, programme=programme, cadre=worker, month=at(60).date())
    cadres.talk_record(actor=office, programme=programme, cadre=staffer, month=at(60).date(),
                       note="本月学分排名靠后，提醒合理安排工作、按时参训，下月补修现场教学。")
    yield at(40, 20)
    report = cadres.report_submit(actor=cast.user("grid_worker"), title=f"{cast.estate.name}停车难破题报告",
                                  problem="小区建于上世纪九十年代，车位缺口约两百个，夜间占用消防通道时有发生。",
                                  plan="摸清车位底数；协调周边单位错时共享车位；议事会商定临停收费用于设施维护。",
                                  programme=programme)
    yield at(36, 15)
    cadres.report_review(actor=None, report=report, mentor=mentor, score=88,
                         comment="问题查摆到位，错时共享的思路可复制，建议补充收费标准的测算。")
    yield at(30, 11)
    cadres.report_publish(actor=office, report=report)
    yield at(28, 19)
    user = cast.user("grid_worker")
    late = cadres.pledge_publish(actor=user, what="建立楼栋微信群", measure="网格内住户全部入群",
                                 due_on=at(12).date(), programme=programme)
    going = cadres.pledge_publish(actor=user, what="推动错时共享停车", measure="与两家单位签订共享协议",
                                  due_on=(at(0) + timedelta(days=45)).date(), programme=programme)
    kept = cadres.pledge_publish(actor=user, what="每周走访独居老人", measure="建档独居老人每周至少走访一次",
                                 due_on=at(5).date(), programme=programme)
    yield at(20, 19)
    cadres.pledge_update(actor=user, pledge=late, progress=60, note="已建群6个，两栋楼住户入群不足一半")
    cadres.pledge_update(actor=user, pledge=going, progress=30, note="已与一家单位达成初步意向")
    yield at(9, 18)
    cadres.pledge_complete(actor=user, pledge=kept, result="建档独居老人12人，连续四周每周走访并记录")
