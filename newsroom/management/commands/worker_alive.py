import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from newsroom import jobs
from newsroom.models import WorkerHeartbeat


class Command(BaseCommand):
    help = (
        "Liveness of the background workers: exits 0 when a worker (run_worker) has written "
        "its heartbeat within TASKS_WORKER_STALE_SECONDS, 1 otherwise; prints one line "
        "saying which."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        alive = jobs.live_workers().first()
        if alive is not None:
            ago = (now - alive.seen_at).total_seconds()
            count = jobs.live_workers().count()
            self.stdout.write(
                f"alive: {count} worker(s); latest heartbeat {ago:.0f}s ago from "
                f"{alive.hostname} pid {alive.pid}"
            )
            return
        last = WorkerHeartbeat.objects.first()
        since = (
            f"last heartbeat {(now - last.seen_at).total_seconds():.0f}s ago from "
            f"{last.hostname} pid {last.pid}"
            if last
            else "no heartbeat ever recorded"
        )
        limit = settings.TASKS_WORKER_STALE_SECONDS
        self.stdout.write(f"dead: no worker heartbeat within {limit:.0f}s ({since})")
        sys.exit(1)
