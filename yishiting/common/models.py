"""Shared records: the hash-chained event log, the audit log and the working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy


class Event(models.Model):
    """One thing that happened to one subject. Append-only; each row's hash chains to the previous one.

    The subject is (subject_type, subject_id), e.g. ("areas.area", "42"). `seq` counts from 1 per subject, so a
    deleted or reordered row breaks the chain and `yishiting verify` reports it.
    """

    subject_type = models.CharField(gettext_lazy("对象类型"), max_length=64)
    subject_id = models.CharField(gettext_lazy("对象编号"), max_length=64)
    seq = models.PositiveIntegerField(gettext_lazy("序号"))
    kind = models.CharField(gettext_lazy("事件"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(gettext_lazy("时间"), db_index=True)
    payload = models.JSONField(gettext_lazy("内容"), default=dict, blank=True)
    prev_hash = models.CharField(gettext_lazy("前一哈希"), max_length=64, blank=True)
    hash = models.CharField(gettext_lazy("哈希"), max_length=64)

    class Meta:
        verbose_name = gettext_lazy("事件")
        verbose_name_plural = gettext_lazy("事件日志")
        ordering = ["subject_type", "subject_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "seq"], name="event_subject_seq_unique"),
        ]
        indexes = [models.Index(fields=["kind", "at"], name="event_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError(gettext("事件日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(gettext("事件日志只能追加，不能删除。"))


class EventHead(models.Model):
    """The last seq and hash of each subject's chain, so a deleted last event is noticed too."""

    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = gettext_lazy("事件链头")
        verbose_name_plural = gettext_lazy("事件链头")
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="eventhead_subject_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} @{self.seq}"


class AuditEntry(models.Model):
    """Who did what sensitive thing when, and how it ended: logins and every unmasked read of personal data."""

    class Action(models.TextChoices):
        LOGIN = "login", gettext_lazy("登录")
        LOGIN_SMS = "login_sms", gettext_lazy("短信验证码登录")
        SMS_CODE_SENT = "sms_code_sent", gettext_lazy("发送验证码")
        LOGOUT = "logout", gettext_lazy("退出")
        UNMASK = "unmask", gettext_lazy("查看完整个人信息")
        TOKEN_CREATE = "token_create", gettext_lazy("创建接口令牌")
        TOKEN_REVOKE = "token_revoke", gettext_lazy("吊销接口令牌")

    class Outcome(models.TextChoices):
        SUCCESS = "success", gettext_lazy("成功")
        FAILURE = "failure", gettext_lazy("失败")
        LOCKED = "locked", gettext_lazy("已锁定")
        DENIED = "denied", gettext_lazy("拒绝")

    at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("用户"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(gettext_lazy("账号"), max_length=150, blank=True, db_index=True)
    action = models.CharField(gettext_lazy("操作"), max_length=32, choices=Action.choices)
    outcome = models.CharField(gettext_lazy("结果"), max_length=16, choices=Outcome.choices)
    target = models.CharField(gettext_lazy("对象"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(gettext_lazy("IP 地址"), null=True, blank=True)
    details = models.JSONField(gettext_lazy("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("审计记录")
        verbose_name_plural = gettext_lazy("审计日志")
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "action", "at"], name="audit_user_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.get_outcome_display()}"


class CalendarDay(models.Model):
    """A day that differs from the plain Monday–Friday rule: an official holiday or an adjusted workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", gettext_lazy("法定节假日（休息）")
        WORKDAY = "workday", gettext_lazy("调休上班日")

    date = models.DateField(gettext_lazy("日期"), unique=True)
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(gettext_lazy("名称"), max_length=64, blank=True)

    class Meta:
        verbose_name = gettext_lazy("节假日 / 调休日")
        verbose_name_plural = gettext_lazy("节假日 / 调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays have been entered. Years not listed fall back to weekends-only, with a warning."""

    year = models.PositiveSmallIntegerField(gettext_lazy("年份"), unique=True)
    source = models.CharField(gettext_lazy("来源"), max_length=64, default="chinesecalendar")
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("已录入年份")
        verbose_name_plural = gettext_lazy("已录入年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Job(models.Model):
    """The outbox of background work (yishiting/common/jobs.py): one row per job, written in the transaction that
    causes it, under a key that names its effect (`dossier_files:42`, `tick@2026-12-06T19`), so the same work is
    never recorded twice. `done_at` is set in the transaction of the job's effect: a run that died before it
    commits left nothing, and the job is pushed to the queue again."""

    key = models.CharField(gettext_lazy("幂等键"), max_length=200, unique=True)
    name = models.CharField(gettext_lazy("任务名"), max_length=64)
    kwargs = models.JSONField(gettext_lazy("参数"), default=dict)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)
    enqueued_at = models.DateTimeField(gettext_lazy("推入队列时间"), null=True, blank=True)
    task_id = models.CharField(gettext_lazy("队列编号"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(gettext_lazy("运行次数"), default=0)
    started_at = models.DateTimeField(gettext_lazy("最近开始"), null=True, blank=True)
    done_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)
    summary = models.TextField(gettext_lazy("结果"), blank=True)
    last_error = models.TextField(gettext_lazy("最近错误"), blank=True)
    # the request that enqueued it (common.logs): the job's log lines carry the same id
    request_id = models.CharField(gettext_lazy("请求编号"), max_length=128, blank=True, editable=False)

    class Meta:
        verbose_name = gettext_lazy("后台任务")
        verbose_name_plural = gettext_lazy("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["done_at", "enqueued_at"], name="job_pending_idx")]

    def __str__(self) -> str:
        return self.key


class Lease(models.Model):
    """A named lease one process holds until `expires_at` and renews while alive: the scheduler's (only the
    holder enqueues the periodic jobs; another scheduler waits and takes over when the holder stops renewing)."""

    name = models.CharField(gettext_lazy("名称"), max_length=64, primary_key=True)
    holder = models.CharField(gettext_lazy("持有者"), max_length=128)
    expires_at = models.DateTimeField(gettext_lazy("到期时间"))

    class Meta:
        verbose_name = gettext_lazy("租约")
        verbose_name_plural = gettext_lazy("租约")

    def __str__(self) -> str:
        return f"{self.name} → {self.holder}"
