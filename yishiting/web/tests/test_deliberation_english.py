"""The deliberation pages when the person picked English (the language cookie): every word of the page is
English — only data stays as entered (names, places, titles, templates) — while what the platform records
(warnings kept on a meeting, a closed vote's count, invitations sent) stays in the site's language, Chinese,
and the API's refusals do not change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, AreaLevel, Organization, Person
from yishiting.common.masking import mask_name
from yishiting.deliberation.models import Meeting, Participant, ProcessTemplate, Topic, Venue, Vote
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import opinion_give, topic_propose
from yishiting.legal.models import ExpertField
from yishiting.notifications.models import Notification

from .pages import main

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")



@pytest.fixture
def english(as_persona):
    """A logged-in client for a persona who picked English with the footer's switch."""

    def make(name: str):
        client = as_persona(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def topic(world) -> Topic:
    return topic_propose(actor=world.users["community_secretary"], title="Lift for building 3",
                         description="Most residents are elderly.", level_area=world.areas["C1"],
                         scope_area=world.areas["B1"])


@pytest.fixture
def venue(world) -> Venue:
    return venue_save(actor=world.users["community_staff"], name="Community hall", kind="hall",
                      area=world.areas["C1"], capacity=30)


def data_words() -> list[str]:
    """What the pages show as entered, not as worded by the platform: names of people, places, organizations and
    templates (longest first, so a full name goes before its masked form), and the roles areas.Role labels."""
    words = set()
    for name in Person.objects.values_list("name", flat=True):
        words |= {name, mask_name(name), f"{name[:1]}*"}
    words |= set(Area.objects.values_list("name", flat=True)) | set(AreaLevel.objects.values_list("name", flat=True))
    words |= set(Organization.objects.values_list("name", flat=True))
    for name, locality in ProcessTemplate.objects.values_list("name", "locality"):
        words |= {name, locality}
    words |= set(ExpertField.objects.values_list("name", flat=True))  # the pool's fields: admin-entered, like areas
    words |= {str(label) for label in Role.labels}  # areas' words (not this page's)
    return sorted((w for w in words if w), key=len, reverse=True)


def untranslated(response) -> list[str]:
    """The Han text of the page's <main> that is neither data nor a date (common.dates words dates). A topic's
    handling sections (公示, 办理, 评价, 归档: web/partials/handling, checked with the handling pages) and the
    person picker's widget (web/forms/pickers) are not the deliberation pages' own words."""
    text = main(response).split('<section class="section" aria-labelledby="notices-title"')[0]
    text = re.sub(r'.*(picker-hint|placeholder="输入姓名).*', "", text)
    text = text.replace("尾号", "")  # areas.pickers' row: "… · 尾号1234" (the areas' words)
    for word in data_words():
        text = text.replace(word, "")
    text = re.sub(r"(\d{4}年)?\d{1,2}月\d{1,2}日", "", text)
    return sorted({line.strip()[:120] for line in text.splitlines() if HAN.search(line)})


def plan(world, topic, venue, days: int = 4) -> dict:
    start = timezone.localtime() + timedelta(days=days)
    data = {"topic": topic.pk, "title": "Lift meeting", "template": topic.template.pk, "form": "round_table",
            "venue": venue.pk, "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "chair": world.people["community_secretary"].pk, "requirements": "Come early"}
    for persona, party, council in [("grid_worker", "grid_worker", False), ("resident", "resident", False),
                                    ("community_staff", "staff", True)]:
        pk = world.people[persona].pk
        data.update({f"invite-{pk}": "on", f"party-{pk}": party, **({f"council-{pk}": "on"} if council else {})})
    data["extra"] = [world.people["resident"].pk]
    return data


def test_a_whole_meeting_in_english_with_the_records_in_chinese(world, english, topic, venue, messages_outbox,
                                                                 django_capture_on_commit_callbacks):
    secretary = english("community_secretary")
    opinion_give(actor=world.users["resident"], topic=topic, stance="support", text="Yes please")
    for url in ("/topics/", f"/topics/{topic.pk}/", "/topics/new/", "/meetings/", "/venues/",
                f"/meetings/new/?topic={topic.pk}", f"/topics/{topic.pk}/owners-vote/"):
        page = secretary.get(url)
        assert page.status_code == 200 and untranslated(page) == [], url
    checked = secretary.post(f"/meetings/new/?topic={topic.pk}", {**plan(world, topic, venue), "check": "1"})
    assert "Check result: the meeting can be planned" in main(checked) and "Parties missing:" in main(checked)
    assert untranslated(checked) == []
    too_soon = secretary.post(f"/meetings/new/?topic={topic.pk}", {**plan(world, topic, venue, days=1), "plan": "1"})
    assert too_soon.status_code == 400 and "days ahead" in main(too_soon) and untranslated(too_soon) == []
    secretary.post(f"/meetings/new/?topic={topic.pk}", {**plan(world, topic, venue), "plan": "1"})
    meeting = Meeting.objects.get()
    # the warning kept on the meeting is a record: in Chinese, whoever planned it
    assert meeting.warnings and all(w["message"].startswith("缺少以下各方代表") for w in meeting.warnings)
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(f"/meetings/{meeting.pk}/notify/")
    assert messages_outbox and all("签到码" in m.text and "Sign-in" not in m.text for m in messages_outbox)
    assert all(HAN.search(n.text) for n in Notification.objects.all())
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2))
    started = secretary.post(f"/meetings/{meeting.pk}/start/", follow=True)
    assert "Meeting started" in main(started)
    resident = english("resident")
    invitation = resident.get(f"/meetings/{meeting.pk}/")
    assert "My invitation" in main(invitation) and untranslated(invitation) == []
    early = secretary.post(f"/meetings/{meeting.pk}/votes/", {"topic": topic.pk, "question": "Agree?",
                                                              "method": "named", "rule": "majority"})
    assert early.status_code == 400 and "quorum of 1" in main(early) and untranslated(early) == []
    for participant in meeting.participants.all():
        secretary.post(f"/meetings/{meeting.pk}/sign-in/do/", {"code": participant.sign_in_code, "from": "run"})
    speaker = Participant.objects.get(meeting=meeting, person=world.people["resident"])
    secretary.post(f"/meetings/{meeting.pk}/steps/", {"kind": "opening", "topic": topic.pk, "text": "From building 3"})
    secretary.post(f"/meetings/{meeting.pk}/steps/", {"kind": "speech", "topic": topic.pk, "speaker": speaker.pk,
                                                      "text": "I live on the 6th floor"})
    secretary.post(f"/meetings/{meeting.pk}/votes/", {"topic": topic.pk, "question": "Agree to the lift plan?",
                                                      "method": "named", "rule": "majority"})
    vote = Vote.objects.get()
    for persona, choice in [("resident", "同意"), ("grid_worker", "同意"), ("community_staff", "反对")]:
        english(persona).post(f"/votes/{vote.pk}/cast/", {"choice": choice})
    assert vote.options == ["同意", "反对", "弃权"]  # the default options are data, stored in Chinese
    ballot = resident.get(f"/votes/{vote.pk}/")
    assert "You voted: <strong>Agree</strong>" in main(ballot) and untranslated(ballot) == []
    counting = secretary.get(f"/meetings/{meeting.pk}/run/")
    assert "Counting" in main(counting) and "Agree 2" in main(counting) and untranslated(counting) == []
    secretary.post(f"/votes/{vote.pk}/close/")
    vote.refresh_from_db()
    assert vote.result["lines"][-1] == "表决未通过。"  # 2 of 4 present is not more than half: kept in Chinese
    secretary.post(f"/meetings/{meeting.pk}/resolutions/", {"topic": topic.pk, "text": "Ask again next month",
                                                            "next_step": "redeliberate", "reason": "Too few for"})
    secretary.post(f"/meetings/{meeting.pk}/close/")
    for url in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/minutes/", f"/votes/{vote.pk}/",
                f"/topics/{topic.pk}/", "/meetings/"):
        page = secretary.get(url)
        assert page.status_code == 200 and untranslated(page) == [], url
    minutes = main(secretary.get(f"/meetings/{meeting.pk}/minutes/"))
    assert "Minutes" in minutes and "Not passed." in minutes and "Back to deliberation" in minutes
    assert "Chair (signature)" in minutes and "Not passed." in main(secretary.get(f"/topics/{topic.pk}/"))


