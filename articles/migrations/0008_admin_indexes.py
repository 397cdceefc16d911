"""Indexes for the admin at archive size (the article list and the editor's desk).

- article_admin_list_order: the list's order (published first, newest first; then created,
  then id, the tie-break Django's changelist adds), so the list, and every filter that keeps
  most rows, reads one page of an index and stops instead of sorting the archive.
- article_admin_status_order: the same order within one status, for the workflow-state
  filter (drafts have no publish time: without it they are found at the far end of the
  list order).
- article_admin_translation_order: the list order over translations only, for the
  translation-state filter.
- article_admin_owner_desk: the desk's "your drafts", "changes requested", "with the
  editors": one owner's articles in a status, most recently edited first.

Database-only (`RunPython`, not `AddIndex`): the list order sorts NULL publish times last,
which an index says as `DESC NULLS LAST` on PostgreSQL and as plain `DESC` on SQLite (where
NULLs sort last in descending order already, and `NULLS LAST` is refused in an index).
Django's model state cannot say both, so these live here, like the search trigger of 0004,
and `makemigrations` leaves them alone.
"""

from django.db import migrations

ORDER = {
    "postgresql": '"published_at" DESC NULLS LAST, "created_at" DESC, "id" DESC',
    "sqlite": '"published_at" DESC, "created_at" DESC, "id" DESC',
}
INDEXES = {
    "article_admin_list_order": "({order})",
    "article_admin_status_order": '("status", {order})',
    "article_admin_translation_order": '({order}) WHERE "translation_of_id" IS NOT NULL',
    "article_admin_owner_desk": '("owner_id", "status", "updated_at")',
}


def create_indexes(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if order is None:
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "articles_article" '
            + columns.format(order=order)
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor not in ORDER:
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_revised_at"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
