"""Topic pages: the list, a resident giving and changing their opinion, a grid worker entering a door-to-door
one, staff recording the analysis, proposing a topic — and the errors a user sees when something is wrong."""

from __future__ import annotations

import pytest

from yishiting.deliberation.models import Opinion, Topic
from yishiting.deliberation.services.topics import topic_propose

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world) -> Topic:
    return topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                         description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])


def test_residents_see_their_communitys_topics_and_others_do_not(world, as_persona, topic):
    assert "幸福苑3栋加装电梯" in main(as_persona("resident").get("/topics/"))
    assert "幸福苑3栋加装电梯" not in main(as_persona("resident3").get("/topics/"))
    assert as_persona("resident3").get(f"/topics/{topic.pk}/").status_code == 404
    assert "提出议题" not in main(as_persona("resident").get("/topics/"))
    assert "提出议题" in main(as_persona("community_staff").get("/topics/"))


def test_a_resident_gives_then_changes_their_opinion(world, as_persona, topic):
    client = as_persona("resident")
    page = main(client.get(f"/topics/{topic.pk}/"))
    assert "发表我的意见" in page and "还没有居民发表意见" in page
    response = client.post(f"/topics/{topic.pk}/opinion/", {"stance": "support", "text": "家住6楼，盼电梯"})
    assert response.status_code == 302
    page = main(client.get(f"/topics/{topic.pk}/"))
    assert "修改我的意见" in page and "家住6楼，盼电梯" in page and "张*" in page and "张三" not in page
    client.post(f"/topics/{topic.pk}/opinion/", {"stance": "oppose", "text": "费用太高"})
    assert Opinion.objects.get().stance == "oppose"


def test_a_bad_opinion_shows_the_error_and_saves_nothing(world, as_persona, topic):
    response = as_persona("resident").post(f"/topics/{topic.pk}/opinion/", {"stance": "other", "text": ""})
    assert response.status_code == 400 and "选择“其他意见”时请写明您的意见" in main(response)
    assert not Opinion.objects.exists()


def test_a_resident_outside_the_scope_gets_no_form_and_cannot_post(world, as_persona, topic):
    Topic.objects.filter(pk=topic.pk).update(scope_area=world.areas["U2"], scope_area_path=world.areas["U2"].path)
    client = as_persona("resident")
    assert "发表我的意见" not in main(client.get(f"/topics/{topic.pk}/"))
    response = client.post(f"/topics/{topic.pk}/opinion/", {"stance": "support"})
    assert response.status_code == 400 and "只有议题涉及范围内的居民可以发表意见" in main(response)
    assert not Opinion.objects.exists()


def test_a_grid_worker_enters_a_door_to_door_opinion(world, as_persona, topic):
    client = as_persona("grid_worker")
    assert "录入入户征求的意见" in main(client.get(f"/topics/{topic.pk}/"))
    response = client.post(f"/topics/{topic.pk}/door-opinion/",
                           {"person": world.people["resident"].pk, "stance": "support", "text": "老人希望尽快装"})
    assert response.status_code == 302
    assert "（入户征求）" in main(client.get(f"/topics/{topic.pk}/"))


def test_staff_record_the_analysis_and_the_topic_moves_on(world, as_persona, topic):
    client = as_persona("community_staff")
    response = client.post(f"/topics/{topic.pk}/analysis/", {"analysis": "符合加装条件", "draft_plan": "申请补贴"})
    assert response.status_code == 302
    page = main(client.get(f"/topics/{topic.pk}/"))
    assert "分析研判" in page and "符合加装条件" in page and "申请补贴" in page
    assert "议题状态由“征求意见”变为“分析研判”" in page
    assert as_persona("resident").post(f"/topics/{topic.pk}/analysis/", {"analysis": "x"}).status_code == 403


def test_proposing_a_topic_from_the_page(world, as_persona):
    client = as_persona("community_secretary")
    assert client.get("/topics/new/").status_code == 200
    from yishiting.deliberation.models import ProcessTemplate
    from yishiting.deliberation.services.assignments import template_assign

    nanchang = ProcessTemplate.objects.get(code="nanchang-round-table")
    template_assign(actor=world.users["admin"], area=world.areas["C1"], template=nanchang)
    assert "议事规则模板由议题层级所在的区域决定" in main(client.get("/topics/new/"))
    template = nanchang.pk  # a template posted by hand is not a field: ignored
    missing = client.post("/topics/new/", {"title": "", "level_area": world.areas["C1"].pk, "template": template})
    assert missing.status_code == 400 and "请填写议题标题" in main(missing)
    unsigned = client.post("/topics/new/", {"title": "停车位划线", "level_area": world.areas["C1"].pk,
                                            "template": template, "proposer": world.people["resident"].pk})
    assert unsigned.status_code == 400 and "书面提议" in main(unsigned) and not Topic.objects.exists()
    created = client.post("/topics/new/", {"title": "停车位划线", "level_area": world.areas["C1"].pk,
                                           "template": template, "proposer": world.people["resident"].pk,
                                           "proposal_signed": "on"})
    assert created.status_code == 302
    assert Topic.objects.get().template.code == "nanchang-round-table"
    page = main(client.get(created["Location"]))
    assert "议事规则：幸福圆桌会" in page and "幸福苑社区适用此模板" in page and "会前至少须走访 3 户" in page


def test_my_opinion_is_shown_once_after_the_period_closes(world, as_persona, topic):
    client = as_persona("resident")
    client.post(f"/topics/{topic.pk}/opinion/", {"stance": "support", "text": "支持"})
    assert "当前：" in main(client.get(f"/topics/{topic.pk}/"))
    Topic.objects.filter(pk=topic.pk).update(status="scheduled")
    page = main(client.get(f"/topics/{topic.pk}/"))
    mine = page.split('id="my-opinion"')[1].split("</div>")[0]
    assert "我的意见：" in mine and mine.count("支持") == 1 and "支持，支持" not in page
