"""Category suggestion and similar-demand detection as a resident or screener notices them (no database)."""

import json
from pathlib import Path

import pytest

from yishiting.demands.suggest import (
    DUPLICATE_THRESHOLD,
    is_duplicate,
    normalize,
    signature,
    similarity,
    suggest_category,
)
from yishiting.demands.suggest.lexicon import CATEGORIES
from yishiting.demands.suggest.seed import SEED_FILE

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("二号楼的电梯卡在三楼不动了，打物业电话也没人来修", "设施维护"),
        ("有人把电瓶车推到楼道里充电，插线板拖了老长，着火了谁负责", "安全隐患"),
        ("小区西门的垃圾桶三天没人清运了，臭气熏天", "环境整治"),
        ("请问我爸今年八十了，高龄津贴在哪里申请？", "政策咨询"),
        ("物业费交了一年，保安还是不见人，凭什么又涨价", "物业管理"),
        ("楼上邻居每天半夜跺地板，上去沟通了好几次还是不听", "矛盾纠纷"),
        ("社区能不能组织一个合唱队，我们退休了想唱唱歌", "文体娱乐"),
        ("对门的独居老奶奶好几天没开门了，麻烦社区去看看", "生活关爱"),
        ("希望社区请医生来搞一次免费义诊，量量血压", "普惠公益"),
    ],
)
def test_an_obvious_demand_gets_its_category_first(text, category):
    assert suggest_category(text)[0][0] == category


def test_confidences_are_sorted_between_zero_and_one_and_leave_room_for_no_opinion():
    ranked = suggest_category("3栋楼道灯坏了好几天，晚上摸黑上楼，老人摔了一跤")
    confidences = [c for _, c in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences) and sum(confidences) < 1
    assert {name for name, _ in ranked} <= set(CATEGORIES)


def test_a_homophone_typo_still_reads_as_the_word_meant():
    assert suggest_category("小区东门的路等坏了一个多月了")[0][0] == "设施维护"
    assert similarity("3栋电悌坏了", "3栋电梯坏了") > 0.9


@pytest.mark.parametrize("spelling", ["三号楼", "3号楼", "3#楼", "３＃楼", "第三幢", "3栋楼"])
def test_building_numbers_normalise_alike(spelling):
    assert normalize(spelling) == normalize("3栋") == "3栋"
    assert similarity(f"{spelling}电梯坏了", "3栋电梯坏了") == pytest.approx(1.0)


def test_units_floors_width_punctuation_and_filler_are_folded():
    assert normalize("您好！麻烦问一下，二单元五楼的灯不亮了，谢谢啊～") == "2单元5层的灯不亮了"
    assert normalize("十二号楼") == "12栋" and normalize("两栋楼之间") == "两栋楼之间"


def test_the_same_matter_in_other_words_is_a_duplicate():
    a = "3栋2单元电梯又坏了，老人下不了楼"
    b = "三号楼二单元的电梯停了好几天了，也没人来修"
    assert similarity(a, b) >= DUPLICATE_THRESHOLD
    assert is_duplicate(a, b, same_area=True)
    assert set(signature(a)) & set(signature(b)), "the index would not fetch one for the other"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3栋电梯坏了，老人下不了楼", "3栋想加装电梯，一楼住户不同意，需要协商"),
        ("3栋楼道堆满杂物", "3栋楼道灯不亮了"),
        ("3栋2单元电梯又坏了", "5栋2单元电梯又坏了"),
        ("东门路灯不亮", "西门路灯不亮"),
        ("老年食堂什么时候开", "老年食堂饭菜太咸"),
    ],
)
def test_shared_words_about_another_problem_or_place_are_not_duplicates(a, b):
    assert similarity(a, b) < DUPLICATE_THRESHOLD
    assert not is_duplicate(a, b, same_area=True)


def test_demands_in_different_areas_are_never_merged():
    text = "楼道灯不亮了"
    assert similarity(text, text) == 1.0
    assert not is_duplicate(text, text, same_area=False)


@pytest.mark.parametrize("empty", ["", "   ", "！？。。", None])
def test_empty_text_gives_no_suggestion_and_no_error(empty):
    assert suggest_category(empty) == []
    assert signature(empty) == []
    assert similarity(empty, "电梯坏了") == 0.0
    assert not is_duplicate(empty, empty, same_area=True)


def test_very_long_text_is_handled():
    text = "3栋电梯坏了，老人下不了楼。" + "物业一直不管，" * 1000
    assert len(text) > 2000
    assert suggest_category(text)[0][0] in CATEGORIES
    assert 0 < len(signature(text)) <= 15
    assert similarity(text, "3栋电梯坏了") > 0


def test_labelled_set_is_large_and_balanced_and_the_seed_holds_only_train_items():
    demands = [json.loads(line) for line in (DATA / "demands_labelled.jsonl").read_text("utf-8").splitlines()]
    pairs = [json.loads(line) for line in (DATA / "demand_pairs.jsonl").read_text("utf-8").splitlines()]
    assert len(demands) >= 300 and min(sum(d["category"] == c for d in demands) for c in CATEGORIES) >= 25
    assert sum(p["duplicate"] for p in pairs) >= 60 and sum(not p["duplicate"] for p in pairs) >= 60
    seed_ids = {row["id"] for row in json.loads(SEED_FILE.read_text("utf-8"))}
    assert seed_ids == {d["id"] for d in demands if d["id"] % 3}, "TEST demands leaked into the seed"


def test_a_typo_in_the_first_character_still_matches_and_longer_phrases_win():
    """The matcher only tries, at each position, phrases starting with that character's syllable (the longest
    first): a homophone typo at the very start (店梯 for 电梯) is still found, the longer phrase still wins."""
    from yishiting.demands.suggest.matcher import Matcher

    matcher = Matcher({"电梯": "lift", "电梯井": "shaft", "路灯": "lamp"})
    assert [(m.phrase, m.fuzzy) for m in matcher.find("店梯坏了")] == [("电梯", True)]
    assert [(m.phrase, m.start, m.end) for m in matcher.find("电梯井漏水，路等不亮")] == [("电梯井", 0, 3), ("路灯", 6, 8)]
    assert matcher.find("楼道很黑") == []
