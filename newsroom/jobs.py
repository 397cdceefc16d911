"""Background jobs: the little the task queue does not do itself, in one place.

The queue is django-tasks (the API Django 6.0 ships as `django.tasks`) with django-tasks-db:
jobs are rows of the project's own database, and `manage.py run_worker` runs them (docs/
tasks.md). django-tasks-db runs each job once and records how it ended. This module adds:

- `job`: declares a job. A job that raises is tried again after a wait that doubles each
  time (TASKS_RETRY_SECONDS, then twice that, ...), as a new queue entry carrying the
  attempt number; after TASKS_MAX_ATTEMPTS the last entry stays FAILED with its error.
  Jobs must be idempotent: a retry, or a job run again after its worker died, finds the
  work done and changes nothing more.
- `enqueue_on_commit`: a job asked for inside a transaction is queued with it, so it runs
  only once the change it works on is committed, and never if that is rolled back.
- `Worker`: django-tasks-db's worker with a heartbeat (a `WorkerHeartbeat` row written
  every TASKS_HEARTBEAT_SECONDS, naming the job it runs) and recovery: a job left RUNNING
  by a worker not heard from for TASKS_WORKER_STALE_SECONDS is put back on the queue, so
  the job of a killed worker runs again.

Jobs themselves live beside their domain (`articles/jobs.py`) and call its functions.
"""

import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from newsroom.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# The keyword argument that carries a job's attempt number (1 for the first).
ATTEMPT = "job_attempt"
MAX_RETRY_DELAY = timedelta(hours=1)
# Finished jobs are kept this long for the admin, then pruned by the workers (at start,
# then every PRUNE_EVERY_SECONDS), so the queue's table stays small.
KEEP_FINISHED = timedelta(days=14)
PRUNE_EVERY_SECONDS = 600


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, ...)."""
    seconds = settings.TASKS_RETRY_SECONDS * 2 ** (attempt - 1)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def job(
    func: Callable | None = None, *, max_attempts: int | None = None, priority: int = 0
) -> Task | Callable[[Callable], Task]:
    """Declare a background job (a django-tasks `Task`) that is retried when it raises.

    `max_attempts` defaults to TASKS_MAX_ATTEMPTS. Call it with `enqueue_on_commit(...)`,
    or directly (`my_job.call(...)`) to do the work in this process.
    """

    def declare(func: Callable) -> Task:
        @functools.wraps(func)
        def run(*args, job_attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                limit = max_attempts or settings.TASKS_MAX_ATTEMPTS
                if job_attempt < limit:
                    _retry(declared, args, kwargs, attempt=job_attempt, limit=limit, error=error)
                else:
                    logger.error(
                        "job %s gave up after %d attempts: %s",
                        declared.name,
                        job_attempt,
                        _describe(error),
                    )
                raise  # this attempt's entry is FAILED, with its error and traceback

        declared = task(run, priority=priority)
        return declared

    return declare(func) if func is not None else declare


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _retry(declared: Task, args, kwargs, *, attempt: int, limit: int, error) -> None:
    delay = retry_delay(attempt)
    retry = declared
    # A backend that runs jobs at once (tests) cannot wait: it retries straight away.
    if declared.get_backend().supports_defer:
        retry = declared.using(run_after=timezone.now() + delay)
    logger.warning(
        "job %s attempt %d of %d failed (%s); trying again in %ss",
        declared.name,
        attempt,
        limit,
        _describe(error),
        int(delay.total_seconds()) if retry is not declared else 0,
    )
    retry.enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})


def enqueue_on_commit(declared: Task, *args, **kwargs) -> None:
    """Queue a job to run once the current transaction commits (at once outside one).

    With the database queue the entry is written inside the transaction itself: it
    commits with the change it is about, or neither does, and no worker can see it
    before. Any other backend is asked after the commit.
    """
    queue_in_transaction = transaction.get_connection(DBTaskResult.objects.db).in_atomic_block
    if isinstance(declared.get_backend(), DatabaseBackend) and queue_in_transaction:
        declared.enqueue(*args, **kwargs)
        return
    transaction.on_commit(lambda: declared.enqueue(*args, **kwargs))


# -- heartbeats and recovery ----------------------------------------------------------------


def stale_before():
    return timezone.now() - timedelta(seconds=settings.TASKS_WORKER_STALE_SECONDS)


def live_workers():
    """Workers heard from recently enough to be taken for alive, the latest first."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=stale_before())


def requeue_orphans() -> list[str]:
    """Put back on the queue the jobs left RUNNING by workers that are no longer heard
    from; returns their ids.

    A job counts as orphaned when it started before the stale limit and no live worker's
    heartbeat names it. The UPDATE repeats both conditions, so a job another worker has
    just claimed again (a fresh start time) is never taken from it.
    """
    cutoff = stale_before()
    running_elsewhere = live_workers().filter(task_id__isnull=False).values("task_id")
    orphans = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .exclude(id__in=running_elsewhere)
        .order_by()
    )
    ids = list(orphans.values_list("id", flat=True)[:100])
    if not ids:
        return []
    DBTaskResult.objects.filter(
        id__in=ids, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    for task_id in ids:
        logger.warning("job %s was left running by a worker that died; queued again", task_id)
    return [str(task_id) for task_id in ids]


def prune() -> None:
    """Forget heartbeats of long-gone workers and jobs finished long ago (bounded)."""
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - KEEP_FINISHED).delete()
    old = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=timezone.now() - KEEP_FINISHED)
        .order_by()
        .values_list("id", flat=True)[:500]
    )
    DBTaskResult.objects.filter(id__in=list(old)).delete()


class Worker(db_worker.Worker):
    """django-tasks-db's worker, with a heartbeat, recovery of dead workers' jobs, and a
    log line when each job starts and ends."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.current_task_id = None
        self._stopped = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
                "task_id": self.current_task_id,
            },
        )

    def _keep_beating(self) -> None:
        """The heartbeat thread: beats, looks for orphans and prunes, while jobs run."""
        pruned = time.monotonic()
        try:
            while not self._stopped.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                    requeue_orphans()
                    if time.monotonic() - pruned > PRUNE_EVERY_SECONDS:
                        prune()
                        pruned = time.monotonic()
                except Exception:  # a database hiccup must not stop the heartbeat
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
                close_old_connections()
        finally:
            connections.close_all()  # this thread's own connections

    def run(self) -> None:
        self.beat()
        requeue_orphans()
        prune()
        heart = threading.Thread(target=self._keep_beating, name="heartbeat", daemon=True)
        heart.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            heart.join(timeout=settings.TASKS_HEARTBEAT_SECONDS + 5)
            # A worker that stops cleanly says so: it is not waited for as a dead one.
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task_id = db_task_result.id
        self.beat()  # name the job now, before the heartbeat thread's next beat
        attempt = db_task_result.args_kwargs.get("kwargs", {}).get(ATTEMPT, 1)
        name = db_task_result.task_name
        logger.info("job %s %s started (attempt %d)", name, db_task_result.id, attempt)
        began = time.monotonic()
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task_id = None
        took = time.monotonic() - began
        if db_task_result.status == TaskResultStatus.SUCCESSFUL:
            logger.info("job %s %s done in %.2fs", name, db_task_result.id, took)
        else:
            error = db_task_result.traceback.strip().splitlines()[-1:] or ["?"]
            logger.warning(
                "job %s %s failed after %.2fs: %s", name, db_task_result.id, took, error[0]
            )
