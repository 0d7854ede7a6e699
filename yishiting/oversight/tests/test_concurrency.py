"""Two handlers of the unit submitting the same 整改 item at the same moment, on PostgreSQL (SQLite serializes
every write, so there is no race there): exactly one submission is written, the other is refused."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.oversight.choices import ItemStatus
from yishiting.oversight.models import RectificationItem, RectificationReport
from yishiting.oversight.services import rectification as svc

from .world import build, issue

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_two_handlers_submit_the_same_item_at_once_exactly_one_wins(world):
    w = build(world)
    item = issue(w).items.get()
    svc.rectification_acknowledge(actor=w.users["handler"], item=item)
    outcomes = race([lambda who=who: svc.rectification_submit(actor=w.users[who], item=RectificationItem.objects.get(pk=item.pk),
                                                              text=f"{who} 已整改完成")
                     for who in ("handler", "handler2")])
    won = [o for o in outcomes if isinstance(o, RectificationItem)]
    lost = [o for o in outcomes if not isinstance(o, RectificationItem)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], Conflict) and lost[0].code in {"stale_state", "invalid_transition"}
    assert RectificationItem.objects.get(pk=item.pk).status == ItemStatus.SUBMITTED
    assert RectificationReport.objects.filter(item=item).count() == 1
