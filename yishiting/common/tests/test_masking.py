from yishiting.common.masking import mask_id_number, mask_mobile, mask_name


def test_masks_follow_the_house_rules():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_id_number("11010519491231002X") == "1" + "*" * 15 + "2X"
    assert mask_name("") == mask_mobile(None) == mask_id_number(None) == ""
