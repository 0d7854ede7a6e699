"""Helpers for API tests: real tokens for the fixed personas and a JSON client that sends them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from yishiting.accounts.services import token_create


class ApiClient:
    """Talks to /api/v1/ over the Django test client, as a user with a real API token (or anonymously)."""

    def __init__(self, secret: str | None = None) -> None:
        self.client = Client()
        self.secret = secret

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | str | None = None,
                headers: dict[str, str] | None = None, **query: Any):
        headers = dict(headers or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        url = "/api/v1" + path
        if method == "GET":
            return self.client.get(url, query, headers=headers)
        kwargs = {"content_type": "application/json", "headers": headers}
        if data is not None:
            kwargs["data"] = data
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **query: Any):
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None, **kwargs: Any):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api_as(world):
    """api_as("community_staff") → an ApiClient holding a freshly created token of that persona."""

    def make(persona: str | None) -> ApiClient:
        if persona is None:
            return ApiClient()
        _, secret = token_create(actor=world.users[persona], name="测试")
        return ApiClient(secret)

    return make


def assert_error(response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an error with the API's one shape (and, if given, this status and code)."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]  # a Chinese message
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def frozen(monkeypatch):
    """One fixed clock, so two answers to the same request can be compared byte for byte (the fast paths)."""
    at = datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("快速路径只在 PostgreSQL 上启用；SQLite 上全部交给 Django（见各文件的 test_on_sqlite_django_answers）")
