"""Project-wide views: health check and media serving for single-machine installs."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not.

    The answer is public (load balancers ask without signing in), so it says only that the
    database is unavailable; the error itself (hosts, paths, user names) goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def media(request, path: str):
    """Serve uploaded media when no external storage does (one machine, DEBUG on or off).

    Uploaded files never change in place (a new upload gets a new name), so they can be
    cached for a long time by browsers and a CDN.
    """
    if not settings.SERVE_MEDIA:
        raise Http404("Media is served by external storage.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
