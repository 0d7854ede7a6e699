"""People get a pinyin key of their name (initials and full spelling, as areas have), so the people picker finds
"zzr" or "zhouzhuren" with an index-friendly column instead of spelling every name at each keystroke."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from yishiting.areas.services import search_key_for

    Person = apps.get_model("areas", "Person")
    batch = []
    for person in Person.objects.only("pk", "name").iterator(chunk_size=5000):
        person.search_key = search_key_for(person.name)
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_update(batch, ["search_key"])
            batch = []
    Person.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("areas", "0004_area_search_key_path")]
    operations = [
        migrations.AddField(
            model_name="person",
            name="search_key",
            field=models.CharField(default="", editable=False, help_text="姓名的拼音首字母和全拼，供人员选择器查找",
                                   max_length=200, verbose_name="检索键"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
