from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person


class Notification(models.Model):
    """What was sent to a person: shown in-app ("我的消息") and, when they have a mobile, sent as a text."""

    # No index of its own: notification_person_idx (person, -created_at) starts with it.
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("接收人"), on_delete=models.CASCADE, related_name="notifications",
                               db_index=False)
    text = models.CharField(gettext_lazy("内容"), max_length=500)
    link = models.CharField(gettext_lazy("链接"), max_length=200, blank=True)
    subject_type = models.CharField(gettext_lazy("对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(gettext_lazy("对象编号"), max_length=64, blank=True)
    sent_by_sms = models.BooleanField(gettext_lazy("已发短信"), default=False)
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(gettext_lazy("已读时间"), null=True, blank=True)
    # Its deliveries are still to be made by the processor (notifications.delivery): set by a write that inserts
    # the notification in a statement of its own (a demand's one-statement intake), so the outbox is this row.
    outbox = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = gettext_lazy("通知")
        verbose_name_plural = gettext_lazy("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "-created_at"], name="notification_person_idx"),
                   models.Index(fields=["id"], name="notification_outbox_idx", condition=models.Q(outbox=True))]

    def __str__(self) -> str:
        return self.text[:30]


class MessagePreference(models.Model):
    """How a person wants to be told (我的消息设置): the channels, quiet hours for texts, a daily digest.

    No row means the defaults: SMS on, quiet hours MESSAGING_QUIET_HOURS, a digest for staff when
    MESSAGING_STAFF_DIGEST says so (docs/messaging.md)."""

    person = models.OneToOneField(Person, verbose_name=gettext_lazy("人员"), on_delete=models.CASCADE,
                                  related_name="message_preference")
    sms = models.BooleanField(gettext_lazy("短信"), default=True)
    wechat = models.BooleanField(gettext_lazy("微信"), default=False)
    wechat_openid = models.CharField(gettext_lazy("微信 OpenID"), max_length=64, blank=True)
    quiet = models.BooleanField(gettext_lazy("夜间免打扰"), default=True)
    quiet_start = models.TimeField(gettext_lazy("免打扰开始"), default="22:00")
    quiet_end = models.TimeField(gettext_lazy("免打扰结束"), default="07:00")
    digest = models.BooleanField(gettext_lazy("每日汇总"), default=False)
    digest_at = models.TimeField(gettext_lazy("汇总发送时间"), default="18:00")
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("消息设置")
        verbose_name_plural = gettext_lazy("消息设置")

    def __str__(self) -> str:
        return str(self.person)


class Delivery(models.Model):
    """One message on one channel to one person: the outbox row written with the notification, then what the
    provider answered. `deliver_pending()` (notifications.delivery) sends the due ones."""

    class State(models.TextChoices):
        QUEUED = "queued", gettext_lazy("待发送")
        SENDING = "sending", gettext_lazy("发送中")
        SENT = "sent", gettext_lazy("已发送")
        DELIVERED = "delivered", gettext_lazy("已送达")
        FAILED = "failed", gettext_lazy("发送失败")
        HELD = "held", gettext_lazy("待汇总")
        DIGESTED = "digested", gettext_lazy("已汇总")
        CAPPED = "capped", gettext_lazy("超出每日上限")

    class Channel(models.TextChoices):
        SMS = "sms", gettext_lazy("短信")
        WECHAT = "wechat", gettext_lazy("微信")

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("接收人"), on_delete=models.CASCADE,
                               related_name="deliveries", null=True, blank=True)  # none: a registration code
    notification = models.ForeignKey(Notification, verbose_name=gettext_lazy("通知"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="deliveries")
    digest = models.ForeignKey("self", verbose_name=gettext_lazy("汇总"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="parts")
    channel = models.CharField(gettext_lazy("渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(gettext_lazy("类型"), max_length=10, default="notice")  # notice, code, digest
    to = models.CharField(gettext_lazy("发送至"), max_length=64)
    text = models.CharField(gettext_lazy("内容"), max_length=1000)
    link = models.CharField(gettext_lazy("链接"), max_length=200, blank=True)
    urgent = models.BooleanField(gettext_lazy("紧急"), default=False)
    state = models.CharField(gettext_lazy("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    provider = models.CharField(gettext_lazy("服务商"), max_length=16, blank=True)
    attempts = models.PositiveSmallIntegerField(gettext_lazy("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(gettext_lazy("下次发送时间"))
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider_code = models.CharField(gettext_lazy("服务商返回码"), max_length=64, blank=True)
    provider_message = models.CharField(gettext_lazy("服务商说明"), max_length=200, blank=True)
    provider_id = models.CharField(gettext_lazy("服务商回执号"), max_length=64, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(gettext_lazy("发送时间"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("结束时间"), null=True, blank=True)
    # When the provider's delivery receipt was last asked for (pulled receipts: notifications.receipts).
    receipt_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = gettext_lazy("发送记录")
        verbose_name_plural = gettext_lazy("发送记录")
        ordering = ["-created_at"]
        indexes = [
            # the processor's scan: the due rows of a few states only
            models.Index(fields=["next_attempt_at"], name="delivery_due_idx",
                         condition=models.Q(state__in=["queued", "held", "sending"])),
            models.Index(fields=["person", "-created_at"], name="delivery_person_idx"),
            models.Index(fields=["state", "-created_at"], name="delivery_state_idx"),
            # a receipt finds its delivery by the provider's id (BizId, SerialNo, msgid) among the sent ones
            models.Index(fields=["provider", "provider_id"], name="delivery_receipt_idx",
                         condition=models.Q(state="sent")),
            # a subscription message's receipt finds its person's waiting WeChat messages, and its MsgID if taken
            models.Index(fields=["to", "provider_id"], name="delivery_wechat_to_idx",
                         condition=models.Q(channel="wechat")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_state_display()}"


class WechatBindCode(models.Model):
    """A one-time code shown on 我的消息设置: the person sends it to the official account, whose callback binds
    the sender's openid to the person (notifications.binding). Valid WECHAT_BIND_CODE_MINUTES (10), once."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.CASCADE,
                               related_name="wechat_bind_codes")
    code = models.CharField(gettext_lazy("绑定码"), max_length=16, db_index=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(gettext_lazy("失效时间"))
    used_at = models.DateTimeField(gettext_lazy("使用时间"), null=True, blank=True)
    openid = models.CharField(gettext_lazy("微信 OpenID"), max_length=64, blank=True)  # who used it

    class Meta:
        verbose_name = gettext_lazy("微信绑定码")
        verbose_name_plural = gettext_lazy("微信绑定码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.person)
