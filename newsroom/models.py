"""The ground floor's one model: the heartbeats of the background workers (newsroom/jobs.py)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One running `manage.py run_worker`: who it is, when it was last heard from, and
    the job it is running. A worker that is not heard from for TASKS_WORKER_STALE_SECONDS
    is taken for dead, and its job is put back on the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    task_id = models.UUIDField(null=True, blank=True, help_text="The job it is running.")

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = "worker"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"
