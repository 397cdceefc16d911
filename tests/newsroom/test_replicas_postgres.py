"""The replica router against a real PostgreSQL streaming replica (.ci/replica makes one on
127.0.0.1:5433 and CI names it in NEWSROOM_TEST_REPLICA_URL; with NEWSROOM_REQUIRE_REPLICA=1
these tests fail, not skip, without it).

The test database is created on the primary and reaches the replica by replication, as do
the demo newsroom (committed when the test database is set up) and whatever a
transactional test commits. A plain test's own changes are never committed, so they are
on the primary only: a page that shows them was read from the primary.

Tests that need the replica to keep replaying hold a shared advisory lock on the primary;
the test that pauses replay holds it exclusively, so no other test (in another xdist
worker, or another run on this machine sharing the replica) waits on a paused replica.
"""

import os
import time
from contextlib import contextmanager

import dj_database_url
import pytest
import time_machine
from django.db import DatabaseError, connection, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import replicas
from tests.replicas import replica_alias, wait_for, wait_for_replay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="streaming replicas are PostgreSQL's"
    ),
]

REPLICA_URL = os.environ.get("NEWSROOM_TEST_REPLICA_URL", "")
REQUIRED = os.environ.get("NEWSROOM_REQUIRE_REPLICA", "") == "1"
ALIAS = "replica1"
REPLAY_LOCK = 7_265_706_163  # any fixed number, the same in every run on this machine


def _missing(reason: str):
    (pytest.fail if REQUIRED else pytest.skip)(reason)


