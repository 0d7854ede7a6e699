"""Supervision (督): the group, the four kinds of record, bulletins and the topic's public progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.handling.choices import MemberRole, SupervisionKind
from yishiting.handling.models import Bulletin, SupervisionMember, SupervisionRecord
from yishiting.handling.selectors.tasks import topic_progress
from yishiting.handling.services import supervision as services
from yishiting.handling.services.tasks import task_report, task_submit, task_verify
from yishiting.notifications.models import Notification

from .tasks_world import assign, handling_topic, photo
from .world import resolved_topic


@pytest.fixture
def topic(world):
    return handling_topic(world)[0]


def test_group_members_join_once_and_are_told(world, topic):
    staff = world.users["community_staff"]
    member = services.supervision_member_add(actor=staff, topic=topic, person=world.people["resident"],
                                             role=MemberRole.STAKEHOLDER)
    assert Notification.objects.filter(person=world.people["resident"], text__contains="监督小组").exists()
    with pytest.raises(Conflict, match="已在监督小组"):
        services.supervision_member_add(actor=staff, topic=topic, person=world.people["resident"],
                                        role=MemberRole.PARTY_ORG)
    with pytest.raises(DomainError):
        services.supervision_member_add(actor=staff, topic=topic, person=world.people["resident2"], role="boss")
    services.supervision_member_remove(actor=staff, member=member)
    services.supervision_member_remove(actor=staff, member=member)  # a retry changes nothing more
    assert not SupervisionMember.objects.exists()
    assert [e.kind for e in events_of(topic) if e.kind.startswith("supervision.")] == [
        "supervision.member_added", "supervision.member_removed"]


@pytest.mark.parametrize("persona, allowed", [("community_staff", True), ("community_secretary", True),
                                              ("street_official", True), ("grid_worker", False),
                                              ("handler", False), ("resident", False)])
def test_who_may_supervise(world, topic, persona, allowed):
    record = lambda: services.supervision_record(  # noqa: E731
        actor=world.users[persona], topic=topic, kind=SupervisionKind.VISIT, text="走访3栋住户",
        happened_on=timezone.localdate())
    if allowed:
        assert record().supervisor == world.people[persona]
    else:
        with pytest.raises(PermissionDeniedError):
            record()
        assert not SupervisionRecord.objects.exists()


def test_records_of_each_kind_on_a_task_tell_its_handler(world, topic):
    task = assign(world, topic)
    staff = world.users["community_staff"]
    for kind in SupervisionKind.values:
        services.supervision_record(actor=staff, task=task, kind=kind, text=f"{kind}情况良好",
                                    happened_on=timezone.localdate())
    assert SupervisionRecord.objects.filter(task=task, topic=topic).count() == 4
    assert Notification.objects.filter(person=world.people["handler"], text__contains="督回访").exists()


@pytest.mark.parametrize("fields, code", [
    ({"kind": "inspect"}, "invalid_choice"),
    ({"text": " "}, "required"),
    ({"happened_on": None}, "invalid_date"),
    ({"happened_on": "tomorrow"}, "invalid_date"),
])
def test_bad_records_are_refused(world, topic, fields, code):
    data = {"kind": SupervisionKind.HANDLING, "text": "督办", "happened_on": timezone.localdate()}
    data.update(fields)
    if data["happened_on"] == "tomorrow":
        data["happened_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.supervision_record(actor=world.users["community_staff"], topic=topic, **data)
    assert caught.value.code == code
    assert not SupervisionRecord.objects.exists()


def test_a_topic_not_yet_publicised_is_not_supervised(world):
    topic, _ = resolved_topic(world)
    with pytest.raises(Conflict):
        services.bulletin_post(actor=world.users["community_staff"], topic=topic, text="进展")
    assert not Bulletin.objects.exists()


def test_progress_counts_closed_tasks_as_done_and_lists_bulletins(world, topic):
    one, two = assign(world, topic), assign(world, topic, title="加装感应开关")
    task_report(actor=world.users["handler"], task=one, text="完成一半", percent=50)
    task_submit(actor=world.users["handler"], task=two, evidence="已装", files=[("a.jpg", photo())])
    task_verify(actor=world.users["community_staff"], task=two, approve=True)
    services.bulletin_post(actor=world.users["community_staff"], topic=topic, text="灯具已到货，本周安装")
    progress = topic_progress(topic)
    assert (progress.percent, progress.closed, len(progress.tasks)) == (75, 1, 2)
    assert [b.text for b in progress.bulletins] == ["灯具已到货，本周安装"]


@pytest.mark.parametrize("persona", ["handler", "resident", "community_secretary"])
def test_a_new_members_notice_links_only_to_a_page_they_may_open(world, topic, persona):
    """The demo's handler, made 实施方 of a group, was sent to /topics/<id>/supervision/, which answers him 404."""
    from django.test import Client

    services.supervision_member_add(actor=world.users["community_staff"], topic=topic, person=world.people[persona],
                                    role=MemberRole.IMPLEMENTER)
    link = Notification.objects.get(person=world.people[persona], text__contains="监督小组").link
    client = Client()
    client.force_login(world.users[persona])
    assert not link or client.get(link).status_code == 200, link
    if persona == "handler":  # sees no topic outside his unit: at most its public progress
        assert "/supervision/" not in link
    else:
        assert link == f"/topics/{topic.pk}/supervision/"
