"""CI runs the suite twice, on SQLite with local caches and on PostgreSQL with Redis
(`.ci/run` says which it expects in NEWSROOM_EXPECT_DB / NEWSROOM_EXPECT_CACHE). Were a run
silently on the wrong database, the PostgreSQL-only tests would skip and CI would pass:
these checks make such a run fail instead."""

import os

import pytest
from django.core.cache import caches
from django.db import connection

EXPECTED_DB = os.environ.get("NEWSROOM_EXPECT_DB", "")
EXPECTED_CACHE = os.environ.get("NEWSROOM_EXPECT_CACHE", "")
REDIS_BACKEND = "django_redis.cache.RedisCache"


@pytest.mark.skipif(not EXPECTED_DB, reason="run outside CI: no database expected")
def test_the_suite_runs_on_the_database_ci_asked_for():
    assert connection.vendor == EXPECTED_DB


@pytest.mark.skipif(not EXPECTED_CACHE, reason="run outside CI: no cache expected")
@pytest.mark.parametrize("alias", ["default", "pages"])
def test_the_caches_are_those_ci_asked_for(alias):
    backend = f"{type(caches[alias]).__module__}.{type(caches[alias]).__name__}"
    if EXPECTED_CACHE == "redis":
        assert backend == REDIS_BACKEND
        caches[alias].set("ci-setup-probe", "here", timeout=5)  # and it answers
        assert caches[alias].get("ci-setup-probe") == "here"
    else:
        assert backend != REDIS_BACKEND
