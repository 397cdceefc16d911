from django.db import migrations


def sync_roles(apps, schema_editor):
    # Writers and editors see the background jobs; editors the workers too (read-only).
    from django.contrib.auth.management import create_permissions

    for app_label in ("django_tasks_database", "newsroom"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from articles.roles import sync_roles

    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_owner_recent"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("newsroom", "0001_worker_heartbeat"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
