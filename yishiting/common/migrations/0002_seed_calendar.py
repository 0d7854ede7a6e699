from django.db import migrations


def seed(apps, schema_editor):
    from yishiting.common.calendar import seed_from_chinesecalendar

    seed_from_chinesecalendar(apps.get_model("common", "CalendarDay"), apps.get_model("common", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