@contextmanager
def replay_lock(*, exclusive: bool):
    """Held on the primary's `postgres` database: one lock for every test database."""
    import psycopg

    primary = connections["default"].settings_dict
    with psycopg.connect(
        host=primary["HOST"],
        port=primary["PORT"] or 5432,
        user=primary["USER"],
        password=primary["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as lock:
        take = "pg_advisory_lock" if exclusive else "pg_advisory_lock_shared"
        lock.execute(f"SELECT {take}(%s)", [REPLAY_LOCK])
        yield lock  # closing the connection releases the lock


@contextmanager
def real_replica(settings):
    if not REPLICA_URL:
        _missing("NEWSROOM_TEST_REPLICA_URL is not set (.ci/replica makes a streaming replica)")
    server = dj_database_url.parse(REPLICA_URL)
    address = {key: server[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}
    with replica_alias(settings, ALIAS, **address) as alias:
        if replicas.measure(alias).state == replicas.DOWN:
            _missing(f"No streaming replica answers at {server['HOST']}:{server['PORT']}")
        yield alias


@pytest.fixture
def replica(db, settings):
    """The real replica as alias replica1, caught up with the primary."""
    with replay_lock(exclusive=False), real_replica(settings) as alias:
        wait_for_replay(alias)
        yield alias


@pytest.fixture
def paused_replica(db, settings):
    """The real replica with replay paused after something more was committed on the
    primary: it has received that WAL but not applied it, so it is behind."""
    with replay_lock(exclusive=True) as lock, real_replica(settings) as alias:
        wait_for_replay(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        try:
            wait_for(
                alias,
                "SELECT pg_get_wal_replay_pause_state() = 'paused'",
                [],
                what="pause replay",
            )
            # A commit on the primary. It wrote nothing else, so PostgreSQL flushes its
            # record a moment later, not at once: wait for where it was inserted.
            lock.execute("SELECT txid_current()")
            inserted = lock.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
            wait_for(
                alias,
                "SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn",
                [str(inserted)],
                what="receive the primary's WAL",
            )
            yield alias
        finally:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")
            wait_for_replay(alias)


def _article():
    return Article.objects.published().order_by("pk").first()


def _get(client, url):
    """The response, and how many queries the primary and the replica answered for it."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[ALIAS]) as replica,
    ):
        response = client.get(url)
    return response, len(primary), len(replica)


def test_the_test_database_reaches_the_replica_by_streaming(replica):
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT current_database(), pg_is_in_recovery()")
        assert cursor.fetchone() == (connections["default"].settings_dict["NAME"], True)
    # The demo newsroom, committed on the primary when the test database was set up.
    assert Article.objects.using(replica).count() == Article.objects.count() > 0
    # A standby: it refuses writes.
    with pytest.raises(DatabaseError, match="read-only"), connections[replica].cursor() as cursor:
        cursor.execute("CREATE TABLE written_on_a_replica (id int)")


def test_a_public_page_is_read_from_the_replica(replica, client, no_page_cache):
    article = _article()
    response, on_primary, on_replica = _get(client, article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert on_replica > 0
    assert on_primary == 0


def test_in_a_request_reads_go_to_the_replica_until_it_writes(replica):
    article = _article()
    seen = []

    def view(request):
        seen.append(Article.objects.get(pk=article.pk).title)
        Article.objects.filter(pk=article.pk).update(title="Written in this request")
        seen.append(Article.objects.get(pk=article.pk).title)
        return HttpResponse()

    replicas.ReplicaRoutingMiddleware(view)(RequestFactory().get("/en/"))
    # The first read came from the replica; the write went to the primary (this test's
    # transaction, never committed, so the replica still has the old title) and the
    # read after it came from the primary.
    assert seen == [article.title, "Written in this request"]
    assert Article.objects.using(replica).get(pk=article.pk).title == article.title


def test_data_committed_on_the_primary_is_read_through_the_replica(
    transactional_db, replica, client, no_page_cache
):
    article = _article()
    Article.objects.filter(pk=article.pk).update(title="Committed on the primary")
    wait_for_replay(replica)
    response, on_primary, on_replica = _get(client, article.get_absolute_url())
    assert "Committed on the primary" in response.content.decode()
    assert (on_primary, on_replica > 0) == (0, True)


def test_after_a_post_the_browser_reads_the_primary_until_the_pin_ends(
    replica, client, no_page_cache, users, settings
):
    article = _article()
    client.force_login(users["editor"])
    # The editor's change, on the primary only (this test's transaction is never committed).
    Article.objects.filter(pk=article.pk).update(title="Saved a moment ago")
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert replicas.PIN_COOKIE in response.cookies
    # Signed out (the session cookie is cleared): only the pin keeps it on the primary.
    assert not client.cookies[settings.SESSION_COOKIE_NAME].value

    response, on_primary, on_replica = _get(client, article.get_absolute_url())
    assert "Saved a moment ago" in response.content.decode()
    assert (on_primary > 0, on_replica) == (True, 0)

    # Another reader, not pinned, is served by the replica, without the change yet.
    response, _, on_replica = _get(client.__class__(), article.get_absolute_url())
    assert article.title in response.content.decode() and on_replica > 0
    # And so is the editor once the pin has run out.
    with time_machine.travel(time.time() + settings.REPLICA_PIN_SECONDS + 1):
        _, on_primary, on_replica = _get(client, article.get_absolute_url())
    assert (on_primary, on_replica > 0) == (0, True)


def test_healthz_reports_a_healthy_replica_without_its_address(replica, client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    state = response.json()["replicas"][ALIAS]
    assert state["state"] == "ok"
    assert 0 <= state["lag_seconds"] <= settings.REPLICA_MAX_LAG_SECONDS
    port = str(connections[ALIAS].settings_dict["PORT"])
    assert port not in response.content.decode()


def test_a_replica_that_is_behind_is_left_out_until_it_catches_up(
    paused_replica, client, no_page_cache, settings
):
    # Behind by more than is allowed (none, here: replay is paused with WAL waiting).
    settings.REPLICA_MAX_LAG_SECONDS = 0
    state = replicas.measure(paused_replica)
    assert state.state == replicas.BEHIND and state.lag > 0

    response, on_primary, on_replica = _get(client, _article().get_absolute_url())
    assert response.status_code == 200
    assert (on_primary > 0, on_replica) == (True, 1)  # only the lag check asked the replica

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["replicas"][ALIAS]["state"] == "behind"
    assert health.json()["replicas"][ALIAS]["lag_seconds"] >= 0

    with connections[paused_replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(paused_replica)
    settings.REPLICA_MAX_LAG_SECONDS = 5
    replicas.forget_states()
    _, on_primary, on_replica = _get(client, _article().get_absolute_url())
    assert (on_primary, on_replica > 0) == (0, True)


def test_right_after_a_change_pages_render_from_the_primary_not_from_a_replica(
    replica, client, settings
):
    # Every test starts by retiring the cached pages (conftest.fresh_page_cache): a change
    # a moment ago, which a replica might not have yet.
    first, second = Article.objects.published().order_by("pk")[:2]
    response, on_primary, on_replica = _get(client, first.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert (on_primary > 0, on_replica) == (True, 0)
    with time_machine.travel(time.time() + settings.REPLICA_PIN_SECONDS + 1):
        response, on_primary, on_replica = _get(client, second.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert (on_primary, on_replica > 0) == (0, True)
