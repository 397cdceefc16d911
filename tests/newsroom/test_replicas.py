"""The replica router's decisions (newsroom/replicas.py), on any database: which requests
may read from a replica, the pin after a write, migrations only on the primary, and a
replica that is down (a closed port) left out while public pages still answer. The tests
against a real streaming replica are in test_replicas_postgres.py."""

import time

import pytest
import time_machine
from django.db import connections, router
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import replicas
from tests.replicas import replica_alias

ALIAS = "replica1"


@pytest.fixture
def with_replica_setting(settings):
    """Replicas configured (an alias name only): enough for decisions that read none."""
    settings.DATABASE_REPLICAS = [ALIAS]
    return settings


@pytest.fixture
def down_replica(db, settings):
    """A replica alias pointing at a port where nothing listens."""
    with replica_alias(settings, ALIAS, HOST="127.0.0.1", PORT="1", USER="postgres") as alias:
        yield alias


def _request(method="GET", path="/", cookies=None):
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    return request


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_readers_safe_request_for_a_public_page_may_read_from_a_replica(
    with_replica_setting, method
):
    assert replicas.may_use_replica(_request(method, "/en/"))


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_an_unsafe_request_reads_from_the_primary(with_replica_setting, method):
    assert not replicas.may_use_replica(_request(method, "/en/"))


def test_the_admin_reads_from_the_primary(with_replica_setting):
    assert not replicas.may_use_replica(_request("GET", "/admin/articles/article/"))


def test_a_request_with_a_session_cookie_reads_from_the_primary(with_replica_setting, settings):
    assert not replicas.may_use_replica(_request(cookies={settings.SESSION_COOKIE_NAME: "x"}))


def test_a_pinned_browser_reads_from_the_primary_until_the_pin_ends(with_replica_setting):
    pinned = {replicas.PIN_COOKIE: str(int(time.time()) + 10)}
    assert not replicas.may_use_replica(_request(cookies=pinned))
    with time_machine.travel(time.time() + 11):
        assert replicas.may_use_replica(_request(cookies=pinned))


def test_a_garbled_pin_cookie_is_ignored(with_replica_setting):
    assert replicas.may_use_replica(_request(cookies={replicas.PIN_COOKIE: "soon"}))


def test_without_replicas_every_request_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert not replicas.may_use_replica(_request("GET", "/en/"))
    assert router.db_for_read(Article) == "default"


def test_writes_go_to_the_primary_whichever_database_the_instance_came_from(
    with_replica_setting,
):
    article = Article(pk=1)
    article._state.db = ALIAS  # as if read from the replica
    assert router.db_for_write(Article, instance=article) == "default"


def test_outside_a_request_reads_and_writes_go_to_the_primary(with_replica_setting):
    # Commands, workers and the shell never read from a replica.
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"


@pytest.mark.parametrize("alias", ["default", ALIAS])
def test_migrations_run_only_on_the_primary(with_replica_setting, alias):
    assert router.allow_migrate(alias, "articles", model_name="article") is (alias == "default")


@pytest.mark.django_db
def test_an_unsafe_request_pins_the_browser_to_the_primary(with_replica_setting, client):
    response = client.post("/en/")
    pin = response.cookies[replicas.PIN_COOKIE]
    assert pin["max-age"] == with_replica_setting.REPLICA_PIN_SECONDS
    assert pin["httponly"] and pin["samesite"] == "Lax"
    assert float(pin.value) > time.time()


@pytest.mark.django_db
def test_a_safe_request_sets_no_pin(with_replica_setting, client):
    assert replicas.PIN_COOKIE not in client.get("/en/").cookies


@pytest.mark.django_db
def test_without_replicas_nothing_is_pinned(settings, client):
    settings.DATABASE_REPLICAS = []
    assert replicas.PIN_COOKIE not in client.post("/en/").cookies


def test_a_replica_that_is_down_is_measured_as_down(down_replica):
    state = replicas.measure(down_replica)
    assert (state.state, state.lag) == (replicas.DOWN, None)


def test_public_pages_answer_from_the_primary_while_the_replica_is_down(
    down_replica, client, no_page_cache
):
    with CaptureQueriesContext(connections["default"]) as primary:
        response = client.get("/en/")
    assert response.status_code == 200
    assert len(primary) > 0  # the page was read from the primary
    assert [s.state for s in replicas.states()] == [replicas.DOWN]


def test_healthz_reports_a_replica_that_is_down_without_its_address(down_replica, client):
    response = client.get("/healthz")
    assert response.status_code == 200  # the primary answers: public pages still work
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "replicas": {ALIAS: {"state": "down"}},
    }
    assert "127.0.0.1" not in response.content.decode()


def test_the_replica_states_are_measured_once_per_check_interval(down_replica, settings):
    settings.REPLICA_CHECK_SECONDS = 60
    first = replicas.states()
    assert replicas.states() == first  # the same measurement, not a new one
    settings.REPLICA_CHECK_SECONDS = 0
    assert replicas.states()[0].checked_at > first[0].checked_at
