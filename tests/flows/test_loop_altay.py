"""阿勒泰 恰秀民意直通车, five steps (诉求收集、议题筛选、组织协商、结果公示、落实反馈), through HTTP only, as
the people involved live it.

张三 asks for benches and a shade at the estate's small square, where the elderly sit in the sun. The community
runs 恰秀民意直通车 (set by the district's admin): 诉求收集 comes before 议题筛选, so the secretary cannot open a
topic directly — the demand is screened into one. The grid
worker sits at the 民情恳谈 with the residents; the talk resolves to put up benches and a pergola. After the notice the street's enforcement team does the
work; the pergola is made to measure and the team asks for ten more days, which the street approves (the
original deadline stays on record); 张三 rates the result and the matter is archived.
"""

from __future__ import annotations

import pytest

from .loop import (
    Locality,
    adopt,
    archive,
    assign,
    close,
    deliberate,
    evaluation_ends,
    evaluation_opens,
    extend,
    publicise,
    rate,
    recorded,
    supervise,
    work,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates
# The dossier's eight sections 集定议公办督评备, headed with this locality's step names.
STAGES = "诉求收集 议题筛选 组织协商 结果公示 落实反馈 落实反馈 落实反馈 归档备案"

ALTAY = Locality(
    template="altay-qiaxiu", title="幸福苑小广场增设休息座椅和遮阳廊架", form="talk",
    demand="小广场没有座椅也没有遮阳的地方，老人下午只能站着晒太阳，希望加几张长椅",
    resolution="小广场增设长椅 6 张、遮阳廊架 1 座，由街道城管执法队组织实施，30日内完成。",
    parties=["resident", "stakeholder"],
    extra={"grid_worker": "grid_worker"},
    category="生活关爱", formed_by_screening=True,
)


def test_altay_qiaxiu_from_demand_to_archive(town):
    adopt(town, ALTAY)
    refused = town["community_secretary"].refused("/topics", {
        "title": ALTAY.title, "level_area_id": town.area("C1")}, 400, "collect_first")
    assert "须来自收集的居民诉求" in refused["message"]
    matter = deliberate(town, ALTAY)
    assert matter.topic["source"] == "demands" and matter.topic["template_code"] == "altay-qiaxiu"
    assert matter.meeting["form"] == "talk"
    publicise(town, matter)  # 结果公示
    # 落实反馈: the street's enforcement team builds it; the pergola is made to measure and needs more time.
    task = assign(town, "street_official", matter, "handler", title="小广场长椅和遮阳廊架安装",
                  subject_kind="unit", organization=town.world.organizations["agency"].pk, deadline_days=15)
    extend(town, "handler", "street_official", task, 10, "遮阳廊架须按现场尺寸定制，厂家排产需要 10 天")
    work(town, "handler", task)
    supervise(town, matter, "长椅 6 张、遮阳廊架 1 座已安装完毕。")
    close(town, "street_official", task)
    round_ = evaluation_opens(town, matter)
    rate(town, "resident", round_, "satisfied", "老人们下午有地方坐了")
    assert evaluation_ends(town, round_)["reopened"] is False
    dossier = archive(town, matter, STAGES)
    assert any("延期" in line for line in recorded(dossier, "handle"))
