"""/api/v1/health: no login, no data; 200 while the database answers, 503 when it does not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_without_login_and_says_nothing_else():
    response = Client().get("/api/v1/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": True}


def test_health_is_503_when_the_database_does_not_answer(monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/api/v1/health")
    assert response.status_code == 503 and response.json() == {"status": "database_unavailable", "database": False}
