"""Logging in to the API: per-user revocable tokens, the browser session with CSRF, and password bootstrap."""

from __future__ import annotations

from django.test import Client

from yishiting.accounts.models import ApiToken
from yishiting.accounts.services import token_create
from yishiting.common.models import AuditEntry
from yishiting.common.testing import PERSONA_PASSWORD

from .conftest import ApiClient, assert_error


def test_a_script_gets_its_first_token_with_a_password_and_uses_it(world):
    response = ApiClient().post("/tokens", {"name": "数据同步", "username": "street_official",
                                            "password": PERSONA_PASSWORD})
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("yst_")
    me = ApiClient(secret).get("/me").json()
    assert me["username"] == "street_official"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, username="street_official",
                                     outcome=AuditEntry.Outcome.SUCCESS).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_CREATE, user=world.users["street_official"]).exists()


def test_a_wrong_password_is_refused_audited_and_counts_toward_lockout(world):
    anonymous = ApiClient()
    wrong = {"name": "x", "username": "handler", "password": "Wrong-pass-1"}
    for _ in range(4):
        assert_error(anonymous.post("/tokens", wrong), 401, "invalid_credentials")
    assert_error(anonymous.post("/tokens", wrong), 403, "locked")  # the fifth failure locks the account
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, username="handler",
                                     outcome=AuditEntry.Outcome.FAILURE).count() == 5
    # Locked now: even the right password gets no token, and the refused attempt is audited too.
    assert_error(anonymous.post("/tokens", {"name": "x", "username": "handler", "password": PERSONA_PASSWORD}),
                 403, "locked")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, username="handler",
                                     outcome=AuditEntry.Outcome.LOCKED).exists()
    assert not ApiToken.objects.filter(user=world.users["handler"]).exists()


def test_creating_a_token_needs_a_login_or_a_password(world):
    assert_error(ApiClient().post("/tokens", {"name": "x"}), 401, "unauthenticated")
    assert_error(ApiClient().get("/tokens"), 401, "unauthenticated")


def test_a_logged_in_caller_does_not_also_send_a_password(api_as):
    response = api_as("admin").post("/tokens", {"name": "x", "username": "resident", "password": PERSONA_PASSWORD})
    assert_error(response, 400, "already_authenticated")


def test_token_list_shows_only_my_tokens_and_never_a_secret(world, api_as):
    mine = api_as("grid_worker")
    token_create(actor=world.users["resident"], name="别人的令牌")
    created = mine.post("/tokens", {"name": "第二个"}).json()
    listing = mine.get("/tokens").json()
    assert listing["count"] == 2
    assert {item["name"] for item in listing["items"]} == {"测试", "第二个"}
    assert all("secret" not in item for item in listing["items"])
    assert created["secret"] not in str(listing)


def test_a_revoked_token_stops_working_at_once(world, api_as):
    client = api_as("community_staff")
    token_id = client.get("/tokens").json()["items"][0]["id"]
    assert client.delete(f"/tokens/{token_id}").status_code == 204
    assert_error(client.get("/me"), 401, "invalid_token")
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_REVOKE, target=f"token:{token_id}").exists()


def test_nobody_can_revoke_or_even_see_someone_elses_token(world, api_as):
    other, _ = token_create(actor=world.users["resident"], name="居民的令牌")
    assert_error(api_as("admin").delete(f"/tokens/{other.pk}"), 404, "not_found")
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_unknown_or_malformed_tokens_are_401_with_the_error_shape(world):
    for header in ["Bearer yst_not-a-real-token", "Bearer something-else", "Bearer", "Token abc", "Basic eDp5"]:
        response = ApiClient().get("/me", headers={"Authorization": header})
        assert_error(response, 401, "invalid_token")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_refused_even_next_to_a_valid_session(world):
    client = ApiClient("yst_revoked-or-unknown")
    client.client.force_login(world.users["admin"])
    assert_error(client.get("/me"), 401, "invalid_token")


def test_a_browser_session_reads_and_writes_only_with_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["community_staff"])
    assert browser.get("/api/v1/me").json()["username"] == "community_staff"

    body = {"name": "会话登记", "area_id": world.areas["C1"].pk}
    refused = browser.post("/api/v1/people", body, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")

    browser.get("/api/v1/docs")  # any page that sets the CSRF cookie, as the browser would have
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/people", body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["name"] == "会***"
