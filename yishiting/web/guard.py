"""Nobody loses what they typed, nobody files twice: two small guards for the web forms.

Drafts (`keeps_draft`): when a POST to a form that keeps drafts arrives without a session (the idle timeout
logged the person out) or fails the CSRF check (views.csrf), nothing is written; its fields are stashed in
FormDraft under a random token held in a signed cookie of that browser, for the account that rendered the form
(a signed hidden field, `form_owner`). After logging in, that account finds the form filled in again with
"已为您保留刚才填写的内容"; another account logging in next in that browser never sees it (the draft is deleted).
Photos are not kept: the person is asked to choose them again. Drafts expire after DRAFT_HOURS.

Idempotency (`idempotent`): every form that creates something carries a random `form_key` (`{% form_guard %}`,
also in partials/form_fields.html). The first POST with a key claims it; when it answers with a redirect (the
created object, or the page that shows it) a second POST with the same key gets the same redirect and creates
nothing. A POST without a key (an old page, a script) works as before, unprotected; a form that came back
with errors frees its key for the corrected resend.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from .models import FormDraft, FormSubmission

KEY_FIELD = "form_key"
OWNER_FIELD = "form_owner"
OWNER_SALT = "yishiting.web.form_owner"
OWNER_MAX_AGE = 7 * 24 * 3600  # a form may stay open on a phone for days
DRAFT_COOKIE = "yst_draft"
DRAFT_SALT = "yishiting.web.draft"
DRAFT_HOURS = 24
KEPT_MESSAGE = gettext_lazy("已为您保留刚才填写的内容。")
PHOTOS_AGAIN = gettext_lazy("照片需要重新选择。")
NOT_STASHED = {"csrfmiddlewaretoken", OWNER_FIELD, KEY_FIELD, "preview"}
MAX_FIELDS, MAX_VALUES, MAX_CHARS = 40, 20, 5000
KEY_CHARS = set("0123456789abcdefABCDEF-")
REPLAY_WAIT_SECONDS = 5.0


# --- the hidden fields --------------------------------------------------------------------------------------

def guard_fields(request: HttpRequest | None, *, owner: bool = True) -> str:
    """The hidden inputs of `{% form_guard %}`: a fresh idempotency key, and who rendered the form (signed)."""
    html = format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, secrets.token_hex(16))
    user = getattr(request, "user", None)
    if owner and user is not None and user.is_authenticated:
        html += format_html('<input type="hidden" name="{}" value="{}">', OWNER_FIELD,
                            signing.dumps(user.pk, salt=OWNER_SALT, compress=True))
    return html


def _owner_id(request: HttpRequest) -> int | None:
    try:
        value = signing.loads(request.POST.get(OWNER_FIELD, ""), salt=OWNER_SALT, max_age=OWNER_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


# --- drafts ------------------------------------------------------------------------------------------------

def stash_draft(request: HttpRequest) -> str | None:
    """Keep the POSTed fields for the account that rendered the form; its token, or None when that account is
    unknown (then nothing is kept). `remember_draft` puts the token in the browser."""
    owner = _owner_id(request)
    if owner is None:
        return None
    # Expired drafts go, and so does this person's earlier draft of this form: the newest one is what they want.
    FormDraft.objects.filter(Q(created_at__lt=timezone.now() - timedelta(hours=DRAFT_HOURS)) |
                             Q(owner_id=owner, path=request.path[:200])).delete()
    data = {name: [value[:MAX_CHARS] for value in values[:MAX_VALUES]]
            for name, values in list(request.POST.lists())[:MAX_FIELDS] if name not in NOT_STASHED}
    draft = FormDraft.objects.create(token=secrets.token_urlsafe(32), path=request.path[:200], owner_id=owner,
                                     data=data, had_files=any(f.size for f in request.FILES.values()))
    return draft.token


def remember_draft(response: HttpResponse, token: str) -> HttpResponse:
    response.set_signed_cookie(DRAFT_COOKIE, token, salt=DRAFT_SALT, max_age=DRAFT_HOURS * 3600,
                               httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def _draft_in_browser(request: HttpRequest) -> FormDraft | None:
    token = request.get_signed_cookie(DRAFT_COOKIE, default=None, salt=DRAFT_SALT, max_age=DRAFT_HOURS * 3600)
    if not token:
        return None
    since = timezone.now() - timedelta(hours=DRAFT_HOURS)
    return FormDraft.objects.filter(token=token, created_at__gte=since).first()


def forget_foreign_draft(sender, request: HttpRequest, user, **kwargs) -> None:
    """On login (signal user_logged_in): a draft waiting in this browser for another account is deleted."""
    draft = _draft_in_browser(request) if request is not None else None
    if draft is not None and draft.owner_id != user.pk:
        draft.delete()


class Draft:
    """The draft waiting for this person on this page (`request.form_draft`)."""

    def __init__(self, row: FormDraft) -> None:
        self.row = row
        self.data = QueryDict(mutable=True)
        for name, values in row.data.items():
            self.data.setlist(name, values)

    @property
    def had_files(self) -> bool:
        return self.row.had_files

    def get(self, name: str) -> str | None:
        return self.data.get(name)

    def fill(self, request: HttpRequest, form) -> None:
        """Put the kept values into an unbound form as its initial values, and tell the person."""
        for name, field in form.fields.items():
            widget = field.widget
            if getattr(widget, "input_type", "") == "file" or widget.value_omitted_from_data(
                    self.data, MultiValueDict(), form.add_prefix(name)):
                continue
            form.initial[name] = widget.value_from_datadict(self.data, MultiValueDict(), form.add_prefix(name))
        messages.info(request, KEPT_MESSAGE + (PHOTOS_AGAIN if self.had_files else ""))


def draft_of(request: HttpRequest) -> Draft | None:
    return getattr(request, "form_draft", None)


def keeps_draft(view: Callable) -> Callable:
    """Outermost decorator of a form view whose content must survive an expired session or a CSRF failure."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not request.user.is_authenticated:
            token = stash_draft(request)
            messages.warning(request, gettext("登录已超时，请重新登录。您刚才填写的内容已保留，登录后会回到表单。")
                             if token else gettext("登录已超时，请重新登录。"))
            response = redirect_to_login(request.get_full_path())
            return remember_draft(response, token) if token else response
        row = _draft_in_browser(request) if request.user.is_authenticated else None
        if row is not None and row.owner_id != request.user.pk:
            row.delete()  # someone else's: never shown to this account
            row = None
        request.form_draft = Draft(row) if row is not None and row.path == request.path else None
        response = view(request, *args, **kwargs)
        saved = request.method == "POST" and response.status_code in (301, 302, 303)
        if saved and row is not None and row.path == request.path:
            row.delete()  # saved: the draft has done its work
            response.delete_cookie(DRAFT_COOKIE, samesite="Lax")
        return response

    wrapped.keeps_draft = True
    return wrapped


