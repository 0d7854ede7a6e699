"""The 大字 (large-text) switch: a plain form that works without JavaScript, remembered in a cookie, before and
after signing in; it only ever sends the person back to a page of this site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def switch(client, size: str, back: str = "/login/"):
    return client.post("/text-size/", {"size": size, "next": back})


def test_large_text_is_switched_on_remembered_and_off_again(client):
    page = client.get("/login/").content.decode()
    assert 'class="text-large"' not in page and 'aria-pressed="false"' in page and "跳到主要内容" in page
    response = switch(client, "large")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert response.cookies["yst_text"].value == "large" and response.cookies["yst_text"]["max-age"] > 86400 * 300
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans" class="text-large">' in page and 'aria-pressed="true"' in page
    assert 'name="size" value="normal"' in page  # the same button now switches it off
    switch(client, "normal")
    assert 'class="text-large"' not in client.get("/login/").content.decode()


def test_large_text_holds_for_a_signed_in_resident(world, as_persona):
    client = as_persona("resident")
    switch(client, "large", "/demands/new/")
    assert 'class="text-large"' in client.get("/demands/new/").content.decode()


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", ""])
def test_the_switch_never_sends_anyone_off_site(client, back):
    assert switch(client, "large", back)["Location"] == "/"


def test_only_a_form_post_switches(client):
    assert client.get("/text-size/?size=large").status_code == 405
    assert "yst_text" not in client.cookies
