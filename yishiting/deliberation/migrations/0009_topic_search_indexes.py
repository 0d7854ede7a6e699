"""Topic search without reading every topic (issue 18), on PostgreSQL only (SQLite: nothing to do).

Search is `UPPER(title) LIKE UPPER('%term%') OR UPPER(description) LIKE …` (Django's icontains). At 100 k topics
that was a parallel scan of the whole table for any term the newest rows do not hold (60–90 ms on a busy machine).
- Three characters and more: pg_trgm GIN indexes on exactly the expressions icontains writes, so the same
  query becomes a bitmap scan of the matching rows (1 ms).
- One or two characters (电梯, 灯: most Chinese searches) hold no trigram, so pg_trgm cannot answer them.
  `deliberation_short_grams` lists every 1- and 2-character piece of the upper-cased title and description; a
  GIN index over it finds the topics containing the term (`@> ARRAY[upper(term)]`, exact for 1–2 characters).
  selectors.topics.topic_search picks the path by the term's length.

- The page's ids in scope, newest first (a bookmarked ?page=200 by OFFSET, 下一页 from a cursor, a status
  filter): `topic_newest_cover` carries path, scope_area_path and status beside (created_at, id), so the walk is
  an index-only scan instead of a heap visit per skipped row (page 200: 190 ms → 3 ms on the bench database).

The extension needs a superuser or the database owner on PostgreSQL ≥ 13 (pg_trgm is a trusted extension); see
docs/deploy.md for a production database whose owner may not create it.
"""

from django.db import migrations

SHORT_GRAMS = """
CREATE OR REPLACE FUNCTION deliberation_short_grams(a text, b text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(s, i, n)), '{}')
  FROM (VALUES (upper(coalesce(a, ''))), (upper(coalesce(b, '')))) AS t(s),
       LATERAL generate_series(1, length(s)) AS i, (VALUES (1), (2)) AS k(n)
  WHERE i + n - 1 <= length(s)
$$"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(SHORT_GRAMS)
    schema_editor.execute("CREATE INDEX IF NOT EXISTS topic_title_trgm ON deliberation_topic "
                          "USING gin (upper(title::text) gin_trgm_ops)")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS topic_description_trgm ON deliberation_topic "
                          "USING gin (upper(description) gin_trgm_ops)")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS topic_short_grams ON deliberation_topic "
                          "USING gin (deliberation_short_grams(title, description))")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS topic_newest_cover ON deliberation_topic "
                          "(created_at DESC, id DESC) INCLUDE (path, scope_area_path, status)")


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS topic_newest_cover; DROP INDEX IF EXISTS topic_short_grams; DROP INDEX IF EXISTS topic_description_trgm; "
                          "DROP INDEX IF EXISTS topic_title_trgm; "
                          "DROP FUNCTION IF EXISTS deliberation_short_grams(text, text)")


class Migration(migrations.Migration):

    dependencies = [
        ("deliberation", "0008_topic_demand_count"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
