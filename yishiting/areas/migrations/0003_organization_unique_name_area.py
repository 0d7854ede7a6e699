"""Organizations are unique by name within an area, whatever their kind (was: area, kind and name).

Before the new constraint, any older rows that share an area and a name are renamed, never merged or deleted:
the first (lowest id) keeps its name, each other one gets its kind in brackets ("幸福区人民检察院（“双报到”单位）"),
and "#id" as well if that is taken too. Nothing that points at an organization changes; staff can then merge or
rename them in the admin. Reversing drops the new constraint and restores the old one (names stay as renamed).
"""

from django.db import migrations, models

KIND_LABELS = {  # the kinds' labels when this migration was written (areas.choices.OrganizationKind)
    "party_committee": "党委", "party_branch": "党支部", "party_group": "党小组", "residents_committee": "居民委员会",
    "village_committee": "村民委员会", "owners_committee": "业主委员会", "property_company": "物业服务企业",
    "resident_unit": "驻区单位", "dual_registration_unit": "“双报到”单位", "social_organization": "社会组织",
    "community_police": "社区警务室", "law_firm": "律师事务所", "government_agency": "职能部门",
    "street_office": "街道办事处",
}


def new_names(rows) -> dict[int, str]:
    """{pk: new name} for the rows (pk, area_id, name, kind) that share an area and a name with a lower pk."""
    taken: dict[int, set[str]] = {}
    for _pk, area_id, name, _kind in rows:
        taken.setdefault(area_id, set()).add(name)
    seen: set[tuple[int, str]] = set()
    renamed = {}
    for pk, area_id, name, kind in sorted(rows, key=lambda r: r[0]):
        if (area_id, name) not in seen:
            seen.add((area_id, name))
            continue
        new = f"{name[:180]}（{KIND_LABELS.get(kind, kind)}）"
        if new in taken[area_id]:
            new = f"{name[:180]}#{pk}"
        taken[area_id].add(new)
        renamed[pk] = new
    return renamed


def rename_duplicates(apps, schema_editor):
    Organization = apps.get_model("areas", "Organization")
    rows = list(Organization.objects.values_list("pk", "area_id", "name", "kind"))
    for pk, name in new_names(rows).items():
        Organization.objects.filter(pk=pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_default_levels")]
    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="organization", name="organization_unique_name"),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(fields=("area", "name"), name="organization_unique_name_area",
                                               violation_error_message="同一区域内已有同名组织，请换一个名称。"),
        ),
    ]
