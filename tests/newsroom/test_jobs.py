"""The job queue (newsroom/jobs.py) with the database backend and real worker processes
(`manage.py run_worker`), on whichever database the suite runs on (SQLite or PostgreSQL).

The worker tests commit for real (transactional tests), since a worker in another process
sees only committed rows; the worker is pointed at this test process's own database.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles import renditions
from articles.models import Image
from newsroom import jobs
from newsroom.models import WorkerHeartbeat
from tests.articles.test_uploads import jpeg_bytes
from tests.newsroom import probe_jobs

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Short beats and waits, so a dead worker is noticed and a retry due within a second.
WORKER_SETTINGS = {
    "TASKS_HEARTBEAT_SECONDS": "0.2",
    "TASKS_WORKER_STALE_SECONDS": "1",
    "TASKS_RETRY_SECONDS": "0.3",
}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_RETRY_SECONDS = float(WORKER_SETTINGS["TASKS_RETRY_SECONDS"])


def test_database_url() -> str:
    """The URL of this process's test database, for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


test_database_url.__test__ = False  # a helper, not a test


def worker_env() -> dict:
    return {
        **os.environ,
        **WORKER_SETTINGS,
        "DATABASE_URL": test_database_url(),
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


def manage(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval=0.1", *args],
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, *, what: str, timeout: float = 60):
    """Poll until `condition()` is true (a bound on waiting, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def results(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at"))


def seen_from_another_connection(task) -> int:
    """How many entries of `task` another database connection sees (committed ones)."""
    found = []

    def look():
        try:
            found.append(DBTaskResult.objects.filter(task_path=task.module_path).count())
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return found[0]


# -- queued with the transaction ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_transaction_runs_only_after_commit_and_never_on_rollback(
    database_queue,
):
    task = probe_jobs.record_run
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_on_commit(task, "rolled-back")
        raise RuntimeError("the editor's save failed")
    assert results(task) == []

    with transaction.atomic():
        jobs.enqueue_on_commit(task, "committed")
        assert seen_from_another_connection(task) == 0  # no worker can take it yet
    assert seen_from_another_connection(task) == 1

    worker = manage("run_worker", "--batch", "--no-startup-delay")
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert probe_jobs.runs("committed") == 1
    assert probe_jobs.runs("rolled-back") == 0
    assert [r.status for r in results(task)] == [TaskResultStatus.SUCCESSFUL]


@pytest.mark.django_db
def test_with_the_immediate_backend_a_job_runs_at_commit_and_not_on_rollback(
    django_capture_on_commit_callbacks,
):
    task = probe_jobs.record_run
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.enqueue_on_commit(task, "rolled-back")
            raise RuntimeError("the editor's save failed")
        with transaction.atomic():
            jobs.enqueue_on_commit(task, "committed")
            assert probe_jobs.runs("committed") == 0
    assert probe_jobs.runs("committed") == 1
    assert probe_jobs.runs("rolled-back") == 0


# -- retries -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_with_backoff_then_left_failed_in_the_admin(
    database_queue, client, users
):
    probe_jobs.always_fails.enqueue("feed")
    worker = manage("run_worker", "--max-tasks=3", "--interval=0.1", "--no-startup-delay")
    assert worker.returncode == 0, worker.stdout + worker.stderr

    attempts = results(probe_jobs.always_fails)
    assert [r.args_kwargs["kwargs"].get(jobs.ATTEMPT, 1) for r in attempts] == [1, 2, 3]
    assert all(r.status == TaskResultStatus.FAILED for r in attempts)
    assert all("the wire service is down (feed)" in r.traceback for r in attempts)
    # Each retry waited twice as long as the one before: 0.3 s, then 0.6 s.
    for before, after, seconds in zip(attempts, attempts[1:], (0.3, 0.6), strict=False):
        assert (after.run_after - before.started_at).total_seconds() >= seconds
    assert "gave up after 3 attempts" in worker.stderr + worker.stdout

    client.force_login(users["editor"])
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    page = listing.content.decode()
    assert listing.status_code == 200
    assert page.count("RuntimeError: the wire service is down (feed)") == 3
    assert "Failed" in page


@pytest.mark.django_db
def test_the_retry_wait_doubles_up_to_an_hour(settings):
    settings.TASKS_RETRY_SECONDS = 10
    assert [jobs.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert jobs.retry_delay(20).total_seconds() == 3600


# -- a worker that dies --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_job_runs_again_and_completes_exactly_once(database_queue, tmp_path):
    gate = tmp_path / "gate"
    task = probe_jobs.record_run_when_gate_opens
    task.enqueue("killed", str(gate))

    first = start_worker()
    try:
        wait_for(
            lambda: DBTaskResult.objects.running().filter(task_path=task.module_path).exists(),
            what="the first worker to start the job",
        )
        alive = manage("worker_alive")
        assert alive.returncode == 0, alive.stdout
        assert alive.stdout.startswith("alive: 1 worker(s)")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert probe_jobs.runs("killed") == 0
    gate.touch()

    wait_for(lambda: manage("worker_alive").returncode == 1, what="the dead worker to go stale")
    second = start_worker("--max-tasks=1")
    try:
        assert second.wait(timeout=120) == 0, second.stdout.read()
    finally:
        if second.poll() is None:
            second.kill()

    (result,) = results(task)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(result.worker_ids) == 2  # the dead worker, then the one that finished it
    assert probe_jobs.runs("killed") == 1
    assert not WorkerHeartbeat.objects.filter(worker_id=result.worker_ids[1]).exists()


@pytest.mark.django_db
def test_a_job_is_not_taken_from_a_live_worker_or_one_just_started(settings):
    from django.utils import timezone

    settings.TASKS = DATABASE_QUEUE
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    held = probe_jobs.record_run.enqueue("held").db_result
    fresh = probe_jobs.record_run.enqueue("fresh").db_result
    orphan = probe_jobs.record_run.enqueue("orphan").db_result
    DBTaskResult.objects.filter(id__in=[held.id, orphan.id]).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago
    )
    DBTaskResult.objects.filter(id=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    WorkerHeartbeat.objects.create(
        worker_id="live", hostname="h", pid=1, started_at=long_ago, seen_at=timezone.now(),
        task_id=held.id,
    )  # fmt: skip
    assert jobs.requeue_orphans() == [str(orphan.id)]
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[orphan.id] == TaskResultStatus.READY
    assert statuses[held.id] == statuses[fresh.id] == TaskResultStatus.RUNNING


# -- renditions ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_image_gets_its_renditions_from_the_worker(database_queue, client, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("stage.jpg", jpeg_bytes((1600, 900))),
            "alt_text": "A stage",
            "caption": "",
            "credit": "Test",
        },
    )
    assert response.status_code == 302
    image = Image.objects.latest("pk")
    assert renditions.recorded(image) is None  # the save returned without making them
    listing = client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "not made yet" in listing

    worker = manage("run_worker", "--batch", "--no-startup-delay")
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert "make_image_renditions" in worker.stderr + worker.stdout

    image.refresh_from_db()
    made = renditions.recorded(image)
    assert made is not None and [r.width for r in made.webp] == [320, 640, 960, 1280]
    (result,) = DBTaskResult.objects.filter(args_kwargs__args=[image.pk, image.file.name])
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "made"


@pytest.mark.django_db
def test_finished_jobs_and_gone_workers_are_pruned_after_two_weeks(settings):
    from django.utils import timezone

    settings.TASKS = DATABASE_QUEUE
    old = timezone.now() - jobs.KEEP_FINISHED - timezone.timedelta(hours=1)
    done_long_ago = probe_jobs.record_run.enqueue("old").db_result
    done_lately = probe_jobs.record_run.enqueue("new").db_result
    waiting_long = probe_jobs.record_run.enqueue("waiting").db_result
    DBTaskResult.objects.filter(id=done_long_ago.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=old
    )
    DBTaskResult.objects.filter(id=done_lately.id).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )
    DBTaskResult.objects.filter(id=waiting_long.id).update(enqueued_at=old)
    WorkerHeartbeat.objects.create(
        worker_id="gone", hostname="h", pid=1, started_at=old, seen_at=old
    )
    jobs.prune()
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        done_lately.id,
        waiting_long.id,
    }
    assert not WorkerHeartbeat.objects.exists()
