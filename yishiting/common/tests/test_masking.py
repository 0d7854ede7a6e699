from yishiting.common.masking import mask_id_number, mask_mobile, mask_name


def test_masks_follow_the_house_rules():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_id_number("11010519491231002X") == "1" + "*" * 15 + "2X"
    assert mask_name("") == mask_mobile(None) == mask_id_number(None) == ""


# ---- free text (docs/masking.md) ----

import pytest  # noqa: E402

from yishiting.common.masking import mask_free_text  # noqa: E402


@pytest.mark.parametrize(("typed", "shown"), [
    ("楼道灯坏了，联系我13812345678谢谢", "楼道灯坏了，联系我138****5678谢谢"),
    ("电话：138 1234 5678。", "电话：138 **** 5678。"),
    ("手机138-1234-5678请回电", "手机138-****-5678请回电"),
    ("+8613912345678", "+86139****5678"),
    ("物业电话0755-12345678，", "物业电话0755-******78，"),
    ("座机(021)12345678", "座机(021)******78"),
    ("座机02112345678找王师傅", "座机0211*****78找王师傅"),
    ("身份证11010519491231002X，", "身份证1***************2X，"),
    ("身份证号110105194912310021。", "身份证号1***************21。"),
    ("老身份证110105491231002", "老身份证1************02"),
])
def test_numbers_typed_into_chinese_text_are_masked(typed, shown):
    assert mask_free_text(typed) == shown


@pytest.mark.parametrize("text", [
    "2026-12-05 上午9:00 在3栋门口集合",
    "维修费用共12000元，每户分摊356.50元",
    "诉求编号 2026-000123 已转为议题",
    "3栋1单元1201室，共18户，面积120平方米",
    "20261205开会，预算1234567元",
    "工单号 202612051234",
    "12月8日 09:00—17:00",
])
def test_dates_amounts_and_numbers_that_are_not_phones_stay(text):
    assert mask_free_text(text) == text


def test_named_residents_are_masked_in_text_and_empty_text_stays_empty():
    assert mask_free_text("毛小红反映：请联系毛小红", ["毛小红"]) == "毛**反映：请联系毛**"
    assert mask_free_text("") == "" and mask_free_text(None) == ""
