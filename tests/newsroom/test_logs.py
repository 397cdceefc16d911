"""Structured logs (newsroom/logs.py): one JSON object per line on stdout, a request id
that round-trips, and no secrets in what is written."""

import json
import logging.config
import os
import queue
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from newsroom import logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_logs(capsys):
    """The production logging set-up (LOG_FORMAT=json, LOG_LEVEL=INFO) for one test;
    returns a function giving the lines written to stdout so far, parsed."""
    logging.config.dictConfig(logs.logging_config("json", "INFO"))
    capsys.readouterr()

    def lines():
        out = capsys.readouterr().out
        return out, [json.loads(line) for line in out.splitlines() if line.strip()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


def request_lines(parsed):
    return [line for line in parsed if line["logger"] == logs.REQUEST_LOGGER]


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_method_path_status_duration_and_id(client, json_logs):
    response = client.get("/healthz?probe=1", HTTP_X_REQUEST_ID="lb-7f3a.91")
    out, parsed = json_logs()
    assert response["X-Request-ID"] == "lb-7f3a.91"
    (line,) = request_lines(parsed)
    assert {"time", "level", "logger", "message"} <= line.keys()
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"  # no query string
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == "lb-7f3a.91"


@pytest.mark.django_db
def test_without_a_usable_incoming_id_the_request_gets_a_new_one(client, json_logs):
    plain = client.get("/healthz")
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')
    _, parsed = json_logs()
    ids = [line["request_id"] for line in request_lines(parsed)]
    assert ids == [plain["X-Request-ID"], forged["X-Request-ID"]]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and ids[0] != ids[1]


@pytest.mark.django_db
def test_lines_logged_during_a_request_carry_its_id(client, json_logs, django_db_blocker):
    from django.db import connections

    # The health check logs the database's error when it cannot reach it.
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent/folder/newsroom.sqlite3"
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-503")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    _, parsed = json_logs()
    assert response.status_code == 503
    error = next(line for line in parsed if line["logger"] == "newsroom.views")
    assert error["level"] == "ERROR" and error["request_id"] == "trace-503"
    assert "Traceback" in error["exc_info"]
    assert request_lines(parsed)[0]["status"] == 503


@pytest.mark.django_db
def test_no_password_cookie_or_preview_token_is_logged(client, json_logs):
    password = "Sup3r-secret-passw0rd"
    session = "s3ss10nc00k13value0123456789abcd"
    client.cookies["sessionid"] = session
    client.cookies["csrftoken"] = "csrfc00k13value0123456789abcdefgh"
    client.post(
        "/admin/login/",
        {"username": "editor", "password": password},
        HTTP_AUTHORIZATION="Basic ZWRpdG9yOnNlY3JldA==",
    )
    client.get("/preview/pr3v13w-t0k3n-value/")
    out, parsed = json_logs()
    # Every line is a JSON object (parsed above), the requests are there, the login
    # failure was logged (django-axes) ...
    paths = [line["path"] for line in request_lines(parsed)]
    assert paths == ["/admin/login/", "/preview/[token]/"]
    assert any(line["logger"].startswith("axes") for line in parsed)
    # ... and nothing secret was written.
    for secret in (password, session, "csrfc00k13value", "ZWRpdG9yOnNlY3JldA", "pr3v13w-t0k3n"):
        assert secret not in out


def test_log_format_is_json_without_debug_and_text_with_it():
    script = "from django.conf import settings; print(settings.LOG_FORMAT)"
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    secret = {"SECRET_KEY": "k" * 60}

    def log_format(**extra):
        result = subprocess.run(
            [sys.executable, "-c", script],
            env={**env, **extra},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert log_format(DEBUG="0", **secret) == "json"
    assert log_format(DEBUG="1") == "text"
    assert log_format(DEBUG="0", LOG_FORMAT="text", **secret) == "text"
    refused = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "LOG_FORMAT": "xml"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "LOG_FORMAT must be json or text" in refused.stderr


def test_gunicorn_in_production_mode_writes_only_json_lines_on_stdout(tmp_path):
    """The container's command (gunicorn with deploy/gunicorn.conf.py, DEBUG=0): its own
    lines and the app's are JSON objects on stdout, and the request id round-trips."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "LOG_FORMAT", "LOG_LEVEL")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="gunicorn-log-test-" + "k" * 50,
        NEWSROOM_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "newsroom.wsgi", "--config", "deploy/gunicorn.conf.py"]
    server = subprocess.Popen(
        [*command, "--bind", "127.0.0.1:0", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in server.stdout], daemon=True).start()
    seen = []

    def next_line():
        line = lines.get(timeout=60)
        seen.append(json.loads(line))  # every line on stdout is one JSON object
        return seen[-1]

    try:
        while "Listening at" not in (line := next_line())["message"]:
            pass
        address = re.search(r"http://[\d.]+:\d+", line["message"]).group(0)
        request = urllib.request.Request(
            f"{address}/healthz",
            headers={"X-Request-ID": "edge-42", "Cookie": "tracking=c00k13-n0t-logged"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"] == "edge-42"
        while (line := next_line())["logger"] != logs.REQUEST_LOGGER:
            pass
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert line["request_id"] == "edge-42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert any(entry["logger"] == "gunicorn.error" for entry in seen)
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in seen)
    assert not any("c00k13-n0t-logged" in json.dumps(entry) for entry in seen)
