"""Errors as RFC 9457 problem details (`application/problem+json`): a 400 names each bad
parameter and says what is wrong with it; a 404 says what was not found. Nothing a caller
sends may end in a 500.
"""

import json
from http import HTTPStatus

from django.http import Http404, HttpResponse
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

MEDIA_TYPE = "application/problem+json"


class BadParameter(Exception):
    """A query or path parameter the API cannot use: answered with a 400 naming it."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


def problem(
    request, status: int, detail: str, invalid_params: list[dict] | None = None
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    if invalid_params:
        body["invalid-params"] = invalid_params
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )


def _parameter_name(location: list) -> str:
    """ninja reports where a value was as ("query", "limit") or ("path", "id")."""
    parts = [str(part) for part in location if part not in ("query", "path", "header")]
    return ".".join(parts) or "request"


def _reason(error: dict) -> str:
    message = error.get("msg", "is not valid")
    if error.get("type") == "missing":
        return "This parameter is required."
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def on_validation_error(request, exc: NinjaValidationError) -> HttpResponse:
    params = [
        {"name": _parameter_name(list(error.get("loc", []))), "reason": _reason(error)}
        for error in exc.errors
    ]
    names = ", ".join(dict.fromkeys(p["name"] for p in params))
    return problem(request, 400, f"Some parameters could not be used: {names}.", params)


def on_bad_parameter(request, exc: BadParameter) -> HttpResponse:
    return problem(
        request,
        400,
        f"The parameter {exc.name} could not be used.",
        [{"name": exc.name, "reason": exc.reason}],
    )


def on_not_found(request, exc: Http404) -> HttpResponse:
    detail = str(exc) or "There is nothing at this address."
    return problem(request, 404, detail)


def on_http_error(request, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc))


def install(api) -> None:
    """Answer every error `api` raises as problem details."""
    api.add_exception_handler(NinjaValidationError, on_validation_error)
    api.add_exception_handler(BadParameter, on_bad_parameter)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
