"""Topic.demand_count: the stored count of demands a topic gathered (issue 18, the topic index without a join
and COUNT(DISTINCT) over every topic), backfilled from the demands that name each topic; and an index for the
index's order (newest first)."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor) -> None:
    Topic = apps.get_model("deliberation", "Topic")
    Demand = apps.get_model("demands", "Demand")
    gathered = (Demand.objects.filter(topic=OuterRef("pk")).order_by().values("topic")
                .annotate(n=Count("pk")).values("n"))
    Topic.objects.filter(pk__in=Demand.objects.filter(topic__isnull=False).values("topic")).update(
        demand_count=Coalesce(Subquery(gathered), Value(0)))


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0007_mask_numbers_in_topic_titles'),
        ('demands', '0006_photo_thumbnails'),
    ]

    operations = [
        migrations.AddField(
            model_name='topic',
            name='demand_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='关联诉求数'),
        ),
        migrations.AddIndex(
            model_name='topic',
            index=models.Index(fields=['-created_at', '-id'], name='topic_newest_idx'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
