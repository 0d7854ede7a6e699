"""Two processors at once on PostgreSQL (SQLite serializes every write): each delivery is sent exactly once."""

from __future__ import annotations

import pytest

from yishiting.common.testing import race
from yishiting.notifications.delivery import deliver_pending
from yishiting.notifications.models import Delivery
from yishiting.notifications.services import notify

from .fakes import FakeAliyun

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]


def test_two_processors_send_each_delivery_once(world, settings):
    fake = FakeAliyun()
    try:
        settings.MESSAGING_BACKEND = "aliyun"
        settings.MESSAGING_BATCH = 7  # several claims each, interleaved
        settings.MESSAGING_ALIYUN = {"endpoint": fake.url, "access_key_id": "testId", "access_key_secret": "testSecret",
                                     "sign_name": "议事厅", "templates": {"notice": "SMS_1"}}
        settings.MESSAGING_DAILY_CAP = 100
        for i in range(40):
            notify(person=world.people["resident"] if i % 2 else world.people["grid_worker"], text=f"第{i}条")

        def drain():
            total = 0
            while (sent := deliver_pending().sent):
                total += sent
            return total

        outcomes = race([drain, drain, drain])
        assert all(isinstance(o, int) for o in outcomes), outcomes
        references = [r["OutId"] for r in fake.received]
        assert sum(outcomes) == 40 and len(references) == 40 and len(set(references)) == 40
        assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    finally:
        fake.close()


def test_subscription_receipts_pushed_at_once_each_take_one_message(world):
    """WeChat pushing the same subscribe_msg_sent_event twice at once, and two different ones: the duplicate takes
    no second message and the two receipts take the two messages, one each."""
    from django.utils import timezone

    from yishiting.notifications.receipts import subscription_receipt_apply

    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    for text in ("第一条", "第二条", "第三条"):
        Delivery.objects.create(person=world.people["resident"], channel="wechat", to=openid, text=text,
                                state=Delivery.State.SENT, provider="wechat", next_attempt_at=timezone.now(),
                                sent_at=timezone.now())

    def receipt(msg_id):
        return lambda: subscription_receipt_apply(openid=openid, msg_id=msg_id, delivered=True, code="success")

    outcomes = race([receipt("1001"), receipt("1001"), receipt("1002")])
    assert sorted(outcomes) == [False, True, True], outcomes
    taken = list(Delivery.objects.filter(to=openid).order_by("pk").values_list("state", "provider_id"))
    assert taken[:2] in ([("delivered", "1001"), ("delivered", "1002")], [("delivered", "1002"), ("delivered", "1001")])
    assert taken[2] == ("sent", "")
