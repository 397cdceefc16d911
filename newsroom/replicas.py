"""Reads from PostgreSQL streaming replicas (docs/replicas.md).

`DATABASE_REPLICA_URLS` adds the database aliases `replica1`, `replica2`, … (listed in
`settings.DATABASE_REPLICAS`). Which alias answers a query:

- Writes, migrations and everything outside a request (commands, workers, the shell):
  the primary, `default`.
- A request may read from a replica only when it is a safe request (GET/HEAD/OPTIONS) for
  a public page: not under the admin, without a session cookie (staff sign in; readers
  have none), and not pinned. `ReplicaRoutingMiddleware` decides this once per request.
- Pinning: after any unsafe request (a save, a sign-in, a form) the browser gets a cookie
  that keeps its reads on the primary for `REPLICA_PIN_SECONDS`, so whoever wrote sees
  what they wrote. Within a request, a write or an open transaction on the primary moves
  the rest of its reads to the primary too; and for `REPLICA_PIN_SECONDS` after any change
  that retired cached pages, pages render from the primary, so the page cache never stores
  a page a lagging replica rendered from old rows.
- A replica is used only while it answers, is in recovery, and is no more than
  `REPLICA_MAX_LAG_SECONDS` behind. Each process checks every replica at most once every
  `REPLICA_CHECK_SECONDS` (one small query), so routing costs no query per request.
  Otherwise the request reads from the primary.
"""

import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import reverse

from newsroom import pagecache

logger = logging.getLogger(__name__)

PRIMARY = "default"
PIN_COOKIE = "nr_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

OK, BEHIND, DOWN = "ok", "behind", "down"


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    state: str  # OK, BEHIND or DOWN
    lag: float | None  # seconds behind the primary, when known
    checked_at: float  # time.monotonic() of the check


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


# ----- How far behind each replica is (per process, refreshed every few seconds) --------

# A replica is caught up when it has replayed all it received; otherwise it is as far
# behind as the last transaction it replayed is old. (On an idle primary nothing new
# arrives, so the replay timestamp ages while the replica is fully caught up.)
LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
           END
"""

_states: dict[str, ReplicaState] = {}
_states_lock = threading.Lock()


def measure(alias: str) -> ReplicaState:
    """Ask one replica how far behind it is (one query), whatever the cache holds."""
    now = time.monotonic()
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError:
        # Logged for the operators; callers and /healthz say only "down".
        logger.warning("Replica %s does not answer", alias, exc_info=True)
        connection.close()
        return ReplicaState(alias, DOWN, None, now)
    if not in_recovery:
        # A promoted (or mistaken) server no longer follows the primary: its rows drift.
        logger.warning("Replica %s is not in recovery: not reading from it", alias)
        return ReplicaState(alias, DOWN, None, now)
    lag = None if lag is None else max(float(lag), 0.0)
    if lag is None or lag > settings.REPLICA_MAX_LAG_SECONDS:
        return ReplicaState(alias, BEHIND, lag, now)
    return ReplicaState(alias, OK, lag, now)


def states() -> list[ReplicaState]:
    """Every replica's state, measured at most every REPLICA_CHECK_SECONDS per process."""
    found = []
    for alias in replica_aliases():
        with _states_lock:
            known = _states.get(alias)
        if known is None or time.monotonic() - known.checked_at >= settings.REPLICA_CHECK_SECONDS:
            known = measure(alias)
            with _states_lock:
                _states[alias] = known
        found.append(known)
    return found


def forget_states() -> None:
    """Measure every replica afresh on next use (after the settings changed, in tests)."""
    with _states_lock:
        _states.clear()


# ----- Which alias a request reads from --------------------------------------------------


@dataclass
class _Request:
    may_use_replica: bool
    alias: str | None = None  # chosen at the first read, then kept for the whole request


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "newsroom_replica_request", default=None
)


def pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0.0


def may_use_replica(request) -> bool:
    """Whether this request may read from a replica at all: a reader's safe request."""
    return (
        bool(replica_aliases())
        and request.method in SAFE_METHODS
        and not request.path.startswith(reverse("admin:index"))
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and pinned_until(request) <= time.time()
    )


def _recently_changed() -> bool:
    """Whether cached pages were retired less than REPLICA_PIN_SECONDS ago: a replica
    might still show the rows from before that change."""
    if not pagecache.enabled():
        return False  # nothing rendered now is kept: a page is as fresh as its replica
    changed = pagecache.last_change()
    return changed is not None and time.time() - changed < settings.REPLICA_PIN_SECONDS


def _choose() -> str:
    if _recently_changed():
        return PRIMARY
    healthy = [s.alias for s in states() if s.state == OK]
    # Spread readers over the healthy replicas; one request stays on the one it got.
    return random.choice(healthy) if healthy else PRIMARY


def _in_transaction() -> bool:
    # The blocks a test case opens around each test are not the code's own (Django's
    # durable-atomic check tells them apart the same way).
    return any(
        not getattr(block, "_from_testcase", False) for block in connections[PRIMARY].atomic_blocks
    )


def read_alias() -> str:
    """The alias the current request's next read goes to (the primary outside requests)."""
    current = _current.get()
    if current is None or not current.may_use_replica:
        return PRIMARY
    if _in_transaction():
        return PRIMARY  # a transaction reads what it wrote
    if current.alias is None:
        current.alias = _choose()
    return current.alias


class ReplicaRouter:
    """Public reads to a replica when `read_alias` allows it; everything else to the
    primary. Migrations (and so the test database) never run on a replica."""

    def db_for_read(self, model, **hints):
        if not replica_aliases():
            return None  # no replicas: Django's own choice, as if there were no router
        return read_alias()

    def db_for_write(self, model, **hints):
        current = _current.get()
        if current is not None:
            # The rest of this request reads what it wrote.
            current.may_use_replica = False
            current.alias = None
        # Never where the instance was read from, which may be a replica.
        return PRIMARY if replica_aliases() else None

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: an object read from one may be related to an
        # object read from another.
        ours = {PRIMARY, *replica_aliases()}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Not on a replica (read-only, and it receives the primary's schema by replication).
        # Other aliases are left to Django and any other router.
        if db in replica_aliases():
            return False
        return None


class ReplicaRoutingMiddleware:
    """Decides once per request whether its reads may go to a replica, and pins a browser
    to the primary for REPLICA_PIN_SECONDS after each of its unsafe requests. Sits before
    the page cache, so the pages it renders on a miss are routed too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_Request(may_use_replica=may_use_replica(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method not in SAFE_METHODS and replica_aliases():
            pin_seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time() + pin_seconds)),
                max_age=pin_seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
