"""Duplicate detection where a blind test found it weak: named places, and a short summary against a long retelling.

The quality floors are measured on labelled pairs at the app's one threshold (``DUPLICATE_THRESHOLD``), on the
held-out TEST split the scorer was never tuned on (tests/data/demand_pairs_round3.jsonl, split by story or
problem; bench/duplicates.py prints the same figures). A change that makes duplicates worse fails here.
"""


import pytest

from yishiting.demands.suggest import DUPLICATE_THRESHOLD, is_duplicate, similarity
from yishiting.demands.suggest.features import named_places
from yishiting.demands.suggest.normalize import normalize

from .labelled_pairs import labelled_pairs, precision_recall

RIVER_LONG = ("小区旁边那条河最近特别脏。水面上漂着很多塑料袋和泡沫饭盒，都卡在桥墩下面。"
              "天一热就有味道，希望安排人打捞。")






# ---- named places ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("阳光花园南门的路灯坏了", "金桂小区的路灯不亮"),
        ("人民路上的井盖没了", "解放路有个井盖没了"),
        ("华联超市门口乱停车", "永辉超市门口乱停车"),
        ("实验小学门口摆摊的把路都占了", "育才小学门口摆摊的把路都占了"),
        ("翠湖湾的垃圾好几天没人清", "书香苑的垃圾好几天没人清"),
    ],
)
def test_the_same_problem_at_two_named_places_is_not_a_duplicate(a, b):
    assert similarity(a, b) < DUPLICATE_THRESHOLD
    assert not is_duplicate(a, b, same_area=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("阳光花园南门的路灯坏了", "阳光花园南门那边路灯不亮，晚上黑乎乎的"),
        ("阳光花园南门的路灯坏了", "南门的路灯晚上都不亮"),  # the estate is the demand's area already
        ("金桂小区的垃圾桶满了没人收", "金贵小区垃圾好几天没人清运"),  # a homophone typo in the name
        ("老王烧烤店油烟太大", "那家烧烤店的油烟熏得受不了"),  # one name holds the other
    ],
)
def test_the_same_named_place_in_other_words_is_a_duplicate(a, b):
    assert similarity(a, b) >= DUPLICATE_THRESHOLD


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("阳光花园南门的路灯坏了", {"ne阳光"}),
        ("晚上走到中山北路附近，一排路灯全灭了", {"nr中山北"}),
        ("东关菜市场门口垃圾成堆", {"ns东关"}),
        ("第二中学门口的井盖", {"nc第二"}),
        ("在人民路上", {"nr人民"}),
        # Words around a place, and places without a name, name nothing.
        ("我们小区的路灯不亮，走到路口也是黑的", set()),
        ("隔壁小区的广场舞太吵，城管来了也没用", set()),
        ("过马路要小心，小区主路全是坑", set()),
        ("楼下一家超市门口堆满纸箱", set()),
        ("老旧小区改造什么时候开始", set()),
    ],
)
def test_named_places_are_read_from_the_text(text, names):
    assert named_places(normalize(text)) == names


# ---- short against long --------------------------------------------------------------------------------------

def test_a_short_summary_matches_a_long_retelling_of_the_same_problem():
    assert similarity("河道里全是垃圾", RIVER_LONG) >= DUPLICATE_THRESHOLD
    assert similarity(RIVER_LONG, "河道里全是垃圾") == similarity("河道里全是垃圾", RIVER_LONG)


@pytest.mark.parametrize(
    "short",
    ["小区路灯坏了", "楼顶漏水", "电梯又停运了"],
)
def test_a_long_retelling_does_not_cover_a_short_text_about_another_problem(short):
    assert similarity(short, RIVER_LONG) < DUPLICATE_THRESHOLD


def test_a_long_retelling_about_adding_a_lift_is_not_a_broken_lift():
    long = ("我们是九十年代的老楼，六层没有电梯，楼里一多半是老人。听说现在政府支持老楼加装电梯，"
            "我们单元大部分人都愿意出钱，想知道怎么申请、需要几户同意。")
    assert similarity("电梯坏了好几天没人修", long) < DUPLICATE_THRESHOLD
    assert similarity("想加装电梯", long) >= DUPLICATE_THRESHOLD


# ---- measured on labelled pairs ------------------------------------------------------------------------------

def test_round3_split_is_fixed_and_no_held_out_duplicate_was_seen_as_one_in_train():
    pairs = labelled_pairs("demand_pairs_round3.jsonl")
    assert len(pairs) >= 600 and {p["split"] for p in pairs} == {"train", "test"}
    assert {p["kind"] for p in pairs} == {"long", "place"}
    test = [p for p in pairs if p["split"] == "test"]
    assert len(test) >= 200 and sum(p["duplicate"] for p in test) >= 100
    # A held-out duplicate's sentences are in no train duplicate (some serve as train hard negatives).
    train_positive_texts = {t for p in pairs if p["split"] == "train" and p["duplicate"] for t in (p["a"], p["b"])}
    test_positive_texts = {t for p in test if p["duplicate"] for t in (p["a"], p["b"])}
    assert not test_positive_texts & train_positive_texts


def test_held_out_round3_precision_and_recall_at_the_app_threshold():
    """Held-out (never tuned on). Measured 0.902 / 0.698 when written; 0.907 / 0.915 since short-against-long pairs
    are judged by the fitted model and more kinds of named place are read (issue 16): the issue's target, P ≥ 0.9
    at R ≥ 0.8, is reached on these held-out pairs."""
    precision, recall = precision_recall([p for p in labelled_pairs("demand_pairs_round3.jsonl") if p["split"] == "test"])
    assert precision >= 0.9
    assert recall >= 0.9


def test_train_round3_precision_and_recall_at_the_app_threshold():
    precision, recall = precision_recall([p for p in labelled_pairs("demand_pairs_round3.jsonl") if p["split"] == "train"])
    assert precision >= 0.95
    assert recall >= 0.95


def test_rounds_1_2_pairs_hold_their_quality():
    """Held-out (id % 3 == 0) measured 0.909 / 0.857 before issue 16 and 0.906 / 0.829 after (one pair fewer)."""
    pairs = labelled_pairs("demand_pairs.jsonl")
    test_precision, test_recall = precision_recall([p for p in pairs if p["id"] % 3 == 0])
    train_precision, train_recall = precision_recall([p for p in pairs if p["id"] % 3])
    assert test_precision >= 0.9 and test_recall >= 0.82
    assert train_precision >= 0.95 and train_recall >= 0.9