# --- idempotency keys --------------------------------------------------------------------------------------

def _key(request: HttpRequest) -> str | None:
    key = request.POST.get(KEY_FIELD, "").strip()
    return key if 16 <= len(key) <= 64 and set(key) <= KEY_CHARS else None


def _claim(request: HttpRequest, key: str) -> tuple[FormSubmission, bool]:
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(user=request.user, key=key, path=request.path[:200]), True
    except IntegrityError:
        return FormSubmission.objects.get(user=request.user, key=key), False


def _replay(request: HttpRequest, record: FormSubmission) -> HttpResponse:
    """The answer to a second POST with a used key: where the first one went (waiting briefly if it still runs)."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while not record.location and time.monotonic() < deadline:
        time.sleep(0.2)
        record = FormSubmission.objects.filter(pk=record.pk).first() or record
    if record.path != request.path[:200] or not record.location:
        return render(request, "web/pages/auth/form_busy.html", status=409)
    messages.info(request, gettext("这张表单刚才已经提交过，没有重复保存。"))
    return redirect(record.location)


def idempotent(view: Callable) -> Callable:
    """A form view that creates something: a second POST with the same `form_key` creates nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request) if request.method == "POST" and request.user.is_authenticated else None
        if key is None:
            return view(request, *args, **kwargs)
        FormSubmission.objects.filter(user=request.user,
                                      created_at__lt=timezone.now() - timedelta(days=2)).delete()
        record, first = _claim(request, key)
        if not first:
            return _replay(request, record)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            record.location = response["Location"][:500]
            record.save(update_fields=["location"])
        else:
            record.delete()  # nothing created (the form came back with errors): the key may be sent again
        return response

    wrapped.idempotent = True
    return wrapped
