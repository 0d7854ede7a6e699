"""我的接口令牌: the secret is shown once, works for the API, and stops working when revoked."""

from __future__ import annotations

import re

import pytest

from yishiting.accounts.models import ApiToken
from yishiting.accounts.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_create_shows_the_secret_once(world, as_persona):
    client = as_persona("grid_worker")
    response = client.post("/tokens/", {"name": "网格巡查小程序"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = re.search(r'<code id="new-token-secret">(yst_[^<]+)</code>', html).group(1)
    assert token_authenticate(secret) == world.users["grid_worker"]
    again = client.get("/tokens/").content.decode()
    assert secret not in again
    assert "网格巡查小程序" in again and secret[:12] in again and "有效" in again


def test_create_needs_a_name(world, as_persona):
    response = as_persona("grid_worker").post("/tokens/", {"name": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token(world, as_persona):
    token, secret = token_create(actor=world.users["grid_worker"], name="看板")
    client = as_persona("grid_worker")
    response = client.post(f"/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert "已吊销" in client.get("/tokens/").content.decode()
    assert token_authenticate(secret) is None


def test_other_peoples_tokens_are_invisible(world, as_persona):
    token, secret = token_create(actor=world.users["street_official"], name="街道看板")
    client = as_persona("grid_worker")
    assert "街道看板" not in client.get("/tokens/").content.decode()
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    assert token_authenticate(secret) == world.users["street_official"]


def test_tokens_page_needs_login(client):
    assert client.get("/tokens/")["Location"] == "/login/?next=/tokens/"
