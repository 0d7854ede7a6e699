"""Residents never lose what they typed: a demand sent after the idle timeout, or from a page whose security
token went stale (a re-login in another tab), is kept — never saved — and comes back filled in after logging in
again, for that person only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import CSRF_SECRET_LENGTH, get_random_string
from django.test import Client
from django.utils import timezone

from yishiting.common.testing import PERSONA_PASSWORD
from yishiting.demands.models import Demand
from yishiting.demands.selectors import categories_active
from yishiting.web.guard import DRAFT_COOKIE
from yishiting.web.models import FormDraft


def main(response_or_html) -> str:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    return html.split('<main id="main"')[1].split("</main>")[0]

pytestmark = pytest.mark.usefixtures("file_media")

TEXT = "3栋东侧的路灯坏了一个星期，晚上回家很黑，老人容易摔倒"


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def login(client: Client, username: str) -> None:
    """The login page, then the password: as a browser does (with its CSRF token)."""
    page = client.get("/login/?next=/demands/new/").content.decode()
    response = client.post("/login/?next=/demands/new/", {
        "username": username, "password": PERSONA_PASSWORD, "next": "/demands/new/",
        "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken")})
    assert response.status_code == 302 and response["Location"] == "/demands/new/"


def go_idle(client: Client) -> None:
    """SESSION_IDLE_MINUTES pass without a request: the stored session expires (the browser keeps its cookie)."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(minutes=1))


def filled_form(world, page: str, **extra) -> dict:
    category = categories_active().order_by("pk").last()
    return {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"), "form_owner": hidden(page, "form_owner"),
            "form_key": hidden(page, "form_key"), "token": hidden(page, "token"), "text": TEXT,
            "category": category.pk, "area": world.areas["U1"].pk, "address": "3栋东侧路口",
            "latitude": "30.123456", "longitude": "120.654321", "urgency": "urgent", "anonymous": "on", **extra}


def assert_prefilled(world, html: str) -> None:
    body = main(html)
    assert "已为您保留刚才填写的内容" in body
    assert TEXT in body and 'value="3栋东侧路口"' in body and 'value="30.123456"' in body
    category = categories_active().order_by("pk").last()
    assert re.search(rf'<option value="{category.pk}" selected>', body)
    assert re.search(rf'<option value="{world.areas["U1"].pk}" selected>', body)
    assert re.search(r'value="urgent"[^>]*checked', body)
    assert re.search(r'name="anonymous"[^>]*checked', body)


def signed_in(world, username: str, **kwargs) -> tuple[Client, str]:
    client = Client(**kwargs)
    client.force_login(world.users[username])
    page = client.get("/demands/new/").content.decode()
    return client, page


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("灯.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")


def test_after_the_idle_timeout_the_demand_is_kept_and_comes_back_after_login(world):
    client, page = signed_in(world, "resident")
    go_idle(client)
    response = client.post("/demands/new/", {**filled_form(world, page), "photos": [photo()]})
    assert response.status_code == 302 and response["Location"] == "/login/?next=/demands/new/"
    assert Demand.objects.count() == 0  # nothing written while signed out
    login_page = client.get(response["Location"]).content.decode()
    assert "登录已超时" in login_page and "您刚才填写的内容已保留" in login_page
    login(client, "resident")
    html = client.get("/demands/new/").content.decode()
    assert_prefilled(world, html)
    assert "照片需要重新选择" in main(html)
    # Sent again, it is saved once and the draft is gone.
    page = html
    response = client.post("/demands/new/", filled_form(world, page))
    assert response.status_code == 302 and Demand.objects.get().text == TEXT
    assert FormDraft.objects.count() == 0 and client.cookies[DRAFT_COOKIE].value == ""
    again = main(client.get("/demands/new/"))
    assert TEXT not in again and "已为您保留" not in again


def test_sms_login_also_brings_the_draft_back(world, messages_outbox):
    client, page = signed_in(world, "resident")
    go_idle(client)
    client.post("/demands/new/", filled_form(world, page))
    client.post("/login/sms/?next=/demands/new/", {"step": "send", "mobile": world.people["resident"].mobile,
                                                  "next": "/demands/new/"})
    code = re.search(r"\b(\d{6})\b", messages_outbox[-1].text).group(1)
    response = client.post("/login/sms/?next=/demands/new/", {"step": "verify", "code": code,
                                                             "next": "/demands/new/"})
    assert response["Location"] == "/demands/new/"
    assert_prefilled(world, client.get("/demands/new/").content.decode())


