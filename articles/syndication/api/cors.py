"""Any web page may read the API: `Access-Control-Allow-Origin: *` on every answer under
/api/, and preflight OPTIONS requests answered here.

Written out rather than taken from django-cors-headers: that library answers with the
caller's own origin and `Vary: Origin`, so a CDN would keep a copy of each answer per
calling site. The API is public, read-only and sends no credentials, the one case where
a single `*` is right for everyone, and one copy serves every origin.
"""

from django.http import HttpResponse

PREFIX = "/api/"
ALLOWED_METHODS = "GET, OPTIONS"
# Headers a cross-origin caller may send: those for conditional GETs; the others it
# needs (Accept, Accept-Language) are always allowed.
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
# Headers a cross-origin caller may read besides the always-readable ones (Cache-Control,
# Content-Language, Content-Type, Last-Modified…).
EXPOSED_HEADERS = "ETag"
PREFLIGHT_SECONDS = 86400


class CorsMiddleware:
    """Place it outside the page cache, so answers from the cache carry the headers too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
