"""A real S3-compatible server for the media storage tests: moto's server mode, over HTTP.

CI starts one (`.ci/run`) and gives its address in NEWSROOM_TEST_S3_ENDPOINT; without it
(a developer's `make test`) the test session starts its own on a free port and stops it at
the end. Either way the storage tests run; they never skip for want of a server, and fail
when the one they were given does not answer. Nothing here mocks S3 in the test process:
the app's storage and the tests' own client both talk HTTP to the server.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3

ENDPOINT_VARIABLE = "NEWSROOM_TEST_S3_ENDPOINT"
REGION = "us-east-1"
# moto takes any credentials; the app reads these from the environment, as in production.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test"}
ROOT = Path(__file__).resolve().parent.parent


def answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an S3 error is an answer
    except OSError:
        return False


def _wait(endpoint: str, seconds: float, process=None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(endpoint):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(log_dir: Path):
    """The endpoint of an S3-compatible server that answers: CI's, or one started here."""
    given = os.environ.get(ENDPOINT_VARIABLE, "").rstrip("/")
    if given:
        if not _wait(given, 15):
            raise RuntimeError(f"{ENDPOINT_VARIABLE}={given}: the S3 server does not answer")
        yield given
        return
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = log_dir / "moto-server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        if not _wait(endpoint, 60, process):
            raise RuntimeError(
                f"moto's S3 server did not start on {endpoint}:\n{log.read_text()[-2000:]}"
            )
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def settings_in_fresh_process(env: dict[str, str]) -> dict:
    """Media settings as newsroom/settings.py makes them from `env`, read in a new process
    (as a server starting with that environment would): the default storage, MEDIA_URL,
    SERVE_MEDIA, the CSP's img-src, whether the app routes media itself, and the URL the
    storage gives a picture."""
    code = (
        "import json\n"
        "import django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage\n"
        "from django.urls import get_resolver\n"
        "print(json.dumps({\n"
        "    'storage': settings.STORAGES['default'],\n"
        "    'media_url': settings.MEDIA_URL,\n"
        "    'serve_media': settings.SERVE_MEDIA,\n"
        "    'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],\n"
        "    'media_route': 'media' in get_resolver().reverse_dict,\n"
        "    'sample_url': default_storage.url('images/2026/12/Lei Jun.jpg'),\n"
        "}))\n"
    )
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in {"MEDIA_STORAGE_URL", "SERVE_MEDIA"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise ValueError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


class Bucket:
    """A bucket on the server, read with the tests' own boto3 client (not the app's)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.name = f"newsroom-test-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        self.client.create_bucket(Bucket=self.name)

    @property
    def storage_url(self) -> str:
        return f"s3://{self.name}?endpoint_url={self.endpoint}&region_name={REGION}"

    def keys(self, prefix: str = "") -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)

    def readable_by_anyone(self, key: str) -> bool:
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return any(
            grant["Grantee"].get("URI", "").endswith("/global/AllUsers")
            and grant["Permission"] in {"READ", "FULL_CONTROL"}
            for grant in grants
        )
