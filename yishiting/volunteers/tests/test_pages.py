"""The pages as people use them: the list says 已满 or how many places are left, a resident signs up and sees
their status, the organiser's screen shows the QR code and the list, the QR URL checks one in, a post is
claimed, the certificate downloads; nobody of another community sees any of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yishiting.volunteers import services as vol
from yishiting.volunteers.choices import AttendanceStatus as T
from yishiting.volunteers.models import Attendance

pytestmark = pytest.mark.django_db


def test_the_list_shows_places_left_and_then_full(v):
    client = v.client("resident")
    page = client.get(reverse("web:volunteer_home")).content.decode()
    assert "楼道清理" in page and "剩 2 个名额" in page
    vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    vol.activity_sign_up(actor=v.user("leader"), activity=v.activity)
    assert "已满" in client.get(reverse("web:volunteer_home")).content.decode()
    assert "报名候补" not in client.get(reverse("web:volunteer_activity", args=[v.activity.pk])).content.decode()


def test_a_resident_signs_up_on_the_activity_page(v):
    client = v.client("resident")
    response = client.post(reverse("web:volunteer_activity_action", args=[v.activity.pk, "sign_up"]), follow=True)
    assert "报名成功" in response.content.decode() and "我的报名：已报名" in response.content.decode()


def test_the_organiser_s_screen_shows_the_qr_code_and_who_signed_up(v):
    vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    page = v.client("leader").get(reverse("web:volunteer_checkin", args=[v.activity.pk])).content.decode()
    assert "<svg" in page and vol.checkin_token(v.activity) in page and "张*" in page and "张三" not in page
    assert v.client("resident").get(reverse("web:volunteer_checkin", args=[v.activity.pk])).status_code == 403


def test_opening_the_qr_url_and_pressing_sign_in_checks_in(v):
    url = reverse("web:volunteer_scan", args=[v.activity.pk, vol.checkin_token(v.activity)])
    client = v.client("resident")
    assert "签到" in client.get(url).content.decode()
    client.post(url)
    assert Attendance.objects.get(activity=v.activity, person=v.person("resident")).status == T.CHECKED_IN
    assert client.get(reverse("web:volunteer_scan", args=[v.activity.pk, "forged"])).status_code == 404


def test_check_out_without_a_reason_for_changed_hours_says_so(v):
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    response = v.client("leader").post(reverse("web:volunteer_attendance_action", args=[attendance.pk, "check_out"]),
                                       {"rating": "5", "hours": "3", "reason": ""})
    assert response.status_code == 400 and "修改服务时长须填写原因" in response.content.decode()


def test_a_post_is_claimed_from_its_page(v):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = v.client("resident").post(reverse("web:volunteer_post_claim", args=[v.post.pk]),
                                         {"starts_on": today, "ends_on": today}, follow=True)
    assert "认岗成功" in response.content.decode() and "我的认岗" in response.content.decode()


def test_other_communities_see_nothing(v):
    client = v.client("resident2")
    assert client.get(reverse("web:volunteer_activity", args=[v.activity.pk])).status_code == 404
    assert client.get(reverse("web:volunteer_team", args=[v.team.pk])).status_code == 404
    assert "楼道清理" not in client.get(reverse("web:volunteer_home")).content.decode()


def test_joining_a_team_from_its_page(v):
    response = v.client("resident").post(reverse("web:volunteer_team_action", args=[v.team.pk, "join"]), follow=True)
    assert "已加入服务队" in response.content.decode() and "您是本队队员" in response.content.decode()


def test_the_certificate_is_a_pdf(v):
    response = v.client("resident").get(reverse("web:volunteer_certificate"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_community_staff_read_and_print_a_volunteer_s_record_others_cannot(v):
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    vol.attendance_check_out(actor=v.user("leader"), attendance=attendance, rating=5, hours="2", reason="补记")
    pk = v.person("resident").pk
    page = v.client("community_staff").get(reverse("web:volunteer_record", args=[pk])).content.decode()
    assert "张*的志愿服务" in page and "楼道清理" in page and "张三" not in page
    pdf = v.client("community_staff").get(reverse("web:volunteer_record_certificate", args=[pk]))
    assert pdf.content.startswith(b"%PDF")
    for persona in ("leader", "resident2", "handler"):
        assert v.client(persona).get(reverse("web:volunteer_record", args=[pk])).status_code == 404
