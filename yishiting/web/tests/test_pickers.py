"""The pickers on their pages: one search URL for the supervision group, a task's handler and 责任单位; the
meeting plan at district scale stays small (only the usual parties listed, everyone else found by typing) with
a bounded number of queries; clear names only for staff who may unmask, and that read audited."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.areas.demo import demo_build
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.models import AuditEntry
from yishiting.deliberation.services.topics import topic_propose
from yishiting.handling.services.tasks import task_return
from yishiting.handling.tests.tasks_world import assign, handling_topic

from .pages import main

pytestmark = pytest.mark.django_db


def pick(client, kind: str, **params):
    return client.get(f"/pick/{kind}/", params)


def test_the_supervision_group_is_picked_by_typing_not_from_thousands_of_options(world, as_persona):
    topic, _ = handling_topic(world)
    staff = as_persona("community_staff")
    page = main(staff.get(f"/topics/{topic.pk}/supervision/"))
    assert '<select name="person"' not in page and 'name="person_q"' in page  # no list of everyone: a search box
    assert f'hx-get="/pick/member/?name=person&amp;topic={topic.pk}"' in page
    found = pick(staff, "member", name="person", topic=topic.pk, person_q="张三").content.decode()
    resident = world.people["resident"]
    assert f'type="radio" name="person" value="{resident.pk}"' in found and "张三" in found and "尾号0001" in found
    staff.post(f"/topics/{topic.pk}/supervision/member/", {"person": resident.pk, "role": "stakeholder"})
    assert topic.supervisors.get().person == resident
    outsider = Person.objects.exclude(path__startswith=world.areas["S1"].path).exclude(path="").first()
    refused = staff.post(f"/topics/{topic.pk}/supervision/member/", {"person": outsider.pk, "role": "stakeholder"})
    assert refused.status_code == 400 and "所选人员不在您的查看范围内" in main(refused)


def test_unmasked_only_for_staff_who_may_and_every_clear_read_audited(world, as_persona):
    topic, _ = handling_topic(world)
    resident = world.people["resident"]
    staff = pick(as_persona("community_staff"), "member", name="person", topic=topic.pk, person_q="张三")
    assert "张三" in staff.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert entry.target == f"people:{resident.pk}" and entry.details["reason"] == "picker:member"
    leader = pick(as_persona("grid_worker"), "member", name="person", topic=topic.pk, person_q="张三")
    assert leader.status_code == 403  # a grid worker keeps no supervision group
    handler = pick(as_persona("community_staff"), "handler", name="handler_role", topic=topic.pk, handler_role_q="zjb")
    assert "郑**" in handler.content.decode() and "郑经办" not in handler.content.decode()  # beyond the unmask scope
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).count() == 1
    assert pick(as_persona("resident"), "member", name="person", topic=topic.pk, person_q="张三").status_code == 403
    assert pick(as_persona("community_staff"), "nobody", name="x", topic=topic.pk).status_code == 404


def test_a_task_is_assigned_to_a_picked_handler_and_organization(world, as_persona):
    topic, _ = handling_topic(world)
    staff = as_persona("community_staff")
    page = main(staff.get(f"/topics/{topic.pk}/tasks/new/"))
    assert 'name="handler_role_q"' in page and 'name="organization_q"' in page
    orgs = pick(staff, "organization", name="organization", topic=topic.pk, organization_q="执法").content.decode()
    agency = world.organizations["agency"]
    assert f'name="organization" value="{agency.pk}"' in orgs and "职能部门" in orgs
    handlers = pick(staff, "handler", name="handler_role", topic=topic.pk, handler_role_q="城管").content.decode()
    assert f'name="handler_role" value="{world.people["handler"].pk}"' in handlers
    nobody = pick(staff, "handler", name="handler_role", topic=topic.pk, handler_role_q="张三").content.decode()
    assert "没有找到" in nobody  # a resident is no handler
    task = assign(world, topic, accepted=False)  # 退回 comes before 签收
    task_return(actor=world.users["handler"], task=task, reason="不属于本单位职责")
    detail = main(staff.get(f"/tasks/{task.pk}/"))  # 重新交办: the same picker, for this task
    assert f'hx-get="/pick/handler/?name=handler_role&amp;task={task.pk}"' in detail
    again = pick(staff, "handler", name="handler_role", task=task.pk, handler_role_q="网格员").content.decode()
    assert f'value="{world.people["grid_worker"].pk}"' in again
    done = staff.post(f"/tasks/{task.pk}/reassign/", {"handler_role": world.people["grid_worker"].pk, "reason": "改由网格员办理"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.handler == world.people["grid_worker"]


@pytest.fixture
def district(db):
    """A demo district of full-size communities (two streets of two; the plan page depends on the community
    and the levels above it, not on how many communities there are)."""
    demo_build(seed=2026, streets=2, communities_per_street=2)
    community = Area.objects.filter(level__code="community").order_by("path").first()
    estate = Area.objects.filter(parent=community).order_by("path").first()
    building = Area.objects.filter(parent=estate).order_by("path")[2]
    secretary = RoleAssignment.objects.get(role="community_secretary", path=community.path).person.user
    topic = topic_propose(actor=secretary, title="3号楼加装电梯", description="老人多，上下楼难。",
                          level_area=community, scope_area=building)
    return secretary, topic


def test_the_plan_page_stays_small_with_a_full_district(district, client):
    secretary, topic = district
    client.force_login(secretary)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/meetings/new/?topic={topic.pk}")
    assert response.status_code == 200
    assert len(response.content) < 60_000, len(response.content)
    assert len(queries) <= 30, [q["sql"][:120] for q in queries.captured_queries]
    page = main(response)
    assert page.count('name="invite-') <= 40 and "业主 ·" not in page.split("通常参会的各方")[1]
    assert "物业" in page and "网格员" in page  # the usual parties are there without searching
    ticked = len(re.findall(r'name="invite-\d+" id="invite-\d+" checked', page))
    assert ticked == len(topic.template.required_parties)  # one ticked for each party the template requires


def test_the_picker_answers_in_a_bounded_number_of_queries(district, client):
    secretary, topic = district
    client.force_login(secretary)
    for term in ("王", "3号楼", "业主", "wjh", "人民医院"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/meetings/invitees/", {"topic": topic.pk, "invitee_q": term})
        assert response.status_code == 200 and len(response.content) < 40_000
        assert len(queries) <= 20, (term, len(queries))
    rows = client.get("/meetings/invitees/", {"topic": topic.pk, "invitee_q": "业主"}).content.decode()
    assert rows.count("<tr") == 21 and "还有更多" in rows  # a header and twenty rows, and a hint
    assert "业主" in rows.split("<tbody>")[1].split("</tr>")[0]


def test_door_to_door_and_proposer_pickers_offer_only_whom_the_form_accepts(world, as_persona):
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])
    worker = as_persona("grid_worker")
    page = main(worker.get(f"/topics/{topic.pk}/"))
    assert '<select name="person"' not in page and f'hx-get="/pick/door/?name=person&amp;topic={topic.pk}"' in page
    found = pick(worker, "door", name="person", topic=topic.pk, person_q="张三").content.decode()
    assert f'value="{world.people["resident"].pk}"' in found and "张*" in found  # a grid worker: masked
    assert "没有找到" in pick(worker, "door", name="person", topic=topic.pk, person_q="赵网格").content.decode()
    assert pick(as_persona("resident"), "door", name="person", topic=topic.pk, person_q="张三").status_code == 403
    secretary = as_persona("community_secretary")
    assert 'name="proposer_q"' in main(secretary.get("/topics/new/"))
    assert "张三" in pick(secretary, "proposer", name="proposer", proposer_q="张三").content.decode()
    assert pick(worker, "proposer", name="proposer", proposer_q="张三").status_code == 403


def test_a_malformed_id_in_a_picker_address_is_not_found_not_a_server_error(world, as_persona):
    staff = as_persona("community_staff")
    for junk in ("abc", "²", "99999999999999999999", "-1"):
        assert pick(staff, "member", name="person", topic=junk).status_code == 404, junk
        assert pick(staff, "handler", name="handler_role", task=junk).status_code in (200, 404), junk


def test_the_plans_usual_parties_are_named_in_full_for_staff_who_may_unmask_and_that_read_is_audited(world, as_persona):
    secretary = world.users["community_secretary"]
    topic = topic_propose(actor=secretary, title="3栋加装电梯", description="老人多，上下楼难。",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    page = main(as_persona("community_secretary").get(f"/meetings/new/?topic={topic.pk}"))
    table = page.split("通常参会的各方")[1]
    assert "赵网格 · 网格员" in table and "钱社工 · 社区工作人员" in table  # in the secretary's own community: clear
    assert "周** · 街道干部" in table and "周主任" not in table  # above it: masked, as the picker shows them
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK, details__reason="plan:invitees")
    assert entry.user == secretary and str(world.people["grid_worker"].pk) in entry.target.split(":")[1].split(",")
    assert str(world.people["street_official"].pk) not in entry.target.split(":")[1].split(",")


def test_an_estate_wide_owners_vote_page_stays_small_and_its_pickers_answer_in_few_queries(district, client):
    from yishiting.areas.models import Household
    from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
    from yishiting.deliberation.services.votes import vote_open

    secretary, building_topic = district
    estate = building_topic.scope_area.parent
    topic = topic_propose(actor=secretary, title="小区停车位改造", description="", level_area=estate.parent,
                          scope_area=estate)
    vote = vote_open(actor=secretary, topic=topic, question="是否同意加装电梯", method=VoteMethod.OWNERS,
                     rule=VoteRule.ART278, matter=OwnersMatter.REBUILD, scope_area=estate, closes_at=None)
    flats = Household.objects.filter(path__startswith=estate.path)
    assert flats.count() > 200  # an estate of a full-size community (each flat was an <option> before)
    client.force_login(secretary)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/votes/{vote.pk}/")
    assert response.status_code == 200 and len(response.content) < 40_000, len(response.content)
    assert len(queries) <= 40, [q["sql"][:120] for q in queries.captured_queries]
    assert main(response).count("<option") < 10  # the choices of the paper ballot, not one per flat or person
    flat = flats.select_related("unit__parent").order_by("path", "number")[5]
    for kind, name, term in [("household", "household", flat.number), ("household", "household", "业主"),
                             ("household", "household", f"{flat.unit.parent.name}{flat.unit.name}{flat.number}"),
                             ("proxy", "holder", flat.number), ("proxy", "grantor", "王")]:
        with CaptureQueriesContext(connection) as queries:
            found = client.get(f"/pick/{kind}/", {"name": name, "vote": vote.pk, f"{name}_q": term})
        assert found.status_code == 200 and len(found.content) < 40_000
        assert len(queries) <= 12, (term, [q["sql"][:120] for q in queries.captured_queries])
        assert found.content.decode().count('type="radio"') <= 20
        if kind == "household" and term != "业主":
            assert f'value="{flat.pk}"' in found.content.decode(), term
