"""Each unit's own call time and deadline (a unit added to an open whistle has its own); the units named when a
whistle was blown take the whistle's."""

import django.utils.timezone
from django.db import migrations, models


def fill(apps, schema_editor):
    Response = apps.get_model("whistles", "WhistleResponse")
    for r in Response.objects.select_related("whistle").only("whistle__blown_at", "whistle__deadline").iterator():
        Response.objects.filter(pk=r.pk).update(called_at=r.whistle.blown_at, deadline=r.whistle.deadline)


class Migration(migrations.Migration):
    dependencies = [("whistles", "0001_initial")]

    operations = [
        migrations.AddField(model_name="whistleresponse", name="called_at",
                            field=models.DateTimeField(null=True, verbose_name="召集时间")),
        migrations.AddField(model_name="whistleresponse", name="deadline",
                            field=models.DateField(null=True, verbose_name="应哨期限")),
        migrations.AddField(model_name="whistleresponse", name="added",
                            field=models.BooleanField(default=False, verbose_name="吹哨后增加")),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name="whistleresponse", name="called_at",
                              field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="召集时间")),
        migrations.AlterField(model_name="whistleresponse", name="deadline",
                              field=models.DateField(verbose_name="应哨期限")),
    ]
