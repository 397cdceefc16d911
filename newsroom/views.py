"""Project-wide views: health check and media serving for single-machine installs."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve

from newsroom import replicas

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not; with read replicas,
    each one's state (ok, behind with its lag, or down) as this process last measured it.

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
    answer = {"status": "ok", "database": "ok"}
    if replicas.replica_aliases():
        # Each replica by alias, never by address: public pages fall back to the primary
        # while one is down or behind, so the answer stays 200.
        answer["replicas"] = {
            state.alias: (
                {"state": state.state}
                if state.lag is None
                else {"state": state.state, "lag_seconds": round(state.lag, 1)}
            )
            for state in replicas.states()
        }
    return JsonResponse(answer)


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
