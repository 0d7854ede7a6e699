from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy


class User(AbstractUser):
    """A login. Who the user is in the community (name, mobile, roles) lives on areas.Person."""

    class Meta:
        verbose_name = gettext_lazy("账号")
        verbose_name_plural = gettext_lazy("账号")


class ApiToken(models.Model):
    """A per-user, revocable API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, verbose_name=gettext_lazy("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(gettext_lazy("用途"), max_length=100)
    prefix = models.CharField(gettext_lazy("前缀"), max_length=12, db_index=True)
    digest = models.CharField(gettext_lazy("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(gettext_lazy("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(gettext_lazy("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("接口令牌")
        verbose_name_plural = gettext_lazy("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SmsCode(models.Model):
    """A one-time login code sent by text message. Only its hash is kept; it expires and allows few tries."""

    mobile = models.CharField(gettext_lazy("手机号"), max_length=11, db_index=True)
    digest = models.CharField(gettext_lazy("摘要"), max_length=64)
    created_at = models.DateTimeField(gettext_lazy("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(gettext_lazy("过期时间"))
    attempts = models.PositiveSmallIntegerField(gettext_lazy("尝试次数"), default=0)
    used_at = models.DateTimeField(gettext_lazy("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("短信验证码")
        verbose_name_plural = gettext_lazy("短信验证码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
