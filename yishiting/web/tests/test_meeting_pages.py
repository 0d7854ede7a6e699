"""Meeting pages as the personas would use them: the secretary plans a round table from a topic (checked first:
missing parties, a venue clash), notifies, runs it from the tablet page (sign-in, steps, a named vote the
participants cast on their phones, the resolution) and prints the minutes; a participant signs in by the code
on their invitation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.deliberation.models import Meeting, Participant, Topic, Venue, Vote
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose

from .pages import duplicate_ids, main

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world) -> Topic:
    return topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                         description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])


@pytest.fixture
def venue(world) -> Venue:
    return venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                      area=world.areas["C1"], capacity=30)


def plan_data(world, topic, venue, days: int = 4, **extra) -> dict:
    start = timezone.localtime() + timedelta(days=days)
    data = {"topic": topic.pk, "title": "幸福苑3栋加装电梯圆桌会", "template": topic.template.pk,
            "form": "round_table", "venue": venue.pk, "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "chair": world.people["community_secretary"].pk, "requirements": "请提前10分钟到场"}
    for persona, party, council in [("grid_worker", "grid_worker", False), ("resident", "resident", False),
                                    ("community_staff", "staff", True)]:
        pk = world.people[persona].pk
        data.update({f"invite-{pk}": "on", f"party-{pk}": party, **({f"council-{pk}": "on"} if council else {})})
    # the grid worker and the staff member are listed by default; the resident was found in the picker ("3栋")
    data["extra"] = [world.people["resident"].pk, *extra.pop("extra", [])]
    return {**data, **extra}


def test_planning_checks_first_then_saves(world, as_persona, topic, venue):
    client = as_persona("community_secretary")
    page = main(client.get(f"/meetings/new/?topic={topic.pk}"))
    assert "安排协商会议" in page and "赵网格 · 网格员" in page and "网格员" in page
    assert "逢十议事" in page and "建议日期" in page  # Kenli: the 10th, 20th and 30th
    checked = main(client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "check": "1"}))
    assert "核对结果：可以安排" in checked and "缺少以下各方代表" in checked and "两代表一委员" in checked
    assert not Meeting.objects.exists()
    too_soon = client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue, days=1), "plan": "1"})
    assert too_soon.status_code == 400 and "提前" in main(too_soon) and not Meeting.objects.exists()
    planned = client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "plan": "1"})
    assert planned.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.participants.count() == 4 and Topic.objects.get().status == "scheduled"
    clash = client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "plan": "1"})
    assert clash.status_code == 400 and Meeting.objects.count() == 1


def meeting_under_way(world, secretary, topic, venue) -> Meeting:
    """A meeting planned on the page, its day come, started, and every invitee signed in at the tablet."""
    secretary.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "plan": "1"})
    meeting = Meeting.objects.get()
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2))
    secretary.post(f"/meetings/{meeting.pk}/start/")
    for participant in meeting.participants.all():
        secretary.post(f"/meetings/{meeting.pk}/sign-in/do/", {"code": participant.sign_in_code, "from": "run"})
    return meeting


def _planned(world, as_persona, topic, venue) -> Meeting:
    as_persona("community_secretary").post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "plan": "1"})
    return Meeting.objects.get()


def test_a_whole_meeting_from_the_tablet_to_the_minutes(world, as_persona, topic, venue, messages_outbox,
                                                        django_capture_on_commit_callbacks):
    meeting = _planned(world, as_persona, topic, venue)
    secretary = as_persona("community_secretary")
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(f"/meetings/{meeting.pk}/notify/")
    assert len(messages_outbox) == 4 and "签到码" in messages_outbox[0].text
    now = timezone.now()  # the day has come
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2))
    secretary.post(f"/meetings/{meeting.pk}/start/")
    resident = as_persona("resident")
    invitation = main(resident.get(f"/meetings/{meeting.pk}/"))
    code = Participant.objects.get(meeting=meeting, person=world.people["resident"]).sign_in_code
    assert "我的邀请" in invitation and code in invitation and "<svg" in invitation
    resident.post(f"/meetings/{meeting.pk}/sign-in/do/", {"code": code})
    early = secretary.post(f"/meetings/{meeting.pk}/votes/", {"topic": topic.pk, "question": "是否同意",
                                                              "method": "named", "rule": "majority"})
    assert early.status_code == 400 and "不足法定人数 1 人" in main(early) and not Vote.objects.exists()
    for persona in ("community_staff", "grid_worker", "community_secretary"):
        p = Participant.objects.get(meeting=meeting, person=world.people[persona])
        secretary.post(f"/meetings/{meeting.pk}/sign-in/do/", {"code": p.sign_in_code, "from": "run"})
    run = main(secretary.get(f"/meetings/{meeting.pk}/run/"))
    assert "签到 4/4" in run and "已达到" in run
    speaker = Participant.objects.get(meeting=meeting, person=world.people["resident"])
    secretary.post(f"/meetings/{meeting.pk}/steps/", {"kind": "opening", "topic": topic.pk, "text": "议题来自3栋居民联名"})
    secretary.post(f"/meetings/{meeting.pk}/steps/", {"kind": "speech", "topic": topic.pk, "speaker": speaker.pk,
                                                      "text": "我家住6楼，赞成加装"})
    bad = secretary.post(f"/meetings/{meeting.pk}/steps/", {"kind": "speech", "topic": topic.pk, "text": ""})
    assert bad.status_code == 400 and "请填写发言或说明的内容" in main(bad)
    opened = secretary.post(f"/meetings/{meeting.pk}/votes/", {"topic": topic.pk, "question": "是否同意加装电梯方案",
                                                               "method": "named", "rule": "majority"})
    assert opened.status_code == 302, main(opened)
    vote = Vote.objects.get()
    before = secretary.get(f"/meetings/{meeting.pk}/run/")
    assert "未计票" in main(before) and "未通过" not in main(before) and duplicate_ids(before) == []
    for persona, choice in [("resident", "同意"), ("grid_worker", "同意"), ("community_staff", "反对"),
                            ("community_secretary", "同意")]:  # 3 of the 4 present: more than half
        as_persona(persona).post(f"/votes/{vote.pk}/cast/", {"choice": choice})
    again = as_persona("resident").post(f"/votes/{vote.pk}/cast/", {"choice": "反对"}, follow=True)
    assert "已投票" in main(again) and vote.ballots.count() == 4
    counting = main(secretary.get(f"/meetings/{meeting.pk}/run/"))
    assert "计票中" in counting and "同意 3 人" in counting and "表决通过" not in counting
    secretary.post(f"/votes/{vote.pk}/close/")
    secretary.post(f"/meetings/{meeting.pk}/resolutions/", {"topic": topic.pk, "text": "同意加装，申请补贴",
                                                            "next_step": "publicity"})
    assert Topic.objects.get().status == "resolved"
    secretary.post(f"/meetings/{meeting.pk}/close/")
    minutes = main(secretary.get(f"/meetings/{meeting.pk}/minutes/"))
    assert "会议纪要" in minutes and "幸福苑社区议事厅" in minutes and "我家住6楼，赞成加装" in minutes
    assert "表决通过" in minutes and "同意加装，申请补贴" in minutes and "张*" in minutes and "张三" not in minutes
    assert "孙书记" in minutes and "钱社工" in minutes  # the chair and staff attend in office: named in full
    topic_page = main(resident.get(f"/topics/{topic.pk}/"))
    assert "表决通过" in topic_page and "同意加装，申请补贴" in topic_page


def test_outsiders_cannot_run_or_see_the_meeting(world, as_persona, topic, venue):
    meeting = _planned(world, as_persona, topic, venue)
    assert as_persona("resident3").get(f"/meetings/{meeting.pk}/").status_code == 404
    assert as_persona("resident").get(f"/meetings/{meeting.pk}/run/").status_code == 403
    assert as_persona("resident").post(f"/meetings/{meeting.pk}/start/").status_code == 403
    assert Meeting.objects.get().status == "planned"


def test_venues_are_registered_with_a_clear_error(world, as_persona):
    client = as_persona("community_staff")
    bad = client.post("/venues/", {"name": "", "kind": "hall", "area": world.areas["C1"].pk, "capacity": 0})
    assert bad.status_code == 400 and "请填写场所名称" in main(bad)
    ok = client.post("/venues/", {"name": "幸福苑议事点", "kind": "point", "area": world.areas["G1"].pk, "capacity": 12})
    assert ok.status_code == 302 and "幸福苑议事点" in main(client.get("/venues/"))


def test_online_participants_post_their_own_opinions_until_the_closing_time(world, as_persona, topic):
    """网上议事: the same steps, asynchronously — each participant posts on their phone; others read them; after
    the closing time nothing more is taken, and someone not invited cannot post at all."""
    from yishiting.deliberation.tests import votes_world as make

    held = make.meeting(world, topic, form="online")
    held.ends_at = timezone.now() + timedelta(days=2)
    held.save(update_fields=["ends_at"])
    make.participant(held, world.people["resident"], signed_in=False)
    resident = as_persona("resident")
    page = main(resident.get(f"/meetings/{held.pk}/"))
    assert "网上议事" in page and "还没有人发表意见" in page and "我的意见" in page
    resident.post(f"/meetings/{held.pk}/speak/", {"text": "建议电梯井道避开北侧窗户。", "topic": topic.pk})
    outsider = as_persona("resident2")
    outsider.post(f"/meetings/{held.pk}/speak/", {"text": "我也说两句", "topic": topic.pk})
    page = main(as_persona("community_secretary").get(f"/meetings/{held.pk}/"))
    assert "建议电梯井道避开北侧窗户" in page and "张*" in page and "张三" not in page and "我也说两句" not in page
    held.ends_at = timezone.now() - timedelta(minutes=1)
    held.save(update_fields=["ends_at"])
    late = resident.post(f"/meetings/{held.pk}/speak/", {"text": "补充一句", "topic": topic.pk}, follow=True)
    assert "已于" in main(late) and "截止" in main(late)
    assert held.steps.filter(kind="speech").count() == 1
    assert "我的意见" not in main(resident.get(f"/meetings/{held.pk}/"))
