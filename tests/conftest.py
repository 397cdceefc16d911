"""Shared fixtures: the demo newsroom loaded once per test database, users by role."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    """Uploaded files go to a throw-away folder, never the developer's var/media."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, media_root):
    """Every test database starts with the demo newsroom (tests roll back their changes)."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def users(db):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=[
        "admin", "editor", "writer", "translator"])}  # fmt: skip


@pytest.fixture
def admin_user_client(client, users):
    client.force_login(users["admin"])
    return client
