from django.db import models
from django.utils.translation import gettext_lazy


class MemberRole(models.TextChoices):
    """A member's place in a standing body (议事会): who convenes it, who keeps its records, who sits in it."""

    CONVENER = "convener", gettext_lazy("召集人")
    SECRETARY = "secretary", gettext_lazy("秘书")
    MEMBER = "member", gettext_lazy("成员")


# The kinds a fresh installation knows (data migration 0002; admin-editable afterwards): code, name, level code.
SEEDED_KINDS = [
    ("district_council", "区社区议事协商委员会", "district", "区一级统筹社区议事协商（垦利五级议事组织）"),
    ("street_joint_meeting", "镇街议事协商联席会", "street", "镇街一级议事协商联席会（垦利五级议事组织）"),
    ("party_mass_council", "社区党群议事会", "community", "社区党组织书记召集，居民、网格员、物业和业委会代表、两代表一委员参加"),
    ("estate_council", "小区居民议事会", "estate", "小区党支部书记召集，小区居民代表、物业、业委会参加"),
    ("building_group", "楼栋居民议事小组", "building", "楼栋党小组长召集，楼栋居民代表参加"),
    ("people_council", "民情理事会", "community", "南昌：理事入户征询民意，在幸福圆桌会前收集意见"),
    ("governance_committee", "社区治理委员会", "community",
     "扬州：社区党组织、居委会、业委会、驻区单位、社会组织和居民代表组成"),
]
