"""岑溪 邻里议事会 (中心户提议、支部审议、支部及业委会联议、决议公开、结果公开), through HTTP only, as the
people involved live it.

张三 reports that the drain in front of 3栋 overflows every time it rains. The branch opens the topic on the
邻里议事会 template; its joint meeting (联议) must have the owners' committee at the table: a plan without
it is refused, not merely warned about. With the owners' committee present the meeting resolves to dredge and
rebuild the drain.
"""

from __future__ import annotations

import pytest

from .loop import Locality, collect, consult, decide, hold, invitees, plan, plan_refused, resident_follows

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates

CENXI = Locality(
    template="cenxi-linli", title="幸福苑3栋门前排水沟疏通改造", form="joint",
    demand="3栋门前的排水沟一下雨就冒水，积水淹到单元门口，出入很不方便",
    resolution="疏通3栋门前排水沟并加大管径，费用由公共收益列支，物业组织施工，20日内完成。",
    parties=["owners_committee", "resident", "property"],
    category="设施维护",
)


def test_cenxi_neighbourhood_council_from_demand_to_archive(town):
    demand = collect(town, CENXI)
    topic = decide(town, CENXI, demand)
    consult(town, topic)
    # 支部及业委会联议: without the owners' committee the joint meeting cannot be called.
    error = plan_refused(town, CENXI, topic, invitees(town, CENXI, ["property"]), "parties_missing")
    assert "业委会" in error["message"]
    meeting = plan(town, CENXI, topic)
    assert "owners_committee" in [p["party"] for p in meeting["participants"]]
    hold(town, CENXI, topic, meeting)
    resident_follows(town, demand, "提交诉求", "转为议题")
