"""阿勒泰 恰秀民意直通车, five steps (诉求收集、议题筛选、组织协商、结果公示、落实反馈), through HTTP only, as
the people involved live it.

张三 asks for benches and a shade at the estate's small square, where the elderly sit in the sun. The grid
worker sits at the 民情恳谈 with the residents; the talk resolves to put up benches and a pergola.
"""

from __future__ import annotations

import pytest

from .loop import Locality, deliberate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates

ALTAY = Locality(
    template="altay-qiaxiu", title="幸福苑小广场增设休息座椅和遮阳廊架", form="talk",
    demand="小广场没有座椅也没有遮阳的地方，老人下午只能站着晒太阳，希望加几张长椅",
    resolution="小广场增设长椅 6 张、遮阳廊架 1 座，由街道城管执法队组织实施，30日内完成。",
    parties=["resident", "stakeholder"],
    extra={"grid_worker": "grid_worker"},
    category="生活关爱",
)


def test_altay_qiaxiu_from_demand_to_archive(town):
    matter = deliberate(town, ALTAY)
    assert matter.meeting["form"] == "talk"
