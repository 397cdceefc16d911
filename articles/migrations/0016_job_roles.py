from django.db import migrations


def sync_roles(apps, schema_editor):
    # Writers and editors see the background jobs; editors the workers too (read-only).
    from articles.roles import sync_roles_in_migration

    sync_roles_in_migration(apps, "django_tasks_database", "newsroom")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_owner_recent"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("newsroom", "0001_worker_heartbeat"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
