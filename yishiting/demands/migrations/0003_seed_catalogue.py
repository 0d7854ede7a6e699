from django.db import migrations


def seed(apps, schema_editor):
    from yishiting.demands.catalogue import seed_catalogue

    seed_catalogue(apps.get_model("demands", "Category"), apps.get_model("demands", "ConsultationRule"))


class Migration(migrations.Migration):
    dependencies = [("demands", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
