"""Accounts: lockout state, API tokens and SMS-code login."""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.common.audit import audit_record
from yishiting.common.errors import DomainError
from yishiting.common.localcache import LocalCache
from yishiting.common.models import AuditEntry

from .models import ApiToken, SmsCode, User

TOKEN_PREFIX = "yst_"
SMS_MAX_ATTEMPTS = 5


def login_is_locked(username: str, *, now=None) -> bool:
    """Locked when the last LOGIN_MAX_FAILURES attempts in the window all failed (a success resets it)."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = list(
        AuditEntry.objects.filter(username=username, action__in=[AuditEntry.Action.LOGIN, AuditEntry.Action.LOGIN_SMS],
                                  at__gte=since)
        .exclude(outcome=AuditEntry.Outcome.LOCKED)
        .order_by("-at").values_list("outcome", flat=True)[: settings.LOGIN_MAX_FAILURES]
    )
    return len(recent) >= settings.LOGIN_MAX_FAILURES and all(o == AuditEntry.Outcome.FAILURE for o in recent)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str, request=None) -> tuple[ApiToken, str]:
    """Create an API token for `actor`. Returns the token and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("invalid_name", gettext("请填写令牌用途（不超过 100 字）。"), details={"field": "name"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:12], digest=_digest(secret))
    audit_record(action=AuditEntry.Action.TOKEN_CREATE, outcome=AuditEntry.Outcome.SUCCESS, request=request,
                 user=actor, target=f"token:{token.pk}")
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, request=None) -> ApiToken:
    """Revoke a token (idempotent). Only its owner or a superuser may."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise DomainError("not_found", gettext("找不到该令牌。"), status=404)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action=AuditEntry.Action.TOKEN_REVOKE, outcome=AuditEntry.Outcome.SUCCESS, request=request,
                     user=actor, target=f"token:{token.pk}")
    return token


def token_authenticate(secret: str) -> User | None:
    """The active user behind a token secret, or None for an unknown, revoked or inactive one.

    Every API request asks this, so the answer is kept per process for TOKEN_CACHE_SECONDS (see
    common.localcache): revoking a token, or saving its user or their person or roles, clears the cache at once
    in the process that made the change; other server processes stop accepting a revoked token within
    TOKEN_CACHE_SECONDS. Each request gets its own copy of the user (attributes set on it stay in the request).
    """
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    user = _token_users.get(_digest(secret))
    return copy.copy(user) if user is not None else None


def _load_token_user(digest: str) -> User | None:
    """One query (the token, its user and the user's person, by the unique digest) and, at most once a minute
    per token, the last-used time. The person's id, unit and mobile ride along as `user.token_person` — a hint
    that hot paths check against the database in their own statement (`vote_cast`), never trust alone."""
    q = connection.ops.quote_name
    sql = (f"SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at, p.id AS person_pk, "
           f"p.household_id AS person_household_id, p.mobile AS person_mobile "
           f"FROM {q(ApiToken._meta.db_table)} t JOIN {q(User._meta.db_table)} u ON u.id = t.user_id "
           f"LEFT JOIN {q(Person._meta.db_table)} p ON p.user_id = u.id "
           f"WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active")
    user = next(iter(User.objects.raw(sql, [digest])), None)
    if user is None:
        return None
    user.token_person = TokenPerson(user.person_pk, user.person_household_id, user.person_mobile or "") \
        if user.person_pk is not None else None
    last_used = user.token_last_used_at
    if isinstance(last_used, str):  # SQLite hands extra columns back as text
        last_used = datetime.fromisoformat(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, UTC)
    now = timezone.now()
    if last_used is None or now - last_used > timedelta(minutes=1):
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


@dataclass(frozen=True)
class TokenPerson:
    pk: int
    household_id: int | None
    mobile: str


TOKEN_CACHE_SECONDS = 10.0
_token_users = LocalCache("api_tokens", _load_token_user, watch=(ApiToken, User, Person),
                          ttl=TOKEN_CACHE_SECONDS, keep_none=False)


def _user_for_mobile(mobile: str) -> User | None:
    return User.objects.filter(person__mobile=mobile, is_active=True).first()


@transaction.atomic
def sms_code_send(*, mobile: str, request=None, purpose: str = "login") -> None:
    """Send a 6-digit code. For login it says nothing about whether the number has an account (no
    enumeration); for registration ("register") a registered number is refused with already_registered (409),
    so the person can be sent to log in instead. Both share the resend limit."""
    from yishiting.areas.validation import clean_mobile

    mobile = clean_mobile(mobile)
    if not mobile:
        raise DomainError("invalid_mobile", gettext("请填写手机号。"), details={"field": "mobile"})
    now = timezone.now()
    last = SmsCode.objects.filter(mobile=mobile).order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < settings.SMS_CODE_RESEND_SECONDS:
        raise DomainError("too_frequent", gettext("验证码发送过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": settings.SMS_CODE_RESEND_SECONDS},
                          status=429)
    user = _user_for_mobile(mobile)
    registering = purpose == "register"
    if registering and user is not None:
        raise _already_registered()
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(mobile=mobile, digest=_digest(f"{mobile}:{code}"),
                           expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS))
    if user is not None or registering:
        what = "注册" if registering else "登录"  # zh-only: the text message goes out in Chinese
        from yishiting.notifications.delivery import code_send  # the SMS provider, and its delivery record

        code_send(mobile=mobile, code=code, person=getattr(user, "person", None),
                  text=f"【议事厅】您的{what}验证码是 {code}，{settings.SMS_CODE_TTL_SECONDS // 60} 分钟内有效。"
                       "如非本人操作请忽略。")  # zh-only
    audit_record(action=AuditEntry.Action.SMS_CODE_SENT,
                 outcome=AuditEntry.Outcome.SUCCESS if user or registering else AuditEntry.Outcome.DENIED,
                 request=request, user=user, username=user.get_username() if user else mobile,
                 details={"purpose": "register"} if registering else None)


def sms_code_login(*, mobile: str, code: str, request=None) -> User:
    """Check a login code; returns the user. Wrong codes count toward the same lockout as passwords.

    The failed attempt is committed before the error is raised, so it is never rolled back.
    """
    from yishiting.areas.validation import clean_mobile

    mobile = clean_mobile(mobile)
    user = _user_for_mobile(mobile)
    username = user.get_username() if user else mobile
    if login_is_locked(username):
        audit_record(action=AuditEntry.Action.LOGIN_SMS, outcome=AuditEntry.Outcome.LOCKED, request=request,
                     username=username)
        raise DomainError("locked", gettext("登录失败次数过多，账号已锁定 %(minutes)s 分钟。") % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}, status=403)
    ok = _code_use(mobile, code, allowed=user is not None, request=request, user=user, username=username)
    if not ok:
        raise DomainError("invalid_code", gettext("验证码错误或已过期。"), status=400)
    return user


@transaction.atomic
def _code_use(mobile: str, code: str, *, allowed: bool, request, user, username: str, details=None) -> bool:
    """Check the newest live code for the mobile and count the try; the outcome is audited as an SMS login
    (so failures count toward the lockout). Committed on its own, so a failure is never rolled back."""
    now = timezone.now()
    sms = (SmsCode.objects.select_for_update()
           .filter(mobile=mobile, used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first())
    ok = (allowed and sms is not None and sms.attempts < SMS_MAX_ATTEMPTS
          and hmac.compare_digest(sms.digest, _digest(f"{mobile}:{(code or '').strip()}")))
    if sms is not None:
        sms.attempts += 1
        sms.used_at = now if ok else None
        sms.save(update_fields=["attempts", "used_at"])
    audit_record(action=AuditEntry.Action.LOGIN_SMS,
                 outcome=AuditEntry.Outcome.SUCCESS if ok else AuditEntry.Outcome.FAILURE,
                 request=request, user=user if ok else None, username=username, details=details)
    return ok


def _already_registered() -> DomainError:
    return DomainError("already_registered", gettext("该手机号已注册，请直接用短信验证码登录。"), status=409,
                       details={"field": "mobile", "login": "sms"})


def account_register(*, mobile: str, code: str, name: str, request=None) -> User:
    """A resident registers with their mobile and the code sent to it: a login (username = the mobile, no
    password) and a person with the name they gave, who holds the registrant role at the district until a
    household claim is verified (areas.claims). Events account.registered and person.created.

    Refused: invalid_mobile / invalid_name (400), already_registered (409), locked (403, the SMS-login
    lockout), invalid_code (400, counted toward the lockout) — and then no account is made."""
    from yishiting.areas.validation import clean_mobile

    mobile = clean_mobile(mobile)
    if not mobile:
        raise DomainError("invalid_mobile", gettext("请填写手机号。"), details={"field": "mobile"})
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError("invalid_name", gettext("请填写您的姓名（不超过 50 字）。"), details={"field": "name"})
    if _user_for_mobile(mobile) is not None or User.objects.filter(username=mobile).exists():
        raise _already_registered()
    if login_is_locked(mobile):
        audit_record(action=AuditEntry.Action.LOGIN_SMS, outcome=AuditEntry.Outcome.LOCKED, request=request,
                     username=mobile)
        raise DomainError("locked", gettext("验证码错误次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}, status=403)
    if not _code_use(mobile, code, allowed=True, request=request, user=None, username=mobile,
                     details={"purpose": "register"}):
        raise DomainError("invalid_code", gettext("验证码错误或已过期。"), status=400, details={"field": "code"})
    try:
        return _register(mobile, name)
    except IntegrityError:  # the same number registered a moment ago (another tab, a retry)
        raise _already_registered() from None


@transaction.atomic
def _register(mobile: str, name: str) -> User:
    from yishiting.areas.choices import Role
    from yishiting.areas.models import Area
    from yishiting.areas.services import person_create, role_assign
    from yishiting.common.events import event_append

    user = User(username=mobile)
    user.set_unusable_password()
    user.save()
    person = person_create(actor=user, name=name, mobile=mobile, user=user)
    for district in Area.objects.filter(parent__isnull=True, is_active=True):
        role_assign(actor=user, person=person, role=Role.REGISTRANT, area=district, title="注册居民（住户待认证）")  # zh-only: a stored record
    event_append(subject=person, kind="account.registered", actor=user, payload={"user": user.pk})
    return user
