"""The plan page's 1+8+N help through the test client (docs/parties.md): an ordinary person labelled 物业公司 is
not counted and said so; the missing party lists the estate's real property manager with an "添加" button, which
puts them on the list with that party and checks again; a tampered button changes nothing."""

from __future__ import annotations

import re

import pytest

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.services import organization_create, person_create, role_assign
from yishiting.deliberation.models import Meeting, Topic, Venue
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose

from .pages import main
from .test_meeting_pages import plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world) -> Topic:
    return topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                         description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])


@pytest.fixture
def venue(world) -> Venue:
    return venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                      area=world.areas["C1"], capacity=30)


@pytest.fixture
def manager(world):
    """The property manager of 幸福苑小区 (the estate of the topic's building)."""
    company = organization_create(actor=None, kind=OrganizationKind.PROPERTY_COMPANY, name="幸福苑小区物业中心",
                                  area=world.areas["G1"])
    person = person_create(actor=None, name="欧阳经理", mobile="13700000001", area=world.areas["G1"])
    role_assign(actor=None, person=person, role=Role.ORG_REPRESENTATIVE, area=world.areas["G1"], organization=company)
    return person


def section(page: str, party: str) -> str:
    found = re.search(rf'<div class="party-holder" data-party="{party}">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


def test_a_labelled_resident_is_not_counted_and_the_real_holder_is_one_tap_away(world, as_persona, topic, venue,
                                                                               manager):
    client = as_persona("community_secretary")
    ordinary = person_create(actor=None, name="冒名者", mobile="13700000002", area=world.areas["C1"])
    data = plan_data(world, topic, venue, extra=[ordinary.pk])
    data.update({f"invite-{ordinary.pk}": "on", f"party-{ordinary.pk}": "property"})
    checked = main(client.post(f"/meetings/new/?topic={topic.pk}", {**data, "check": "1"}))
    assert "不是管理本小区的物业服务企业的人员，不计入“物业公司”一方" in checked
    assert "缺少以下各方代表" in checked and "物业公司" in checked and "缺少的各方：可以邀请" in checked
    offered = section(checked, "property")
    assert f'value="{manager.pk}:property"' in offered and "物业中心" in offered
    assert f'value="{ordinary.pk}:' not in checked  # the labelled one is never offered as a holder
    assert "本小区业主委员会的成员" in checked and "还没有登记的本小区业主委员会的成员" in checked  # nobody holds it

    added = client.post(f"/meetings/new/?topic={topic.pk}", {**data, "add_holder": f"{manager.pk}:property"})
    page = main(added)
    assert added.status_code == 200 and not Meeting.objects.exists()  # checked again, not planned
    assert f'name="invite-{manager.pk}" id="invite-{manager.pk}" checked' in page
    assert re.search(rf'name="party-{manager.pk}".*?<option value="property" selected', page, re.S)
    assert section(page, "property") == "" and "核对结果" in page
    missing = re.search(r"缺少以下各方代表：([^。]*)。", page).group(1)
    assert "物业公司" not in missing and "业委会" in missing

    planned = client.post(f"/meetings/new/?topic={topic.pk}", {
        **data, f"invite-{manager.pk}": "on", f"party-{manager.pk}": "property",
        "extra": [*data["extra"], manager.pk], "plan": "1"})
    assert planned.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.participants.get(person=manager).party == "property"
    assert any(w["code"] == "party_unverified" for w in meeting.warnings)  # the labelled one stays, flagged


@pytest.mark.parametrize("value", ["abc:property", "1:chair", "99999999:property", ":", "1" * 30 + ":resident"])
def test_a_tampered_add_button_adds_nobody(world, as_persona, topic, venue, value):
    client = as_persona("community_secretary")
    response = client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "add_holder": value})
    assert response.status_code == 200 and not Meeting.objects.exists()  # checked again, never planned
    assert "核对结果" in main(response) and 'value="1" checked' not in main(response)
