"""Shared records: the hash-chained event log, the audit log and the working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """One thing that happened to one subject. Append-only; each row's hash chains to the previous one.

    The subject is (subject_type, subject_id), e.g. ("areas.area", "42"). `seq` counts from 1 per subject, so a
    deleted or reordered row breaks the chain and `yishiting verify` reports it.
    """

    subject_type = models.CharField("对象类型", max_length=64)
    subject_id = models.CharField("对象编号", max_length=64)
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("事件", max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", db_index=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64, blank=True)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件日志"
        ordering = ["subject_type", "subject_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "seq"], name="event_subject_seq_unique"),
        ]
        indexes = [models.Index(fields=["kind", "at"], name="event_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("事件日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("事件日志只能追加，不能删除。")


class EventHead(models.Model):
    """The last seq and hash of each subject's chain, so a deleted last event is noticed too."""

    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "事件链头"
        verbose_name_plural = "事件链头"
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="eventhead_subject_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} @{self.seq}"


class AuditEntry(models.Model):
    """Who did what sensitive thing when, and how it ended: logins and every unmasked read of personal data."""

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_SMS = "login_sms", "短信验证码登录"
        SMS_CODE_SENT = "sms_code_sent", "发送验证码"
        LOGOUT = "logout", "退出"
        UNMASK = "unmask", "查看完整个人信息"
        TOKEN_CREATE = "token_create", "创建接口令牌"
        TOKEN_REVOKE = "token_revoke", "吊销接口令牌"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        LOCKED = "locked", "已锁定"
        DENIED = "denied", "拒绝"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("账号", max_length=150, blank=True, db_index=True)
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    target = models.CharField("对象", max_length=200, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "action", "at"], name="audit_user_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.get_outcome_display()}"


class CalendarDay(models.Model):
    """A day that differs from the plain Monday–Friday rule: an official holiday or an adjusted workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（休息）"
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=64, blank=True)

    class Meta:
        verbose_name = "节假日 / 调休日"
        verbose_name_plural = "节假日 / 调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays have been entered. Years not listed fall back to weekends-only, with a warning."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=64, default="chinesecalendar")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "已录入年份"
        verbose_name_plural = "已录入年份"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
