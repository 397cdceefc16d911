"""Shared fixtures: the demo newsroom loaded once per test database, users by role."""

import io
import os

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


def _flushes_the_database(item) -> bool:
    """Transactional tests (threads, a live server) end with a flush of every table."""
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the demo newsroom back after a transactional test's flush (which runs among
    the fixtures' teardowns, before this), so that the tests after it, in whatever order
    they run, find the database every test starts from."""
    yield
    # After the last test the test database itself is gone (session teardown).
    if nextitem is None or not _flushes_the_database(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        if not get_user_model().objects.filter(username="admin").exists():
            # Ids from 1 again in the emptied tables, as in a new test database
            # (PostgreSQL's flush keeps its sequences going): tests that read ranges of
            # ids (sitemap pages) rely on it. Each sequence restarts after its table's
            # largest id (content types and permissions were put back by the flush).
            from django.apps import apps
            from django.core.management.color import no_style
            from django.db import connection

            statements = connection.ops.sequence_reset_sql(
                no_style(), apps.get_models(include_auto_created=True)
            )
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            call_command("load_demo", stdout=io.StringIO())
            # The flush empties the tables Django knows; SQLite's full-text table is not
            # one of them, and its rows for the flushed ids would match the new ones.
            from articles.search import rebuild_index

            rebuild_index()


@pytest.fixture
def users(db):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=[
        "admin", "editor", "writer", "translator"])}  # fmt: skip


@pytest.fixture
def admin_user_client(client, users):
    client.force_login(users["admin"])
    return client


@pytest.fixture(scope="session", autouse=True)
def page_cache_per_worker(tmp_path_factory):
    """Test workers share one Redis: each keeps its cached pages under its own prefix, so
    no worker is answered with a page another worker's database rendered. Cache files
    (without Redis) go to a throw-away folder, not the developer's var/."""
    from django.conf import settings

    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = {
        alias: {**config, "KEY_PREFIX": f"{config.get('KEY_PREFIX', '')}:test-{worker_id}"}
        for alias, config in settings.CACHES.items()
    }
    for config in caches.values():
        if config["BACKEND"].endswith("FileBasedCache"):
            config["LOCATION"] = str(tmp_path_factory.mktemp("pagecache"))
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def fresh_page_cache(page_cache_per_worker):
    """Each test starts with no cached pages (its database starts afresh too)."""
    from newsroom import pagecache

    pagecache.invalidate(pagecache.SITE_TAG)


@pytest.fixture
def no_page_cache(settings):
    """For tests that count what a page costs to render: every request renders."""
    settings.PAGE_CACHE = False


@pytest.fixture(scope="session", autouse=True)
def jobs_run_at_once():
    """Background jobs run in the test's own process as soon as they are queued (the
    ImmediateBackend), so a test sees their effect without a worker. Jobs are queued when
    the transaction commits (newsroom/jobs.py): a test inside the usual rolled-back
    transaction runs them with `django_capture_on_commit_callbacks(execute=True)`. The
    queue and the real worker are tested with the database backend in tests/newsroom/."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        yield
