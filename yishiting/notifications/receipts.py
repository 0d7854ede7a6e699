"""Delivery receipts: a sent message becomes `delivered`, or `failed` with the provider's code, when the provider
says what became of it (docs/messaging.md, "Receipts").

- Alibaba Cloud SMS and Tencent Cloud SMS: pulled (`receipts_poll`, a job each minute) — QuerySendDetails per
  message, PullSmsSendStatus as a queue. Pulling needs no inbound port, so it works behind an intranet's firewall.
- Or pushed by them, for an operator who opens the address to them (`receipts_pushed`: Alibaba's SmsReport HTTP
  batch push, Tencent's status callback; notifications.push).
- WeChat template messages: the TEMPLATESENDJOBFINISH event the official account's callback receives
  (notifications.callback, signed); subscription messages: the subscribe_msg_sent_event event
  (`subscription_receipt_apply`).

`receipt_apply` is the one writer: it moves a delivery from `sent` only, so a receipt repeated (the providers
push again when unsure, a pull may overlap) changes nothing, and a receipt for an id we do not know is ignored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Delivery
from .providers import AliyunSms, ReceiptUnavailable, TencentSms, china_time, provider_for

logger = logging.getLogger(__name__)
State = Delivery.State


def receipt_apply(*, provider: str, provider_id: str, delivered: bool, code: str, message: str = "",
                  at: datetime | None = None) -> bool:
    """Record one receipt: True when it changed a delivery (sent → delivered / failed), False when the id is
    unknown or the delivery already has its receipt."""
    if not provider_id:
        return False
    return bool(Delivery.objects.filter(provider=provider, provider_id=provider_id, state=State.SENT).update(
        state=State.DELIVERED if delivered else State.FAILED, provider_code=code[:64], provider_message=message[:200],
        finished_at=at or timezone.now()))


def subscription_receipt_apply(*, openid: str, msg_id: str, delivered: bool, code: str) -> bool:
    """A subscription message's receipt (subscribe_msg_sent_event). subscribe/bizsend answers no msgid, so the
    receipt goes to the earliest subscription message sent to `openid` in the last MESSAGING_RECEIPT_WINDOW_HOURS
    still waiting for one, and its MsgID is kept there: the same event pushed again changes nothing. The openid's
    waiting rows are locked first, so two pushes at once cannot both take the same row or skip one."""
    if not openid or not msg_id:
        return False
    now = timezone.now()
    window = now - timedelta(hours=settings.MESSAGING_RECEIPT_WINDOW_HOURS)
    with transaction.atomic():
        waiting = list(Delivery.objects.select_for_update()
                       .filter(provider="wechat", channel=Delivery.Channel.WECHAT, to=openid, state=State.SENT,
                               provider_id="", sent_at__gte=window)
                       .order_by("sent_at", "pk").values_list("pk", flat=True))
        if not waiting or Delivery.objects.filter(channel=Delivery.Channel.WECHAT, to=openid, provider="wechat",
                                                  provider_id=msg_id[:64]).exists():
            return False
        return bool(Delivery.objects.filter(pk=waiting[0], state=State.SENT).update(
            state=State.DELIVERED if delivered else State.FAILED, provider_id=msg_id[:64], provider_code=code[:64],
            finished_at=now))


def _pushed_receipt(provider: str, item: dict) -> tuple[str, bool, str, str, datetime | None]:
    """(provider id, delivered, code, message, when) of one pushed report, by the provider's documented fields."""
    if provider == "aliyun":  # SmsReport (HTTP 批量推送): biz_id, success, err_code, err_msg, report_time
        return (str(item.get("biz_id", "")), item.get("success") is True, str(item.get("err_code", "")),
                str(item.get("err_msg", "")), china_time(item.get("report_time")))
    # Tencent's 短信下发状态通知: sid (the send's SerialNo), report_status SUCCESS/FAIL, errmsg, description
    return (str(item.get("sid", "")), item.get("report_status") == "SUCCESS", str(item.get("errmsg", "")),
            str(item.get("description", "")), china_time(item.get("user_receive_time")))


