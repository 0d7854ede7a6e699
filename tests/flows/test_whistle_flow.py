"""吹哨·应哨 through the pages (seed 003 Cenxi 党员群众吹哨、服务中心应哨; Beijing 街乡吹哨、部门报到): the grid worker
blows the whistle on the phone on a matter nobody had reported (it files a demand, channel 吹哨), calling the
street's 城管执法队 and the estate's property company within one working day. The 城管 handler reports and answers in
time; the property company lets the deadline pass: the tick warns it (red), its late answer is marked 超期 and
counts against it in its yearly rating. Once both answered, the whistle waits for the matter; when the demand's task
is closed (销号) the tick closes the whistle. The overview lists it while open, the dossier records it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yishiting.demands.choices import Channel
from yishiting.notifications.models import Notification
from yishiting.whistles.models import Whistle, WhistleResponse
from yishiting.whistles.tests.conftest import add_units
from yishiting.whistles.warnings import whistles_run
from yishiting.wishes.tests.conftest import png

from .http import follow, signed_in

pytestmark = pytest.mark.django_db
TEXT = "幸福苑北门外夜市占道经营，油烟和噪音扰民，物业和城管需到场处置"


def _blow(world, grid) -> Whistle:
    page = grid.post("/whistles/new/", {"text": TEXT, "area": world.areas["G1"].pk, "days": "1",
                                        "unit_1": world.organizations["agency"].pk,
                                        "unit_2": world.organizations["property"].pk})
    assert page.status_code == 302, page.content.decode()[:3000]
    return Whistle.objects.get(pk=int(re.search(r"/whistles/(\d+)/", page["Location"]).group(1)))


def _response_pk(whistle: Whistle, world, key: str) -> int:
    return whistle.responses.get(organization=world.organizations[key]).pk


def _close_the_matter(world, whistle: Whistle) -> None:
    """The demand the whistle filed goes round the loop (screened for direct handling, done, 销号) — the handling
    pages have their own flows; here only the outcome matters to the whistle."""
    from yishiting.demands.choices import Nature, Outcome
    from yishiting.demands.screening import Decision, demand_screen
    from yishiting.handling.services import tasks as handling

    demand = demand_screen(actor=world.users["community_staff"], demand=whistle.demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    handling.task_accept(actor=world.users["handler"], task=demand.task)
    handling.task_submit(actor=world.users["handler"], task=demand.task, evidence="夜市已迁入疏导点",
                         files=[("a.png", png())])
    handling.task_verify(actor=world.users["community_staff"], task=demand.task, approve=True)


def test_a_whistle_answered_by_two_units_one_late_closed_when_handled(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_units(world)
    grid, handler, rep = (signed_in(world, n) for n in ("grid_worker", "handler", "property_rep"))
    street = signed_in(world, "street_official")
    assert grid.get("/whistles/new/").status_code == 200
    whistle = _blow(world, grid)
    assert whistle.demand.channel == Channel.WHISTLE
    assert f"/whistles/new/?number={whistle.demand.number}" in grid.get(f"/demands/{whistle.demand_id}/").content.decode()
    assert whistle.number in handler.get("/whistles/answer/").content.decode()

    # 城管 reports and answers in time
    assert "已报到" in follow(handler, f"/whistles/responses/{_response_pk(whistle, world, 'agency')}/arrive/")
    body = follow(handler, f"/whistles/responses/{_response_pk(whistle, world, 'agency')}/respond/",
                  {"note": "已到场劝离占道摊贩，约定夜市迁入疏导点"})
    assert "已应哨" in body and "应哨中" in body
    overview = street.get(f"/overview/?area={world.areas['S1'].pk}&period=").content.decode()
    assert whistle.number in overview

    # the property company misses the deadline: the tick warns it red, its answer is late
    Whistle.objects.filter(pk=whistle.pk).update(blown_at=timezone.now() - timedelta(days=8),
                                                 deadline=timezone.localdate() - timedelta(days=5))
    WhistleResponse.objects.filter(whistle=whistle).update(called_at=timezone.now() - timedelta(days=8),
                                                          deadline=timezone.localdate() - timedelta(days=5))
    counts = whistles_run()
    assert counts.red == 1 and whistles_run().red == 0  # warned once
    assert Notification.objects.filter(person=world.people["property_rep"], text__contains="红色预警").exists()
    assert "超期 1 个单位" in street.get(f"/overview/?area={world.areas['S1'].pk}&period=").content.decode()
    photo = SimpleUploadedFile("site.png", png(), content_type="image/png")
    body = follow(rep, f"/whistles/responses/{_response_pk(whistle, world, 'property')}/respond/",
                  {"note": "安排保安夜间巡查，劝导商户安装油烟净化器", "photos": photo})
    assert "超期" in body and "已全部应哨" in body

    # the matter is handled: the whistle closes with it
    _close_the_matter(world, whistle)
    assert whistles_run().closed == 1
    page = grid.get(f"/whistles/{whistle.pk}/").content.decode()
    assert "已办结" in page and "事项已办结" in page

    # the late answer counts against the property company; the 城管's answer for it
    district = signed_in(world, "district_official")
    rating = district.get(f"/oversight/ratings/{world.organizations['property'].pk}/").content.decode()
    assert "应哨记录" in rating and "逾期" in rating
    from yishiting.oversight.rating import unit_rating

    year = timezone.localdate().year
    parts = {p.part: p for p in unit_rating(world.organizations["agency"], year).parts}
    assert parts["whistles"].score == 100
    parts = {p.part: p for p in unit_rating(world.organizations["property"], year).parts}
    assert parts["whistles"].score == 0 and parts["whistles"].figures["late"] == 1

    # the matter's dossier records the whistle, both answers and the warning
    from yishiting.handling.dossier import dossier_assemble

    whistle.refresh_from_db()
    lines = [e["what"] for s in dossier_assemble(task=whistle.demand.task)["stages"] for e in s["entries"]]
    assert any(line.startswith("吹哨：") for line in lines) and "召集 幸福苑物业服务有限公司 应哨" in lines
    assert any("幸福苑物业服务有限公司 应哨（超期）" in line for line in lines)
    assert any("红色预警" in line for line in lines)
