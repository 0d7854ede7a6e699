"""Who sees what of a 云律团 question: the asker everything; lawyers of its field (and district) the question with
the asker masked; other lawyers nothing; neighbours of the same community the answered thread with no name;
residents elsewhere nothing; the pool's pages are for the office staff only."""

from __future__ import annotations

import pytest

from yishiting.legal.selectors import consultations_for_lawyer, consultations_visible_to, experts_visible_to
from yishiting.legal.services import Question, consultation_answer, consultation_ask, consultation_claim
from yishiting.legal.thread import asker_label, thread_rows

pytestmark = pytest.mark.django_db


def _asked(pool, field="family"):
    return consultation_ask(actor=pool.user("resident"), question=Question(
        field=pool.field(field), title="", text="我叫张三，离婚后对方不付抚养费，电话13800000001，怎么办？"))


def test_lawyers_see_only_questions_in_their_fields(pool):
    c = _asked(pool)  # 婚姻家庭: 韩律师 only
    assert consultations_for_lawyer(pool.lawyer2).filter(pk=c.pk).exists()
    for other in (pool.lawyer, pool.builder, pool.adviser):
        assert not consultations_for_lawyer(other).filter(pk=c.pk).exists(), other
    assert not consultations_visible_to(pool.user("lawyer")).filter(pk=c.pk).exists()


@pytest.mark.parametrize("who, label", [("resident", "我"), ("lawyer2", "居民 张*（幸福苑社区）"),
                                        ("community_staff", "居民 张*（幸福苑社区）"), ("street_official", "居民 张*（幸福苑社区）")])
def test_who_asked_as_each_reader_sees_it(pool, who, label):
    c = _asked(pool)
    assert consultations_visible_to(pool.user(who)).filter(pk=c.pk).exists()
    assert asker_label(pool.user(who), c) == label


def test_a_neighbour_never_learns_who_asked(pool):
    c = _asked(pool)
    c = consultation_claim(actor=pool.user("lawyer2"), consultation=c)
    consultation_answer(actor=pool.user("lawyer2"), consultation=c, text="可以向法院申请强制执行。")
    from yishiting.areas import services as area_services
    from yishiting.areas.choices import Role
    from yishiting.common.testing import make_user

    neighbour = area_services.person_create(actor=None, name="刘邻居", mobile="13800000099", id_number=None,
                                            household=pool.world.households["H2"])
    user = make_user(pool.world, "neighbour", neighbour)
    area_services.role_assign(actor=None, person=neighbour, role=Role.RESIDENT, area=pool.world.areas["U1"])
    assert consultations_visible_to(user).filter(pk=c.pk).exists()  # the answered board of their community
    rows = thread_rows(user, c)
    text = " ".join(r.who + r.text for r in rows)
    assert asker_label(user, c) == "居民" and "张三" not in text and "13800000001" not in text
    assert "强制执行" in text
    # a resident of another community sees nothing of it, answered or not
    assert not consultations_visible_to(pool.user("resident2")).filter(pk=c.pk).exists()
    assert not consultations_visible_to(pool.user("resident3")).filter(pk=c.pk).exists()


def test_an_unanswered_question_is_not_on_the_neighbours_board(pool):
    c = _asked(pool)
    assert not consultations_visible_to(pool.user("resident2")).filter(pk=c.pk).exists()


@pytest.mark.parametrize("who, sees", [("community_secretary", {"lawyer", "lawyer2", "builder", "adviser"}),
                                       ("street_official", {"lawyer", "lawyer2", "builder", "adviser"}),
                                       ("resident", set()), ("grid_worker", set()), ("lawyer", set())])
def test_the_pool_is_for_the_office(pool, who, sees):
    names = {getattr(pool, n).pk: n for n in ("lawyer", "lawyer2", "builder", "adviser")}
    assert {names[pk] for pk in experts_visible_to(pool.user(who)).values_list("pk", flat=True)} == sees


def test_staff_pages_refuse_residents_and_lawyers(pool):
    for who in ("resident", "lawyer"):
        client = pool.client(who)
        for url in ("/legal/experts/", "/legal/coverage/", "/legal/coverage.xlsx", f"/legal/experts/{pool.lawyer.pk}/"):
            assert client.get(url).status_code == 403, (who, url)
    assert pool.client("resident").get("/legal/inbox/").status_code == 403
    assert pool.client("lawyer").get("/legal/inbox/").status_code == 200
    export = pool.client("street_official").get("/legal/coverage.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