def receipts_pushed(provider: str, items: list) -> ReceiptCounts:
    """Receipts an SMS provider pushed (a JSON array; several reports a push): each applied once by the
    provider's id. Entries that are not objects, or name no id, count as unknown."""
    counts = ReceiptCounts()
    for item in items:
        if not isinstance(item, dict):
            counts.unknown += 1
            continue
        provider_id, delivered, code, message, at = _pushed_receipt(provider, item)
        changed = receipt_apply(provider=provider, provider_id=provider_id, delivered=delivered, code=code,
                                message=message, at=at)
        counts.count(changed, delivered)
    return counts


@dataclass
class ReceiptCounts:
    delivered: int = 0
    failed: int = 0
    waiting: int = 0
    unknown: int = 0
    errors: int = 0

    def summary(self) -> str:
        """The job's report line (the command line and the jobs' admin stay Chinese)."""
        return (f"回执：送达 {self.delivered}，失败 {self.failed}，待回执 {self.waiting}，"  # zh-only: command line
                f"未知 {self.unknown}，出错 {self.errors}")  # zh-only: command line

    def count(self, changed: bool, delivered: bool | None) -> None:
        if delivered is None:
            self.waiting += 1
        elif not changed:
            self.unknown += 1
        elif delivered:
            self.delivered += 1
        else:
            self.failed += 1


def receipts_poll(*, now: datetime | None = None, limit: int | None = None) -> ReceiptCounts:
    """Pull the receipts of the configured SMS provider (Alibaba or Tencent; the others have none to pull).
    Idempotent and safe in several processes at once (receipt_apply moves a delivery once)."""
    now = now or timezone.now()
    counts = ReceiptCounts()
    provider = provider_for("sms")
    if isinstance(provider, AliyunSms):
        _poll_aliyun(provider, now, limit or settings.MESSAGING_RECEIPT_BATCH, counts)
    elif isinstance(provider, TencentSms):
        _pull_tencent(provider, limit or settings.MESSAGING_RECEIPT_BATCH, counts)
    return counts


def _poll_aliyun(provider: AliyunSms, now: datetime, limit: int, counts: ReceiptCounts) -> None:
    """One QuerySendDetails per sent message of the last MESSAGING_RECEIPT_WINDOW_HOURS, each asked at most every
    MESSAGING_RECEIPT_POLL_SECONDS, the least recently asked first."""
    window = now - timedelta(hours=settings.MESSAGING_RECEIPT_WINDOW_HOURS)
    recent = now - timedelta(seconds=settings.MESSAGING_RECEIPT_POLL_SECONDS)
    due = (Delivery.objects.filter(state=State.SENT, provider="aliyun", channel=Delivery.Channel.SMS,
                                   sent_at__gte=window).exclude(provider_id="")
           .exclude(receipt_checked_at__gt=recent)
           .order_by(F("receipt_checked_at").asc(nulls_first=True), "sent_at")
           .values_list("pk", "provider_id", "to", "sent_at")[:limit])
    for pk, biz_id, mobile, sent_at in due:
        try:
            receipt = provider.receipt(biz_id=biz_id, mobile=mobile, sent_at=sent_at)
        except ReceiptUnavailable as exc:  # down, throttled or a wrong key: the rest wait for the next run
            logger.warning("aliyun QuerySendDetails: %s", exc)
            counts.errors += 1
            return
        Delivery.objects.filter(pk=pk).update(receipt_checked_at=now)
        changed = receipt.delivered is not None and receipt_apply(
            provider="aliyun", provider_id=biz_id, delivered=receipt.delivered, code=receipt.code, at=receipt.at)
        counts.count(changed, receipt.delivered)


def _pull_tencent(provider: TencentSms, limit: int, counts: ReceiptCounts) -> None:
    """PullSmsSendStatus, 100 at a time, until the provider's queue is empty (or `limit` receipts)."""
    pulled = 0
    while pulled < limit:
        try:
            receipts = provider.pull_receipts(min(100, limit - pulled))
        except ReceiptUnavailable as exc:
            logger.warning("tencent PullSmsSendStatus: %s", exc)
            counts.errors += 1
            return
        for receipt in receipts:
            changed = receipt_apply(provider="tencent", provider_id=receipt.provider_id, delivered=bool(receipt.delivered),
                                    code=receipt.code, at=receipt.at)
            counts.count(changed, receipt.delivered)
        pulled += len(receipts)
        if len(receipts) < 100:
            return
