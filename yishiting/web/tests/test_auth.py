"""Signing in and out through HTTP like a user: password, lockout, SMS code, password change, idle timeout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from yishiting.common.models import AuditEntry
from yishiting.common.testing import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "账号或密码错误"
LOCKED = "账号已锁定"


def post_login(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login_page_offers_password_and_sms(client):
    page = client.get("/login/").content.decode()
    assert "账号密码" in page and "短信验证码" in page
    assert 'name="username"' in page and 'name="password"' in page


def test_password_login_lands_on_home_greeting_the_person_by_name(world, client):
    response = post_login(client, "resident", PERSONA_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "您好，张三" in home and "13800000001" not in home  # one's own name in full, the mobile masked
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("at")
    assert (entry.username, entry.outcome) == ("resident", AuditEntry.Outcome.SUCCESS)


def test_login_follows_next_only_within_the_site(world, client):
    assert post_login(client, "grid_worker", PERSONA_PASSWORD, next="/areas/")["Location"] == "/areas/"
    other = Client()
    assert post_login(other, "grid_worker", PERSONA_PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_wrong_password_is_refused_and_audited(world, client):
    response = post_login(client, "resident", "not-the-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG in page and LOCKED not in page
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(username="resident", outcome=AuditEntry.Outcome.FAILURE).count() == 1


def test_five_failures_lock_the_account_with_a_distinct_message(world, client):
    for attempt in range(settings.LOGIN_MAX_FAILURES - 1):
        assert WRONG in post_login(client, "resident", f"wrong-{attempt}").content.decode()
    fifth = post_login(client, "resident", "wrong-again").content.decode()
    assert LOCKED in fifth and "15 分钟" in fifth
    # Even the right password is refused while locked, and the page says why.
    locked = post_login(client, "resident", PERSONA_PASSWORD)
    assert locked.status_code == 200
    assert LOCKED in locked.content.decode() and WRONG not in locked.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(username="resident", outcome=AuditEntry.Outcome.LOCKED).exists()


def test_lockout_ends_after_the_lockout_window(world, client):
    for attempt in range(settings.LOGIN_MAX_FAILURES):
        post_login(client, "resident", f"wrong-{attempt}")
    # Fifteen minutes pass: the failures fall out of the window.
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    AuditEntry.objects.filter(username="resident").update(at=past)
    assert post_login(client, "resident", PERSONA_PASSWORD).status_code == 302


def sms_code_from(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def test_sms_code_login(world, client, messages_outbox):
    mobile = world.people["resident"].mobile
    sent = client.post("/login/sms/", {"step": "send", "mobile": mobile})
    assert sent.status_code == 302
    assert [m.to for m in messages_outbox] == [mobile]
    page = client.get(sent["Location"]).content.decode()
    assert "验证码已发送" in page and 'name="code"' in page and "138****0001" in page
    response = client.post("/login/sms/", {"step": "verify", "code": sms_code_from(messages_outbox)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "您好，张三" in client.get("/").content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_SMS, outcome=AuditEntry.Outcome.SUCCESS,
                                     username="resident").exists()


def test_sms_wrong_code_is_refused(world, client, messages_outbox):
    client.post("/login/sms/", {"step": "send", "mobile": world.people["resident"].mobile})
    code = sms_code_from(messages_outbox)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/login/sms/", {"step": "verify", "code": wrong})
    assert response.status_code == 200
    assert "验证码错误或已过期" in response.content.decode()
    assert client.get("/").status_code == 302


def test_sms_to_an_unknown_number_looks_the_same_but_sends_nothing(world, client, messages_outbox):
    response = client.post("/login/sms/", {"step": "send", "mobile": "13912345678"})
    assert response.status_code == 302
    assert "验证码已发送" in client.get(response["Location"]).content.decode()
    assert messages_outbox == []


def test_sms_bad_mobile_is_explained(world, client):
    response = client.post("/login/sms/", {"step": "send", "mobile": "12345"})
    assert response.status_code == 200
    assert "手机号应为 11 位数字" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(world, client):
    post_login(client, "grid_worker", PERSONA_PASSWORD)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert "您已安全退出" in client.get("/login/").content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, username="grid_worker").exists()


@pytest.mark.parametrize("weak, reason", [
    ("Ab1!", "至少"),  # too short
    ("abcdefghijk", "3 类"),  # one class only
])
def test_password_change_enforces_the_rules(world, client, weak, reason):
    post_login(client, "resident", PERSONA_PASSWORD)
    response = client.post("/password/", {"old_password": PERSONA_PASSWORD, "new_password1": weak,
                                          "new_password2": weak})
    assert response.status_code == 200
    assert reason in response.content.decode()
    world.users["resident"].refresh_from_db()
    assert world.users["resident"].check_password(PERSONA_PASSWORD)


def test_password_change_keeps_the_user_signed_in(world, client):
    post_login(client, "resident", PERSONA_PASSWORD)
    new = "Xingfu-Yuan-2026"
    response = client.post("/password/", {"old_password": PERSONA_PASSWORD, "new_password1": new,
                                          "new_password2": new})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert post_login(Client(), "resident", new).status_code == 302


def _shift_session(client: Client, minutes: int) -> None:
    """Let `minutes` pass without a request: the stored expiry moves that far into the past."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=Session.objects.get(session_key=key).expire_date - timedelta(minutes=minutes))


def test_session_survives_activity_but_not_idleness(world, client):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    post_login(client, "grid_worker", PERSONA_PASSWORD)
    idle = settings.SESSION_IDLE_MINUTES
    _shift_session(client, idle - 1)  # nearly idle: still signed in, and the request renews the session
    assert client.get("/").status_code == 200
    _shift_session(client, idle - 1)
    assert client.get("/").status_code == 200
    _shift_session(client, idle + 1)  # idle longer than the limit: signed out
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_busy_session_is_renewed_once_a_minute_not_on_every_page(world, client):
    """Renewing the idle timeout on every page cost an UPDATE and a COMMIT per view (issue 18): pages within a
    minute of the last renewal leave the stored session alone; the first one after renews it."""
    post_login(client, "grid_worker", PERSONA_PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stored = Session.objects.get(session_key=key).expire_date
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == stored  # just renewed at login: not written again
    Session.objects.filter(session_key=key).update(expire_date=stored - timedelta(seconds=61))
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > stored and renewed - timezone.now() > timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)
