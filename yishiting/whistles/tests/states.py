"""吹哨·应哨 in every state, for the crawl (web/tests/crawl_data.py): a whistle open with one unit reported, one
answered by all (waiting for its matter), one closed by staff with a late unit and a photo, one withdrawn, one on a
task; the units' people (物业经理甲, 民警乙) join the world."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.common.testing import World
from yishiting.whistles import services as whistles
from yishiting.whistles.models import Whistle, WhistleResponse

from .conftest import add_units, blow, png


def build_states(world: World) -> dict:
    add_units(world)
    handler, rep, staff = world.users["handler"], world.users["property_rep"], world.users["community_staff"]

    def answer(w, key, user, note, **kwargs):
        return whistles.response_record(actor=user, response=w.responses.get(organization=world.organizations[key]),
                                        note=note, **kwargs)

    waiting = blow(world)
    whistles.response_arrive(actor=handler, response=waiting.responses.get(organization=world.organizations["agency"]))
    answered = blow(world, "community_staff", text="小区南门路灯损坏，夜间漆黑，需城管和物业维修")
    answer(answered, "agency", handler, "已报修路灯管理所")
    answer(answered, "property", rep, "已临时加装照明")
    late = blow(world, "party", keys=("property", "police"), text="楼道堆放杂物堵塞消防通道，劝说无效")
    answer(late, "property", rep, "已清理楼道杂物", photos=[png()])
    Whistle.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    WhistleResponse.objects.filter(whistle=late).update(deadline=timezone.localdate() - timedelta(days=3))
    whistles.whistle_close(actor=staff, whistle=Whistle.objects.get(pk=late.pk), summary="杂物已清，通道畅通")
    withdrawn = blow(world, keys=("police",), text="误报：已由居民自行协商解决")
    whistles.whistle_cancel(actor=world.users["grid_worker"], whistle=withdrawn, reason="居民已自行协商解决")
    return {"waiting": waiting.pk, "answered": answered.pk, "late": late.pk, "withdrawn": withdrawn.pk}
