"""Jobs for the queue's own tests (tests/newsroom/test_jobs.py), importable by a real
worker process. Each leaves a row behind when it completes (an auth group named after
its key and a random suffix), so a test counts how many times it really ran."""

import time
import uuid
from pathlib import Path

from django.contrib.auth.models import Group

from newsroom.jobs import job


def runs(key: str) -> int:
    """How many times a probe job with this key has completed."""
    return Group.objects.filter(name__startswith=f"probe {key} ").count()


def _record(key: str) -> None:
    Group.objects.create(name=f"probe {key} {uuid.uuid4().hex[:12]}")


@job
def record_run(key: str) -> None:
    _record(key)


@job(max_attempts=3)
def always_fails(key: str) -> None:
    raise RuntimeError(f"the wire service is down ({key})")


@job
def record_run_when_gate_opens(key: str, gate: str) -> None:
    """Waits (at most a minute) for the file `gate` to exist, then records its run: a
    worker killed while it waits has recorded nothing."""
    deadline = time.monotonic() + 60
    while not Path(gate).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{gate} never appeared")
        time.sleep(0.05)
    _record(key)
