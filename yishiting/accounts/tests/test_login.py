"""Password policy, lockout after 5 failures for 15 minutes, audit of every attempt, SMS codes, API tokens."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from yishiting.accounts.services import (
    login_is_locked,
    sms_code_login,
    sms_code_send,
    token_authenticate,
    token_create,
    token_revoke,
)
from yishiting.common.errors import DomainError
from yishiting.common.models import AuditEntry
from yishiting.common.testing import PERSONA_PASSWORD


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "lowercase123", "ABCDEFGH12"])
def test_weak_passwords_are_refused(password, db):
    if password == "ABCDEFGH12":  # upper + digits = 2 classes
        with pytest.raises(ValidationError, match="3 类"):
            validate_password(password)
        return
    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_is_accepted(db):
    validate_password("Xq7-long-enough")


def test_passwords_are_stored_with_argon2(world):
    assert world.users["resident"].password.startswith("argon2")


def _attempts(username):
    return list(AuditEntry.objects.filter(username=username).order_by("at").values_list("outcome", flat=True))


def test_five_failures_lock_the_account_even_for_the_right_password(world):
    for _ in range(5):
        assert authenticate(username="resident", password="wrong-Password1") is None
    assert authenticate(username="resident", password=PERSONA_PASSWORD) is None  # backend refuses while locked
    assert login_is_locked("resident")
    assert _attempts("resident") == ["failure"] * 5 + ["locked"]


def test_lock_lifts_after_15_minutes(world):
    for _ in range(5):
        authenticate(username="resident", password="wrong-Password1")
    AuditEntry.objects.filter(username="resident").update(at=timezone.now() - timedelta(minutes=16))
    assert authenticate(username="resident", password=PERSONA_PASSWORD) == world.users["resident"]


def test_a_success_resets_the_failure_count(world):
    for _ in range(4):
        authenticate(username="resident", password="wrong-Password1")
    assert authenticate(username="resident", password=PERSONA_PASSWORD)
    for _ in range(4):
        authenticate(username="resident", password="wrong-Password1")
    assert authenticate(username="resident", password=PERSONA_PASSWORD)


def test_sms_login_with_the_code_that_was_sent(world, messages_outbox):
    sms_code_send(mobile="13800000001")
    assert len(messages_outbox) == 1 and messages_outbox[0].to == "13800000001"
    code = messages_outbox[0].text.split("验证码是 ")[1][:6]
    with pytest.raises(DomainError, match="验证码错误"):
        sms_code_login(mobile="13800000001", code="000000" if code != "000000" else "111111")
    assert sms_code_login(mobile="13800000001", code=code) == world.users["resident"]
    with pytest.raises(DomainError):  # a code works once
        sms_code_login(mobile="13800000001", code=code)
    outcomes = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_SMS).order_by("at")
                    .values_list("outcome", flat=True))
    assert outcomes == ["failure", "success", "failure"]


def test_sms_for_an_unknown_number_sends_nothing_and_says_nothing(db, messages_outbox):
    sms_code_send(mobile="13900000000")
    assert messages_outbox == []
    with pytest.raises(DomainError, match="验证码错误"):
        sms_code_login(mobile="13900000000", code="123456")


def test_sms_resend_is_rate_limited(world, messages_outbox):
    sms_code_send(mobile="13800000001")
    with pytest.raises(DomainError, match="频繁"):
        sms_code_send(mobile="13800000001")


def test_tokens_authenticate_until_revoked(world):
    user = world.users["community_staff"]
    token, secret = token_create(actor=user, name="网格 App")
    assert token_authenticate(secret) == user
    assert secret not in str(token.__dict__)  # only the digest is stored
    assert token_authenticate(secret + "x") is None
    with pytest.raises(DomainError):
        token_revoke(actor=world.users["resident"], token=token)
    token_revoke(actor=user, token=token)
    assert token_authenticate(secret) is None
