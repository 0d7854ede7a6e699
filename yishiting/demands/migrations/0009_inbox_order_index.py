"""The screening inbox in its own order, by index (issue 18; PostgreSQL only, SQLite: nothing to do).

The inbox (selectors.screening_inbox) lists open demands most urgent first, then by deadline: ORDER BY a CASE
over urgency, screening_deadline, created_at. No index held that order, so a page sorted every open demand of
the scope: a street official's 本级及下级 over a backlog of 45,000 took 820 ms for its 30 rows. This partial
index holds exactly that expression (as Django writes it from URGENCY_RANK) over the open demands only, with
screening_path beside it for the scope filter: the page reads its 31 entries in order (0.1 ms). Keep the CASE
here in step with demands.choices.URGENCY_RANK and demands.selectors.OPEN (a test compares the plan).
"""

from django.db import migrations

INDEX = """CREATE INDEX IF NOT EXISTS demand_inbox_order_idx ON demands_demand
    ((CASE WHEN urgency = 'critical' THEN 0 WHEN urgency = 'urgent' THEN 1 WHEN urgency = 'normal' THEN 2
      ELSE NULL END), screening_deadline, created_at)
    INCLUDE (screening_path) WHERE status IN ('pending', 'escalated')"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS demand_inbox_order_idx")


class Migration(migrations.Migration):

    dependencies = [
        ("demands", "0008_pending_screening_index"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
