"""What a browser gets: CSRF enforced, security headers, and pages that load nothing from the internet and run
no inline script or style (the Content-Security-Policy would block them)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from yishiting.common.testing import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

REMOTE_ASSET = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE)


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_token(client: Client, url: str = "/login/") -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def test_login_without_csrf_token_is_refused(world):
    client = csrf_client()
    response = client.post("/login/", {"username": "resident", "password": PERSONA_PASSWORD})
    assert response.status_code == 403
    assert client.get("/").status_code == 302  # not signed in


def test_login_with_csrf_token_works(world):
    client = csrf_client()
    token = csrf_token(client)
    response = client.post("/login/", {"username": "resident", "password": PERSONA_PASSWORD,
                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("path", ["/logout/", "/tokens/", "/i18n/setlang/", "/password/"])
def test_state_changing_posts_need_the_token(world, path):
    client = csrf_client()
    client.force_login(world.users["community_staff"])
    assert client.post(path, {"name": "x", "language": "en"}).status_code == 403


def test_reveal_needs_the_token(world):
    client = csrf_client()
    client.force_login(world.users["community_staff"])
    assert client.post(f"/people/{world.people['resident'].pk}/reveal/").status_code == 403


@pytest.mark.parametrize("path", ["/login/", "/", "/areas/", "/admin/login/"])
def test_security_headers(world, path):
    client = Client()
    client.force_login(world.users["community_staff"])
    response = client.get(path, follow=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_files_cannot_be_framed_either():
    response = Client().get("/static/web/app.css")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_strict_transport_security_is_sent_over_https_only(world):
    """Behind a TLS proxy (BEHIND_TLS_PROXY=true sets SECURE_PROXY_SSL_HEADER) the browser is told to keep to HTTPS
    for a year; over plain HTTP (the local demo) the header would be meaningless and is not sent."""
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        secure = Client().get("/login/", headers={"X-Forwarded-Proto": "https"})
        plain = Client().get("/login/")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain


def _pages(world) -> list[tuple[str, str]]:
    areas, people = world.areas, world.people
    anonymous = [("", "/login/"), ("", "/login/sms/")]
    staff = [("community_staff", url) for url in [
        "/", "/areas/", f"/areas/{areas['C1'].pk}/", f"/areas/{areas['C1'].pk}/?q=xfy",
        f"/areas/{areas['C1'].pk}/people/", f"/areas/{areas['C1'].pk}/households/", "/tokens/", "/password/",
        f"/areas/{areas['C2'].pk}/",  # a 404 page
    ]]
    others = [(name, "/") for name in ["resident", "grid_worker", "street_official", "district_official",
                                       "handler", "admin"]]
    admin = [("admin", url) for url in ["/admin/", "/admin/areas/area/", "/admin/areas/person/",
                                        f"/admin/areas/person/{people['resident'].pk}/change/",
                                        "/admin/areas/area/import/", "/admin/common/calendarday/"]]
    return anonymous + staff + others + admin


def test_no_page_loads_anything_from_the_internet_or_inline(world):
    for persona, url in _pages(world):
        client = Client()
        if persona:
            client.force_login(world.users[persona])
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (persona, url, response.status_code)
        html = response.content.decode()
        assert not REMOTE_ASSET.search(html), (persona, url, REMOTE_ASSET.search(html))
        if not url.startswith("/admin/"):  # Django's admin templates are not ours, but must still pass the CSP
            assert not INLINE_SCRIPT.search(html), (persona, url, INLINE_SCRIPT.search(html))
            assert not INLINE_STYLE.search(html), (persona, url, INLINE_STYLE.search(html))


def test_htmx_comes_from_our_static_files(world):
    client = Client()
    client.force_login(world.users["grid_worker"])
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert '"includeIndicatorStyles": false' in html  # otherwise htmx injects a <style> the CSP blocks
    assert finders.find("django_htmx/htmx-2.min.js")
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_stylesheet_and_script_fetch_nothing_remote():
    for name in ["web/app.css", "web/app.js"]:
        with open(finders.find(name), encoding="utf-8") as handle:
            text = handle.read()
        assert not re.search(r"https?://|@import|url\(\s*['\"]?//", text), name
        assert "@font-face" not in text


def test_language_switch_to_english_and_back(world):
    client = Client()
    client.force_login(world.users["grid_worker"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Home" in page and "Sign out" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "首页" in client.get("/").content.decode()
