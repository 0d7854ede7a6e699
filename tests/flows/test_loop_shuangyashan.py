"""双鸭山 五方共议 一提二议三办四评, through HTTP only, as the people involved live it.

张三 reports electric bikes charged in the stairwell of 3栋 on cables run from the windows — a fire risk
(安全隐患). Under the party organisation the five parties (居委会、业委会、物业企业、驻区单位、社区警务)
deliberate and resolve to build a charging shed with timed sockets and clear the stairwell.
"""

from __future__ import annotations

import pytest

from .loop import Locality, deliberate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates

SHUANGYASHAN = Locality(
    template="shuangyashan-5fang", title="幸福苑3栋电动车楼道充电整治", form="joint",
    demand="3栋好几户把电动车推进楼道充电，电线从窗户拉下来，晚上一楼全是车，着火了跑都跑不出去",
    resolution="在3栋北侧建设电动车集中充电棚（定时断电插座 20 个），清理楼道车辆，物业负责管理，30日内完成。",
    parties=["owners_committee", "property", "dual_registration", "stakeholder", "staff"],
    category="安全隐患",
)


def test_shuangyashan_five_parties_from_demand_to_archive(town):
    matter = deliberate(town, SHUANGYASHAN)
    assert matter.demand["category"]["name"] == "安全隐患"
