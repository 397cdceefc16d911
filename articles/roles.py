"""The newsroom's roles as Django groups, with the permissions each one carries.

Kept here (not only in the migration) so the migration, tests and `load_demo` agree.
These say what a role may do to a kind of object at all; `articles/rules.py` narrows
them per object (a writer's change_quote holds only for quotes no one else's work or
live article shows).
"""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Writer": [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.view_image", "articles.add_image", "articles.change_image",
        "articles.delete_image", "articles.view_section", "articles.view_storyline",
        "articles.view_storylineentry",
        "articles.add_storylineentry", "articles.change_storylineentry",
        "articles.delete_storylineentry", "articles.view_articleevent",
        "people.view_person", "people.view_company", "people.view_position",
        "people.view_quote", "people.add_quote", "people.change_quote", "people.delete_quote",
        "people.view_quotetranslation", "people.add_quotetranslation",
        "people.change_quotetranslation", "people.delete_quotetranslation",
        # The background jobs (renditions of their pictures, their imports), read-only.
        "django_tasks_database.view_dbtaskresult",
        "articles.add_importbatch", "articles.view_importbatch",
    ],
    "Translator": [
        "articles.translate_article", "articles.view_article", "articles.view_image",
        "articles.view_section", "articles.view_storyline", "articles.view_storylineentry",
        "articles.add_storylineentry", "articles.change_storylineentry",
        "articles.view_articleevent",
        "people.view_person", "people.view_company", "people.view_position",
        "people.view_quote", "people.view_quotetranslation", "people.add_quotetranslation",
        "people.change_quotetranslation", "people.delete_quotetranslation",
    ],
    "Editor": [
        "articles.add_article", "articles.change_article", "articles.delete_article",
        "articles.view_article", "articles.review_article", "articles.publish_article",
        "articles.translate_article", "articles.edit_any_article",
        "articles.add_image", "articles.change_image", "articles.delete_image",
        "articles.view_image",
        "articles.add_section", "articles.change_section", "articles.view_section",
        "articles.add_storyline", "articles.change_storyline", "articles.delete_storyline",
        "articles.view_storyline",
        "articles.add_storylineentry", "articles.change_storylineentry",
        "articles.delete_storylineentry", "articles.view_storylineentry",
        "articles.view_articleevent",
        "people.add_person", "people.change_person", "people.delete_person",
        "people.view_person",
        "people.add_company", "people.change_company", "people.delete_company",
        "people.view_company",
        "people.add_position", "people.change_position", "people.delete_position",
        "people.view_position",
        "people.add_quote", "people.change_quote", "people.delete_quote", "people.view_quote",
        "people.add_quotetranslation", "people.change_quotetranslation",
        "people.delete_quotetranslation", "people.view_quotetranslation",
        "django_tasks_database.view_dbtaskresult", "newsroom.view_workerheartbeat",
        "articles.add_importbatch", "articles.view_importbatch",
    ],
}  # fmt: skip


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and set their permissions exactly (idempotent).

    A permission that does not exist yet is left out: an early migration runs this before
    the models of later ones (or other apps) exist, and the migration that adds them runs
    it again. (tests/articles/test_roles.py checks that every one exists in the end.)
    """
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def sync_roles_in_migration(apps, *app_labels: str) -> None:
    """`sync_roles` for a migration that adds models or changes ROLE_PERMISSIONS.

    Django makes permissions only after all migrations have run; this makes those of
    `app_labels` at once (from the migration's historical models), so the groups can hold
    them on a fresh database.
    """
    from django.contrib.auth.management import create_permissions

    for app_label in app_labels:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
