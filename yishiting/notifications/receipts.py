"""Delivery receipts: a sent message becomes `delivered`, or `failed` with the provider's code, when the provider
says what became of it (docs/messaging.md, "Receipts").

- Alibaba Cloud SMS and Tencent Cloud SMS: pulled (`receipts_poll`, a job each minute) — QuerySendDetails per
  message, PullSmsSendStatus as a queue. Pulling needs no inbound port, so it works behind an intranet's firewall;
  both providers can also push (documented, not used).
- WeChat template messages: the TEMPLATESENDJOBFINISH event the official account's callback receives
  (notifications.callback, signed).

`receipt_apply` is the one writer: it moves a delivery from `sent` only, so a receipt repeated (the providers
push again when unsure, a pull may overlap) changes nothing, and a receipt for an id we do not know is ignored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import Delivery
from .providers import AliyunSms, ReceiptUnavailable, TencentSms, provider_for

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
