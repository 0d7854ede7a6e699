"""The default fields of expertise (Kenli's pool: 司法专业人士, retired party members, professionals) and the
default consultation template (2 working days). Both are admin-editable; typed data stays Chinese."""

from django.db import migrations

FIELDS = [
    ("law", "法律", True), ("family", "婚姻家庭", True), ("labour", "劳动争议", True), ("property_mgmt", "物业纠纷", True),
    ("land", "房屋土地", True), ("construction", "建筑", False), ("finance", "财务", False),
    ("social_work", "社会工作", False), ("psychology", "心理咨询", False),
]


def seed(apps, schema_editor):
    ExpertField = apps.get_model("legal", "ExpertField")
    for order, (code, name, legal) in enumerate(FIELDS):
        ExpertField.objects.get_or_create(code=code, defaults={"name": name, "is_legal": legal, "order": order})
    apps.get_model("legal", "ConsultationTemplate").objects.get_or_create(
        name="云律团默认时限", defaults={"answer_working_days": 2})


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
