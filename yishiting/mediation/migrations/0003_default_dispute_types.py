"""Seed the default dispute types (纠纷类型); admins edit them afterwards. Names are data: they stay Chinese."""

from django.db import migrations

DEFAULTS = [  # (code, name) — zh-only: stored names
    ("neighbour", "邻里纠纷"), ("property", "物业纠纷"), ("family", "婚姻家庭纠纷"), ("land", "房屋土地纠纷"),
    ("labour", "劳务纠纷"), ("consumer", "消费纠纷"), ("damage", "损害赔偿纠纷"), ("other", "其他纠纷"),
]


def seed(apps, schema_editor):
    DisputeType = apps.get_model("mediation", "DisputeType")
    for order, (code, name) in enumerate(DEFAULTS, start=1):
        DisputeType.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("mediation", "0002_case_tiers_agreements")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
