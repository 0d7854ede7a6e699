"""事务预约 through the pages, as people use it: the resident books tomorrow's legal advice hour, `yishiting tick`
sends the reminder the night before (through the e-mail messaging backend), and at the desk the staff check her in
with the code she shows. Another resident's booking of a street service is missed: the night's tick records the
no-show, which the desk's page for that day and his own bookings show."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from yishiting.appointments.models import Booking, Slot
from yishiting.appointments.services import service_save
from yishiting.appointments.tests.conftest import next_working_day

from .http import signed_in

pytestmark = pytest.mark.django_db
WEEKDAYS = [(weekday, time(9), time(11)) for weekday in range(5)]



def at(monkeypatch, day, hour: int, minute: int = 0) -> None:
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def book(client: Client, service, day) -> Booking:
    page = client.get(f"/appointments/services/{service.pk}/").content.decode()
    slot = Slot.objects.filter(service=service, starts_at__date=day).order_by("starts_at").first()
    assert f"/appointments/slots/{slot.pk}/book/" in page
    answer = client.post(f"/appointments/slots/{slot.pk}/book/", {"note": "咨询租房押金"}, follow=True)
    assert answer.status_code == 200 and "预约成功" in answer.content.decode()
    return Booking.objects.filter(slot=slot).latest("pk")


def test_book_remind_check_in_and_a_no_show(world, monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_BACKEND, settings.MESSAGING_EMAIL_TO = "email", "desk@example.org"
    day = next_working_day()
    advice = service_save(actor=None, name="法律顾问值班咨询", kind="legal", area=world.areas["C1"], capacity=2,
                          place="党群服务中心调解室", hours=WEEKDAYS)
    street = service_save(actor=None, name="户籍业务办理", kind="government", area=world.areas["S1"], capacity=3,
                          place="街道便民服务中心3号窗口", hours=WEEKDAYS)
    at(monkeypatch, day - timedelta(days=1), 0, 10)
    resident, neighbour = signed_in(world, "resident"), signed_in(world, "resident2")
    home = resident.get("/appointments/").content.decode()
    assert "法律顾问值班咨询" in home and "户籍业务办理" in home
    assert "法律顾问值班咨询" not in neighbour.get("/appointments/").content.decode()  # another community's
    mine = book(resident, advice, day)
    missed = book(neighbour, street, day)
    assert mine.code in resident.get("/appointments/mine/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", f"--today={day - timedelta(days=1):%Y-%m-%d}", stdout=io.StringIO())
    reminders = [m for m in mail.outbox if mine.code in m.body]
    assert len(reminders) == 1 and "法律顾问值班咨询" in reminders[0].body and reminders[0].to == ["desk@example.org"]

    at(monkeypatch, day, 9, 5)
    staff = signed_in(world, "community_staff")
    desk = staff.get("/appointments/desk/").content.decode()
    assert "法律顾问值班咨询" in desk and "张*" in desk and "张三" not in desk
    wrong = staff.post("/appointments/desk/check-in/", {"code": "12345"})
    assert wrong.status_code == 400
    done = staff.post("/appointments/desk/check-in/", {"code": mine.code}, follow=True).content.decode()
    assert "已签到" in done
    assert Booking.objects.get(pk=mine.pk).status == "checked_in"

    at(monkeypatch, day + timedelta(days=1), 0, 30)
    call_command("tick", f"--today={day + timedelta(days=1):%Y-%m-%d}", stdout=io.StringIO())
    assert Booking.objects.get(pk=missed.pk).status == "no_show"
    street_desk = signed_in(world, "street_official").get(f"/appointments/desk/?day={day:%Y-%m-%d}").content.decode()
    assert "户籍业务办理" in street_desk and "未到" in street_desk and re.search(r"李\*", street_desk)
    assert "未到" in signed_in(world, "resident2").get("/appointments/mine/").content.decode()  # a new day: a new session
