"""The public site's address: every absolute link (pages, feeds, sitemaps, JSON-LD, the API)
is built here from `settings.SITE_URL`, never from the Host header a request came with."""

from django.conf import settings


def absolute_url(url: str) -> str:
    """`url` on the public site; an absolute URL (a CDN's) is kept as it is."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url if url.startswith('/') else '/' + url}"
