"""The area finder's key now also reads each area's name together with the names above it ("xfjy1" → 幸福佳园
1号楼): recompute it for the areas already there (services.area_search_key; nothing else changes)."""

from django.db import migrations


def recompute(apps, schema_editor):
    from yishiting.areas.services import area_search_key

    Area = apps.get_model("areas", "Area")
    batch = []
    for area in Area.objects.only("pk", "full_name", "search_key").iterator(chunk_size=2000):
        area.search_key = area_search_key(area.full_name)
        batch.append(area)
        if len(batch) == 2000:
            Area.objects.bulk_update(batch, ["search_key"])
            batch = []
    Area.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("areas", "0003_organization_unique_name_area")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
