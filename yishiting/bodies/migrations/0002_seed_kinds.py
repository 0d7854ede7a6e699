"""The body kinds of the seeds (Kenli's five levels 区社区议事协商委员会 … 楼栋居民议事小组, Nanchang's 民情理事会,
Yangzhou's 社区治理委员会); admin-editable afterwards."""

from django.db import migrations

# A copy (migrations do not import app code that may change): code, name, level code, description.
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


def seed(apps, schema_editor):
    kind = apps.get_model("bodies", "BodyKind")
    for order, (code, name, level, description) in enumerate(SEEDED_KINDS, 1):
        kind.objects.update_or_create(code=code, defaults={"name": name, "level_code": level,
                                                           "description": description, "sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("bodies", "BodyKind").objects.filter(code__in=[k[0] for k in SEEDED_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("bodies", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
