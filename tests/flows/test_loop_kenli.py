"""垦利 “345” 八步 集定议公办督评备, through HTTP only, as the people involved live it.

张三 reports that the stairwell lights of 幸福苑3栋 have been dark for a month. Community staff make it a topic
(Kenli's template is the platform's default); 张三 gives an opinion; the secretary records the analysis and
plans a 1+8+N round table; on the day 张三 signs in with their own code and the clerk signs in the others; the
meeting resolves to replace the lights. During the notice 张三 objects to the working hours and is answered;
after five working days the notice completes; the community's staff member replaces the lights, reports with
photos and is verified (销号); 张三 rates the result and the matter is archived.
"""

from __future__ import annotations

import pytest

from .loop import (
    Locality,
    archive,
    assign,
    close,
    deliberate,
    evaluation_ends,
    evaluation_opens,
    figures,
    publicise,
    rate,
    recorded,
    supervise,
    work,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates
# The dossier's eight sections 集定议公办督评备, headed with this locality's step names.
STAGES = "收集诉求 确定议题 协商议事 结果公示 落实办理 跟踪督办 评价反馈 归档备案"

KENLI = Locality(
    template="kenli-345", title="幸福苑3栋楼道照明改造",
    demand="3栋楼道灯坏了一个多月，晚上上下楼看不见，老人摔过一次",
    resolution="更换3栋全部楼道灯为声控LED灯，由物业实施，30日内完成。",
    parties=["deputy", "property", "owners_committee", "social_org", "legal_adviser", "dual_registration"],
    extra={"grid_worker": "grid_worker"},
)


def test_kenli_345_from_demand_to_archive(town):
    matter = deliberate(town, KENLI)  # 集 定 议
    assert matter.resolution["text"] == KENLI.resolution
    # 公: 张三 objects to the working hours during the notice and is answered before the window ends.
    publicise(town, matter, objection=("施工时间请避开中午和晚上，老人要休息", "已要求施工单位只在 8:30—11:30、14:30—17:30 施工"))
    # 办 督
    task = assign(town, "community_secretary", matter, "community_staff", title="更换3栋楼道声控LED灯",
                  subject_kind="community", supervisor="community_secretary")
    work(town, "community_staff", task)
    supervise(town, matter, "3栋楼道灯已全部更换完毕，待销号核验。")
    close(town, "community_secretary", task)
    # 评
    round_ = evaluation_opens(town, matter)
    rate(town, "resident", round_, "satisfied", "灯很亮，晚上上楼安心了")
    closed = evaluation_ends(town, round_)
    assert closed["reopened"] is False and closed["result"]["satisfaction"]["percent"] == "100.00"
    # 备: the dossier records every step, the objection and its answer among them.
    dossier = archive(town, matter, STAGES)
    publicity = recorded(dossier, "publicise")
    assert "收到一条居民异议" in publicity and publicity[-1] == "公示期满"
    assert recorded(dossier, "handle")[-1] == "核验通过，已销号（按期）"
    # The district reads its figures: one demand answered in time, one task closed on time, one rating satisfied.
    rates = figures(town)
    assert [(rates[k]["numerator"], rates[k]["denominator"], rates[k]["percent"]) for k in rates] == [
        ("1", 1, "100.00"), ("1", 1, "100.00"), ("1.00", 1, "100.00")]


def test_a_handler_who_is_office_staff_cannot_verify_their_own_task(town):
    matter = deliberate(town, KENLI)
    publicise(town, matter)
    task = assign(town, "community_secretary", matter, "community_staff", title="更换3栋楼道声控LED灯",
                  subject_kind="community")  # no supervisor named: the office verifies
    work(town, "community_staff", task)  # ends with the handler's own verification refused (403)
    close(town, "community_secretary", task)  # the rest of the office signs it off