def stale_csrf(client: Client) -> None:
    """What a re-login in another tab does to this tab: the browser's CSRF secret is renewed."""
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH)


def test_a_stale_page_gets_the_sites_own_page_and_keeps_the_draft(world):
    client, page = signed_in(world, "resident", enforce_csrf_checks=True)
    stale_csrf(client)
    response = client.post("/demands/new/", filled_form(world, page))
    html = response.content.decode()
    assert response.status_code == 403 and Demand.objects.count() == 0
    assert "页面已过期" in html and "您刚才填写的内容已保留" in html and "DEBUG" not in html
    assert 'href="/static/web/app.css' in html or "app.css" in html  # the site's layout, no inline style
    assert "<style" not in html and 'href="/demands/new/">回到表单' in html
    assert_prefilled(world, client.get("/demands/new/").content.decode())


def test_a_stale_page_when_signed_out_leads_to_login_then_back(world):
    client, page = signed_in(world, "resident", enforce_csrf_checks=True)
    go_idle(client)
    stale_csrf(client)
    html = client.post("/demands/new/", filled_form(world, page)).content.decode()
    assert "登录后回到表单" in html and "/login/?next=%2Fdemands%2Fnew%2F" in html
    login(client, "resident")
    assert_prefilled(world, client.get("/demands/new/").content.decode())


def test_another_account_logging_in_next_in_that_browser_never_sees_the_draft(world):
    client, page = signed_in(world, "resident")
    go_idle(client)
    client.post("/demands/new/", filled_form(world, page))
    assert FormDraft.objects.count() == 1
    login(client, "resident2")
    html = main(client.get("/demands/new/"))
    assert TEXT not in html and "已为您保留" not in html
    assert FormDraft.objects.count() == 0  # deleted the moment someone else signed in


def test_a_stale_page_after_someone_else_signed_in_in_another_tab(world):
    client, page = signed_in(world, "resident", enforce_csrf_checks=True)
    client.force_login(world.users["resident2"])  # another tab: 李四 signs in on the same browser
    stale_csrf(client)
    html = client.post("/demands/new/", filled_form(world, page)).content.decode()
    assert "页面已过期" in html
    html = main(client.get("/demands/new/"))
    assert TEXT not in html and "已为您保留" not in html and FormDraft.objects.count() == 0


def test_nothing_is_kept_without_the_forms_own_signature_and_old_drafts_expire(world):
    client, page = signed_in(world, "resident")
    go_idle(client)
    forged = {**filled_form(world, page), "form_owner": "1:forged"}
    response = client.post("/demands/new/", forged)
    assert response.status_code == 302 and FormDraft.objects.count() == 0
    client.post("/demands/new/", filled_form(world, page))
    FormDraft.objects.update(created_at=timezone.now() - timedelta(hours=25))
    login(client, "resident")
    assert TEXT not in main(client.get("/demands/new/"))


def test_the_grid_workers_entry_is_kept_too(world):
    client = Client()
    client.post("/login/", {"username": "grid_worker", "password": PERSONA_PASSWORD})
    page = client.get("/demands/entry/").content.decode()
    go_idle(client)
    response = client.post("/demands/entry/", {
        "form_owner": hidden(page, "form_owner"), "token": hidden(page, "token"), "area_q": "幸福苑3栋",
        "area": world.areas["B1"].pk, "text": TEXT, "channel": "hotline", "urgency": "urgent", "mode": "new",
        "new_name": "刘大爷", "new_mobile": "13900001234", "consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/login/?next=/demands/entry/"
    client.post("/login/", {"username": "grid_worker", "password": PERSONA_PASSWORD})
    html = main(client.get("/demands/entry/"))
    assert "已为您保留刚才填写的内容" in html and TEXT in html and 'value="刘大爷"' in html
    assert re.search(rf'name="area" value="{world.areas["B1"].pk}" checked', html)
    assert re.search(r'value="new"[^>]*checked', html) and re.search(r'value="hotline" selected', html)
