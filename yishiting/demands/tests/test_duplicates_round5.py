"""Duplicate detection on round 5 (tests/data/demand_pairs_round5.jsonl): pairs written fresh for issue 15's last
item before the scorer was changed, every one held out — nothing in it fits weights, picks the threshold or adds
words — and judged at the app's one threshold against the issue's target (precision ≥ 0.9 at recall ≥ 0.8).
Also the general behaviours this round added, each on texts of its own (not from any labelled set).
"""


import pytest

from yishiting.demands.suggest import DUPLICATE_THRESHOLD, is_duplicate, similarity
from yishiting.demands.suggest.features import features, named_places
from yishiting.demands.suggest.normalize import normalize

from .labelled_pairs import labelled_pairs, precision_recall

# ---- what the lexicon reads ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "objects"),
    [
        ("楼下水管裂了往外冒水", {"水管"}),              # 楼下 + 水管, not 下水 (a drain)
        ("小区里没电梯，想装一部", {"加装电梯"}),         # wanting a lift is not a broken one (没电)
        ("那段路灯坏了好久", {"路灯", "灯"}),             # a lamp, not 那段路 (a road)
        ("单元门口的井的盖子被人偷了", {"井盖"}),
        ("五栋楼道里堆满了旧家具", {"楼道"}),            # building 5's stairwell: 栋楼 does not swallow 楼道
        ("丰巢柜子坏了取不出来", {"快递"}),
        ("阳台雨棚被风刮下来了", {"雨棚"}),
    ],
)
def test_objects_are_read_where_words_run_into_each_other(text, objects):
    assert features(text).objects == objects


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("实验小学门口的路灯坏了", {"nc实验"}),
        ("铁路小学门前的路灯坏了", {"nc铁路"}),          # 路 is part of the school's name, not a road
        ("东湖公园门口", {"nc东湖"}),
        ("护城河里漂着垃圾", {"nc护城"}),
        ("那条河里漂着垃圾", set()),                      # no name: "that river"
        ("枫桥小区门口的河里", {"ne枫桥"}),
        ("光明路旁边的烧烤摊", {"nr光明"}),
        ("二中门口的路灯坏了", {"nc二中"}),               # a numbered school …
        ("等了三小时也没人来", set()),                    # … not three hours
        ("沃尔玛门口电动车乱停", {"ns沃尔玛"}),           # a brand before 门口 …
        ("物业门口贴了通知", set()),                      # … not an office or a home
        ("单元门口积水", set()),
        ("老人家门口积水", set()),
    ],
)
def test_schools_parks_and_rivers_are_named_places(text, names):
    assert named_places(normalize(text)) == names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("护城河里漂着一层塑料袋", "运粮河里全是塑料袋，没人捞"),
        ("铁路小学门前路灯不亮", "育才中学门口的路灯不亮"),
        ("东湖公园的健身器材坏了", "西山公园健身器材坏了"),
        ("二中门口的路灯坏了", "三中门口路灯坏了"),
        ("沃尔玛门口电动车乱停", "大润发门口电动车乱停"),
    ],
)
def test_the_same_problem_at_two_named_rivers_schools_or_parks_is_two_matters(a, b):
    assert not is_duplicate(a, b, same_area=True)


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("楼下水管爆了", "早上下楼看见单元门口那根自来水管裂开了，水哗哗往外冒，流得半条路都是，没人来关总阀。"),
        ("井盖被偷了", "小区东边人行道上有个井盖不见了，只剩一个黑窟窿，晚上走路根本看不见，太吓人了。"),
        ("高层水压低", "我住十八楼，一到做饭的点水龙头就只剩细细一股，洗衣机都进不了水，物业说二次供水的泵老化了。"),
        ("想给老楼装电梯", "我们楼是九十年代的七层老楼，没有电梯，老人上下楼太难了，听说可以申请加装，想问问流程和补贴。"),
    ],
)
def test_a_summary_matches_a_retelling_in_other_words(short, long):
    assert similarity(short, long) >= DUPLICATE_THRESHOLD


def test_a_wire_that_gives_shocks_is_no_leaking_pipe():
    assert "漏水" not in features("楼道里私拉的电线下雨天漏电").issues
    assert similarity("楼道电线漏电", "楼道水管漏水") < DUPLICATE_THRESHOLD


def test_wanting_a_lift_is_not_a_broken_lift():
    assert similarity("电梯坏了没人修", "我们楼是老楼，没有电梯，大家想装一部，怎么申请？") < DUPLICATE_THRESHOLD


# ---- measured on round 5 (all held out) ----------------------------------------------------------------------

def test_round5_is_all_held_out_and_mixes_both_hard_kinds():
    pairs = labelled_pairs("demand_pairs_round5.jsonl")
    assert len(pairs) >= 150 and {p["split"] for p in pairs} == {"test"}
    kinds = {k: [p for p in pairs if p["kind"] == k] for k in ("retell", "near", "place", "easy")}
    assert all(kinds.values())
    assert sum(p["duplicate"] for p in kinds["retell"]) == len(kinds["retell"]) >= 80
    assert not any(p["duplicate"] for p in kinds["near"] + kinds["easy"])


def test_held_out_round5_precision_and_recall_reach_the_issue_target():
    """The issue's target on pairs written before the change and never tuned on (measured: see
    docs/duplicates.md). Fails when a change drops either below it."""
    precision, recall = precision_recall(labelled_pairs("demand_pairs_round5.jsonl"))
    assert precision >= 0.9
    assert recall >= 0.8
