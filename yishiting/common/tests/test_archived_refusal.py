"""When the database refuses a write to an archived matter (the sealing triggers), people get one clear Chinese
refusal: a page goes back where it came from with the message; the API answers 409 `archived`. Any other
integrity error is left alone."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import IntegrityError
from django.test import RequestFactory

from yishiting.common.errors import archived_refusal
from yishiting.common.middleware import ArchivedRefusalMiddleware

SEALED = IntegrityError("archived_sealed: 该事项已归档（一事一档），不能再有任何变动。")


def _request(referer: str = ""):
    request = RequestFactory().post("/tasks/7/record/", HTTP_REFERER=referer)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_only_the_sealing_triggers_message_is_recognised():
    refusal = archived_refusal(SEALED)
    assert (refusal.status, refusal.code, refusal.message) == (409, "archived", "该事项已归档（一事一档），不能再改动。")
    assert archived_refusal(IntegrityError("UNIQUE constraint failed: demands_demand.number")) is None


@pytest.mark.parametrize("referer, back", [("http://testserver/tasks/7/", "http://testserver/tasks/7/"),
                                           ("https://evil.example.com/", "/"), ("", "/")])
def test_a_page_goes_back_where_it_came_from_with_the_reason(referer, back):
    request = _request(referer)
    response = ArchivedRefusalMiddleware(lambda r: None).process_exception(request, SEALED)
    assert response.status_code == 302 and response["Location"] == back
    assert [str(m) for m in get_messages(request)] == ["该事项已归档（一事一档），不能再改动。"]


def test_other_errors_pass_through_the_middleware():
    middleware = ArchivedRefusalMiddleware(lambda r: None)
    assert middleware.process_exception(_request(), IntegrityError("duplicate key")) is None
    assert middleware.process_exception(_request(), ValueError("archived_sealed")) is None
