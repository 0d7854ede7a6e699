"""Standing bodies in the templates (issue 20): which body kind deliberates at each level, who chairs the estate
and building levels (the estate's party branch secretary, the building's party group leader, beside the community
secretary where no body sits), and Kenli's 决策前置 (物业管理 matters go through the estate's 小区居民议事会 before the community
decides)."""

from django.db import migrations, models

LOWER = {"estate": "estate_council", "building": "building_group"}
BODIES = {
    "kenli-345": {"district": "district_council", "street": "street_joint_meeting", "community": "party_mass_council",
                  **LOWER},
    "nanchang-round-table": {"community": "people_council", **LOWER},
    "yangzhou-5yi": {"community": "governance_committee", **LOWER},
    "shuangyashan-5fang": {"community": "party_mass_council", **LOWER},
    "altay-qiaxiu": {"community": "party_mass_council", **LOWER},
    "cenxi-linli": {"community": "party_mass_council", **LOWER},
}
# The community secretary still chairs where a level has no standing body; where it has one, its meetings are
# chaired by the branch secretary or the party group leader (deliberation/bodies.py BODY_CHAIRS).
CHAIRS = {"estate": ["estate_branch_secretary", "community_secretary"],
          "building": ["building_party_group_leader", "estate_branch_secretary", "community_secretary"]}
FIRST = {"kenli-345": [{"categories": ["物业管理"], "level": "estate"}]}


def fill(apps, schema_editor):
    for template in apps.get_model("deliberation", "ProcessTemplate").objects.all():
        template.bodies = BODIES.get(template.code, {"community": "party_mass_council", **LOWER})
        template.deliberate_first = FIRST.get(template.code, [])
        template.chairs = {**(template.chairs or {}), **CHAIRS}
        template.save(update_fields=["bodies", "deliberate_first", "chairs"])


def unfill(apps, schema_editor):
    for template in apps.get_model("deliberation", "ProcessTemplate").objects.all():
        template.chairs = {**(template.chairs or {}), "estate": ["community_secretary"],
                           "building": ["community_secretary"]}
        template.save(update_fields=["chairs"])


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0009_topic_search_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='processtemplate',
            name='bodies',
            field=models.JSONField(blank=True, default=dict, verbose_name='各层级的议事组织'),
        ),
        migrations.AddField(
            model_name='processtemplate',
            name='deliberate_first',
            field=models.JSONField(blank=True, default=list, verbose_name='决策前置规则'),
        ),
        migrations.RunPython(fill, unfill),
    ]
