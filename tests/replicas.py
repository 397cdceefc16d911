"""Helpers for the replica-router tests: a database alias for one test, and waiting for a
replica to replay what the primary committed."""

import time
from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.utils import load_backend

from newsroom import replicas


@contextmanager
def replica_alias(settings, alias: str, **connection):
    """Make `alias` a read replica (as DATABASE_REPLICA_URLS would) for the length of a
    test: a PostgreSQL connection with `connection`'s HOST, PORT, USER, PASSWORD, to the
    database of the primary's name (the test database, which reaches a streaming replica
    by replication: Django creates nothing on the replica)."""
    primary = connections["default"].settings_dict
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": primary["NAME"] if connections["default"].vendor == "postgresql" else "newsroom",
        "OPTIONS": {"connect_timeout": 2},
        **connection,
    }
    config = connections.configure_settings({"default": dict(primary), alias: config})[alias]
    # The connection is made here, not listed in connections.settings: Django's test case
    # refuses aliases it was not told about when the test began, except connections
    # made like this one (as a router's extra databases would be at run time). It reads
    # the real replica all the same.
    connection = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    setattr(connections._connections, alias, connection)
    settings.DATABASE_REPLICAS = [alias]
    replicas.forget_states()
    try:
        yield alias
    finally:
        replicas.forget_states()
        connection.close()
        delattr(connections._connections, alias)


def committed_lsn() -> str:
    """Where the primary's WAL ends now: everything committed so far is before it."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return cursor.fetchone()[0]


def wait_for(alias: str, condition_sql: str, params, *, what: str, timeout: float = 30) -> None:
    """Poll the replica until `condition_sql` is true (replication is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        with connections[alias].cursor() as cursor:
            cursor.execute(condition_sql, params)
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            pytest.fail(f"The replica {alias} did not {what} within {timeout} s")
        time.sleep(0.05)


def wait_for_replay(alias: str) -> None:
    """Until the replica has replayed everything the primary has committed."""
    wait_for(
        alias,
        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
        [committed_lsn()],
        what="replay the primary's commits",
    )
