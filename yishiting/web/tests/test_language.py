"""One language per page: Chinese whatever the browser asks for; English only when the person picks it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def header_and_lang(html: str) -> tuple[str, str]:
    lang = re.search(r'<html lang="([^"]+)"', html).group(1)
    header = re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)
    return lang, header


@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "fr-FR,fr;q=0.8,en;q=0.5", "zh-TW", ""])
def test_a_browser_set_to_another_language_gets_the_whole_page_in_chinese(world, accept):
    client = Client(headers={"Accept-Language": accept})
    client.force_login(world.users["community_secretary"])
    response = client.get("/")
    lang, header = header_and_lang(response.content.decode())
    assert (lang, response["Content-Language"]) == ("zh-hans", "zh-hans")
    assert "退出" in header and "首页" in header
    assert "Log out" not in header and "Home" not in header


def test_the_login_page_is_chinese_for_an_english_browser():
    html = Client(headers={"Accept-Language": "en"}).get("/login/").content.decode()
    assert '<html lang="zh-hans"' in html and "登录" in html and "Sign in" not in html


def test_english_is_used_when_the_person_picks_it_and_chinese_again_when_they_switch_back(world):
    client = Client(headers={"Accept-Language": "zh-CN"})
    client.force_login(world.users["community_secretary"])
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    lang, header = header_and_lang(client.get("/").content.decode())
    assert lang == "en" and "Home" in header
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    lang, header = header_and_lang(client.get("/").content.decode())
    assert lang == "zh-hans" and "首页" in header


def test_an_unknown_language_cookie_falls_back_to_chinese(world):
    client = Client()
    client.cookies["django_language"] = "xx"
    assert '<html lang="zh-hans"' in client.get("/login/").content.decode()


def test_the_api_answers_in_chinese_with_its_stable_codes_for_an_english_client(world):
    response = Client(headers={"Accept-Language": "en"}).post(
        "/api/v1/tokens", {"name": "手机", "username": "resident", "password": "wrong"},
        content_type="application/json")
    body = response.json()
    assert response.status_code == 401 and body["code"] == "invalid_credentials", body
    assert re.search(r"[\u4e00-\u9fff]", body["message"]) and response["Content-Language"] == "zh-hans"


def test_the_api_stays_chinese_for_a_person_who_picked_english(world):
    """Content-Language shows the language active while the API answered."""
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post("/api/v1/tokens", {"name": "手机", "username": "resident", "password": "wrong"},
                           content_type="application/json")
    body = response.json()
    assert body["code"] == "invalid_credentials" and re.search(r"[\u4e00-\u9fff]", body["message"]), body
    assert response["Content-Language"] == "zh-hans"
