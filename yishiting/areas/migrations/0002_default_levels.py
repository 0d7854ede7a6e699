from django.db import migrations


def seed(apps, schema_editor):
    from yishiting.areas.services import levels_ensure_default

    levels_ensure_default(apps.get_model("areas", "AreaLevel"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
