"""Where a form may send a person next: never off this site (no open redirects)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The address in the request's `next` (POST, then GET) when it stays on this site
    and scheme, else `default`. `https://evil.example/`, `//evil.example/` and
    `javascript:` all give `default`."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
