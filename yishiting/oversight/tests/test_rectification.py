"""整改清单 through its services: issuing with working-day deadlines, the item's life (acknowledge, report with
photos, submit, return, resubmit, accept), wrong states refused in Chinese with nothing changed, who may do
what, and the tick's yellow and red warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.calendar import add_working_days
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.handling.tests.tasks_world import photo
from yishiting.notifications.models import Notification
from yishiting.oversight.choices import ItemStatus
from yishiting.oversight.models import RectificationItem, RectificationList, RectificationWarning
from yishiting.oversight.services import rectification as svc
from yishiting.oversight.warnings import rectification_tick

from .world import build, issue

S = ItemStatus


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def w(world):
    return build(world)


def test_issue_sets_working_day_deadlines_numbers_the_list_and_tells_both_handlers(w):
    rect = issue(w, days=(5, 10))
    today = timezone.localdate()
    items = list(rect.items.order_by("seq"))
    assert [i.deadline for i in items] == [add_working_days(today, 5).date, add_working_days(today, 10).date]
    assert rect.number == f"ZG{today:%Y}-{rect.pk:05d}" and rect.issuer_area == w.areas["S1"]
    assert all(i.status == S.ISSUED and i.organization == w.organizations["agency"] for i in items)
    told = set(Notification.objects.filter(subject_type="oversight.rectificationitem").values_list("person__name", flat=True))
    assert told == {"郑经办", "王经办"}
    assert events_of(rect).get().kind == "rectification.issued"


def test_the_whole_life_of_an_item_return_then_resubmit_then_accept(w):
    item = issue(w).items.get()
    handler, official = w.users["handler"], w.users["street_official"]
    svc.rectification_acknowledge(actor=handler, item=item)
    report = svc.rectification_report(actor=handler, item=item, text="已清理一半", photos=[photo()])
    assert report.photos.count() == 1
    svc.rectification_submit(actor=handler, item=item, text="已全部清理", photos=[photo((200, 10, 10))])
    svc.rectification_return(actor=official, item=item, reason="东侧墙角仍有杂物")
    item.refresh_from_db()
    assert (item.status, item.returns, item.last_note) == (S.RETURNED, 1, "东侧墙角仍有杂物")
    svc.rectification_submit(actor=w.users["handler2"], item=item, text="东侧墙角已清理")
    svc.rectification_accept(actor=official, item=item, note="验收合格")
    item.refresh_from_db()
    assert item.status == S.ACCEPTED and item.accepted_at is not None
    kinds = [e.kind for e in events_of(item).order_by("seq")]
    assert kinds == ["rectification.item_issued", "rectification.acknowledged", "rectification.reported",
                     "rectification.submitted", "rectification.evidence", "rectification.returned",
                     "rectification.submitted", "rectification.evidence", "rectification.accepted"]


@pytest.mark.parametrize("act", ["submit", "accept", "return", "report"])
def test_a_wrong_state_is_refused_in_chinese_and_nothing_changes(w, act):
    item = issue(w).items.get()  # still 待签收
    calls = {
        "submit": lambda: svc.rectification_submit(actor=w.users["handler"], item=item, text="好了"),
        "accept": lambda: svc.rectification_accept(actor=w.users["street_official"], item=item),
        "return": lambda: svc.rectification_return(actor=w.users["street_official"], item=item, reason="不行"),
        "report": lambda: svc.rectification_report(actor=w.users["handler"], item=item, text="进展"),
    }
    with pytest.raises(Conflict) as refused:
        calls[act]()
    assert "待签收" in refused.value.message
    item.refresh_from_db()
    assert item.status == S.ISSUED and item.reports.count() == 0
    assert [e.kind for e in events_of(item)] == ["rectification.item_issued"]


def test_accepted_items_are_final(w):
    item = issue(w).items.get()
    svc.rectification_acknowledge(actor=w.users["handler"], item=item)
    svc.rectification_submit(actor=w.users["handler"], item=item, text="完成")
    svc.rectification_accept(actor=w.users["street_official"], item=item)
    with pytest.raises(Conflict) as refused:
        svc.rectification_return(actor=w.users["district_official"], item=item, reason="再看看")
    assert refused.value.message == "当前状态“已销号”不能变为“已退回”。"


def test_who_may_issue_work_and_decide(w):
    with pytest.raises(PermissionDeniedError):  # a community secretary issues only to units, not to areas
        svc.rectification_issue(actor=w.users["community_secretary"], title="清单", target_area=w.areas["C1"],
                                items=[svc.ItemInput("事项", 3)])
    with pytest.raises(PermissionDeniedError):  # a unit outside the community
        issue(w, by="community_secretary", org="agency")
    rect = issue(w, by="community_secretary", org="property")
    item = rect.items.get()
    with pytest.raises(PermissionDeniedError):  # another unit's handler
        svc.rectification_acknowledge(actor=w.users["handler"], item=item)
    svc.rectification_acknowledge(actor=w.users["property_handler"], item=item)
    svc.rectification_submit(actor=w.users["property_handler"], item=item, text="完成")
    with pytest.raises(PermissionDeniedError):  # the worker never accepts their own item
        svc.rectification_accept(actor=w.users["property_handler"], item=item)
    with pytest.raises(PermissionDeniedError):  # community staff are not the issuing secretary's level of office
        svc.rectification_accept(actor=w.users["community_staff"], item=item)
    svc.rectification_accept(actor=w.users["street_official"], item=item)  # a level above may
    assert RectificationItem.objects.get(pk=item.pk).status == S.ACCEPTED


def test_a_community_list_is_worked_by_its_staff(w):
    rect = svc.rectification_issue(actor=w.users["street_official"], title="社区党建整改", target_area=w.areas["C1"],
                                   items=[svc.ItemInput("党员活动室台账不全", 10)])
    item = rect.items.get()
    svc.rectification_acknowledge(actor=w.users["community_staff"], item=item)
    with pytest.raises(PermissionDeniedError):
        svc.rectification_submit(actor=w.users["handler"], item=item, text="完成")


@pytest.mark.parametrize("title,items,code", [
    ("", [svc.ItemInput("事项", 3)], "required"),
    ("清单", [], "items_required"),
    ("清单", [svc.ItemInput("事项", 0)], "invalid_days"),
    ("清单", [svc.ItemInput("事项", 999)], "invalid_days"),
])
def test_bad_input_is_refused_and_nothing_is_written(w, title, items, code):
    with pytest.raises(DomainError) as refused:
        svc.rectification_issue(actor=w.users["street_official"], title=title, items=items,
                                target_organization=w.organizations["agency"])
    assert refused.value.code == code and refused.value.message
    assert not RectificationList.objects.exists()


def test_return_needs_a_reason(w):
    item = issue(w).items.get()
    svc.rectification_acknowledge(actor=w.users["handler"], item=item)
    svc.rectification_submit(actor=w.users["handler"], item=item, text="完成")
    with pytest.raises(DomainError) as refused:
        svc.rectification_return(actor=w.users["street_official"], item=item, reason="  ")
    assert refused.value.message == "请写明退回理由。"


def test_tick_warns_yellow_then_red_once_each(w):
    from yishiting.common.ticks import registered_ticks

    assert "rectification" in registered_ticks()  # `yishiting tick` runs it
    item = issue(w, days=(5,)).items.get()
    assert rectification_tick(today=item.deadline).yellow == 1  # all working days used
    counts = rectification_tick(today=item.deadline + timedelta(days=1))
    assert (counts.yellow, counts.red) == (0, 1)
    assert rectification_tick(today=item.deadline + timedelta(days=2)).red == 0
    assert set(RectificationWarning.objects.values_list("level", flat=True)) == {"yellow", "red"}
    red = Notification.objects.filter(text__startswith="【红色预警】").values_list("person__name", flat=True)
    assert set(red) == {"郑经办", "王经办", "周主任"}
