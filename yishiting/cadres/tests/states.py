"""Cadres' objects in every state for the site crawl (web/tests/crawl_data.py) and the page tests: the training
world (tests/world.py) with attendance, a 优秀学员 and a 约谈, a mentor's note, reports submitted, reviewed and
published, and pledges under way, overdue and kept."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .. import services
from ..models import Pledge
from .world import build


def build_states(world) -> dict:
    t = build(world)
    office, cadre_user = world.users["street_official"], world.users["grid_worker"]
    today = timezone.localdate()
    services.attendance_record(actor=office, activity=t.course, cadre=t.cadre)
    services.honour_award(actor=office, programme=t.programme, cadre=t.cadre, month=today)
    services.talk_record(actor=office, programme=t.programme, cadre=t.secretary, month=today, note="提醒按时参训")
    services.mentor_note_add(actor=world.users["cadre_mentor"], mentorship=t.cadre.mentorships.get(),
                             note="入户问需扎实")
    services.post_add(actor=office, cadre=t.cadre, kind="rotation", title="综治专干（AB岗）", area=world.areas["C1"],
                      starts_on=today - timedelta(days=30))
    submitted = services.report_submit(actor=cadre_user, title="楼道堆物整治", problem="堆物多", plan="分楼栋清理")
    reviewed = services.report_submit(actor=world.users["community_secretary"], title="停车难", problem="车位少",
                                      plan="错时共享")
    services.report_review(actor=world.users["cadre_mentor"], report=reviewed, score=80, comment="可行")
    published = services.report_submit(actor=cadre_user, title="独居老人关爱", problem="无人照看", plan="结对走访")
    services.report_review(actor=world.users["cadre_mentor"], report=published, score=90, comment="可复制")
    services.report_publish(actor=office, report=published)
    going = services.pledge_publish(actor=cadre_user, what="建立楼栋微信群", measure="住户全部入群",
                                    due_on=today + timedelta(days=20))
    services.pledge_update(actor=cadre_user, pledge=going, progress=40, note="已建三个群")
    late = services.pledge_publish(actor=None, cadre=t.cadre, what="整治楼道堆物", measure="三栋楼清零",
                                   due_on=today - timedelta(days=2))
    Pledge.objects.filter(pk=late.pk).update(is_overdue=True, is_stale=True)
    kept = services.pledge_publish(actor=cadre_user, what="每周走访独居老人", measure="每周一次",
                                   due_on=today + timedelta(days=5))
    services.pledge_complete(actor=cadre_user, pledge=kept, result="连续四周走访")
    return {"training": t, "reports": [submitted, reviewed, published], "pledges": [going, late, kept]}
