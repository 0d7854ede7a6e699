"""What the web pages keep between two requests so that nobody loses what they typed or files twice:
a form's draft held across an expired session or a CSRF failure, and the idempotency key of a form that
creates something (web.guard)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class FormDraft(models.Model):
    """The fields of a POST that could not be saved (the session had expired, or the CSRF check failed).

    Nothing was written: the fields wait here, keyed by a random token held in a signed cookie of the same
    browser, for the account that rendered the form (`owner`); that account gets them back prefilled after
    logging in, nobody else ever does. Deleted when used, when another account logs in, and after 24 hours."""

    token = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    had_files = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = gettext_lazy("表单草稿")
        verbose_name_plural = gettext_lazy("表单草稿")

    def __str__(self) -> str:
        return self.path


class FormSubmission(models.Model):
    """A web form's idempotency key already used by a user: a second POST with it (a double tap, a retry on a
    weak network) goes where the first one went instead of creating again. `location` is empty while the
    first POST is still running."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("表单提交记录")
        verbose_name_plural = gettext_lazy("表单提交记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formsubmission_user_key_unique")]

    def __str__(self) -> str:
        return self.key
