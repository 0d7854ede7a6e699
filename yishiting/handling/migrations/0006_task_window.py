"""Task.window_start / window_days: the working days a deadline stood for when it was set, so that holidays
entered later push a deadline typed as a date too (not only one given as N working days).

Open tasks that exist already are counted from their assignment day to their current deadline on the calendar
as it is now (a task given N working days keeps N)."""

from django.db import migrations, models
from django.utils import timezone

OPEN = ["assigned", "in_progress", "returned", "verifying"]


def backfill(apps, schema_editor):
    from yishiting.common.calendar import forget_cached_years, working_days_between

    Task = apps.get_model("handling", "Task")
    forget_cached_years()
    for task in Task.objects.filter(status__in=OPEN, window_days__isnull=True).order_by("pk").iterator():
        start = timezone.localdate(task.created_at)
        days = task.deadline_days or max(working_days_between(start, task.deadline).days, 0)
        Task.objects.filter(pk=task.pk).update(window_start=start, window_days=days)


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0002_seed_calendar'),
        ('handling', '0005_task_accepted_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='window_start',
            field=models.DateField(blank=True, null=True, verbose_name='期限起算日'),
        ),
        migrations.AddField(
            model_name='task',
            name='window_days',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='期限内工作日数'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