def test_the_same_pages_stay_chinese_by_default(world, as_persona, topic, venue):
    client = as_persona("community_secretary")
    client.post(f"/meetings/new/?topic={topic.pk}", {**plan(world, topic, venue), "plan": "1"})
    meeting = Meeting.objects.get()
    page = main(client.get(f"/meetings/{meeting.pk}/"))
    assert "参会人员（0/4 已签到）" in page and "Participants" not in page and "缺少以下各方代表" in page
    assert "Gathering" not in main(client.get("/topics/")) and "征求意见" in main(client.get("/topics/"))


def test_errors_keep_their_codes_in_english(world, english, as_persona):
    """The API's refusals are the same whatever the person picked (docs/i18n.md): a stable code, a Chinese message."""
    body = {"name": " ", "kind": "hall", "area_id": world.areas["C1"].pk, "capacity": 10}
    in_english = english("community_staff").post("/api/v1/meetings/venues", body, content_type="application/json")
    in_chinese = as_persona("community_staff").post("/api/v1/meetings/venues", body, content_type="application/json")
    assert in_english.status_code == in_chinese.status_code == 400
    assert in_english.json()["code"] == in_chinese.json()["code"] == "required"
    assert in_english.json()["message"] == in_chinese.json()["message"] == "请填写场所名称。"
    assert not Venue.objects.exists()


def test_a_late_invitation_in_english_keeps_its_record_in_chinese(world, english, topic, venue):
    secretary = english("community_secretary")
    data = plan(world, topic, venue)
    staff = world.people["community_staff"].pk
    del data[f"invite-{staff}"]  # invited late, below
    secretary.post(f"/meetings/new/?topic={topic.pk}", {**data, "plan": "1"})
    meeting = Meeting.objects.get()
    soon = timezone.now() + timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    done = secretary.post(f"/meetings/{meeting.pk}/participants/", {
        "extra": [staff], f"invite-{staff}": "on", f"party-{staff}": "staff"}, follow=True)
    assert "Less than 3 days&#x27; notice" in main(done) and "Invited" in main(done) and untranslated(done) == []
    meeting.refresh_from_db()
    late = [w for w in meeting.warnings if w["code"] == "notice_too_short"]
    assert late and late[0]["message"].startswith("通知时间不足 3 天")
    again = secretary.post(f"/meetings/{meeting.pk}/participants/", {
        "extra": [staff], f"invite-{staff}": "on", f"party-{staff}": "staff"}, follow=True)
    assert "is already on the list" in main(again) and "Less than 3 days&#x27; notice" in main(again)
    assert untranslated(again) == []
    assert Participant.objects.filter(meeting=meeting).count() == 4
