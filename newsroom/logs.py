"""Logs as one line per event on stdout: JSON objects in production, plain text in
development (`LOG_FORMAT`), every line of a request carrying its request id.

- `logging_config(log_format, level)` is the `LOGGING` setting (and gunicorn's, see
  deploy/gunicorn.conf.py), so the app, Django and gunicorn write the same kind of line.
- `RequestLogMiddleware` gives each request an id (the caller's `X-Request-ID` when it is
  a sane token, else a new one), returns it in the response's `X-Request-ID`, and logs
  one line per request: method, path, status, duration.
- `RequestIdFilter` stamps that id on every record logged while the request runs.

Nothing here logs headers, cookies or bodies; path segments the URL pattern calls a
token (preview links, password resets) are written as `[token]`, so a log reader cannot
open a draft.
"""

import contextvars
import logging
import re
import sys
import time
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming id may look like (a load balancer's or another service's); anything
# else (too long, spaces, control characters that would forge log lines) is replaced.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
REQUEST_LOGGER = "newsroom.request"

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "newsroom_request_id", default=None
)
logger = logging.getLogger(REQUEST_LOGGER)


def current_request_id() -> str | None:
    """The id of the request this code runs for (None outside a request)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is being answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class StdoutHandler(logging.StreamHandler):
    """A StreamHandler on whatever `sys.stdout` is when a record is written, not when the
    logging was configured (a test's captured stdout, a redirected one)."""

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value):
        pass  # always sys.stdout


class NewsroomJsonFormatter(JsonFormatter):
    """python-json-logger's formatter with the field names our lines use (time, level,
    logger, message, then the record's extra fields). Django's own loggers pass the
    request object (and runserver its socket) as `request`: it is left out, as a request
    holds cookies."""

    def __init__(self, **kwargs):
        super().__init__(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
            **kwargs,
        )


TEXT_FORMAT = "{asctime} {levelname} {name} [{request_id}] {message}"


def logging_config(log_format: str, level: str) -> dict:
    """The `LOGGING` dict: everything to stdout in `log_format` ("json" or "text"), at
    `level`, with one line per request at INFO whatever the level."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    formatters = {
        "json": {"()": "newsroom.logs.NewsroomJsonFormatter"},
        "text": {
            "()": "logging.Formatter",
            "fmt": TEXT_FORMAT,
            "style": "{",
            "defaults": {"request_id": "-"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "newsroom.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "stdout": {
                "()": "newsroom.logs.StdoutHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            REQUEST_LOGGER: {"level": "INFO"},
            # runserver's own line per request says what ours says, and so does
            # Django's warning for every 4xx (which would also write a preview link's
            # token); errors (5xx) it still logs, with their traceback.
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
        },
    }


def _incoming_id(request) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if REQUEST_ID_PATTERN.fullmatch(given):
        return given
    return uuid.uuid4().hex


def _logged_path(request) -> str:
    """The path without its query string, with segments the URL pattern names a token
    (`<str:token>`, `<uidb64>/<token>`) replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if ("token" in name or name == "uidb64") and isinstance(value, str) and value:
                path = path.replace(value, f"[{name}]")
    return path


class RequestLogMiddleware:
    """First in MIDDLEWARE: the id is set before anything else logs, the duration covers
    every other middleware, and a page answered from the cache is logged too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = _logged_path(request)
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                path,
                status,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            _request_id.reset(token)
