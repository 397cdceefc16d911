"""How API responses are cached and validated, by the readers' page cache, by a CDN and by
the caller.

Every operation runs inside `cached_operation`: the page cache (`newsroom.pagecache`) may
keep its 200s and answers a repeat with no query at all; the operation names what its
answer shows with `shows()` (the same tags the public pages use, so a save refreshes the
API exactly when it refreshes the page), and an answer that includes a scheduled article
expires at that article's publish time. Every 200 carries a strong `ETag` (a digest of the
body, so equal answers have equal tags whoever rendered them), `Last-Modified` (when this
answer was first given at this address) and a `Cache-Control` a CDN can follow; a
conditional GET that matches is a 304, from the page cache or, on a miss, once the answer
is rendered.
"""

import hashlib
from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from articles.site.caching import next_publish_time, object_tag, shown_objects
from articles.syndication.subjects import first_seen
from newsroom import pagecache

# A CDN may keep an error this long: a 404 for an article whose publish time has just come
# is not served much past it.
ERROR_SECONDS = 60


def shows(request, *things) -> None:
    """Say what this answer shows: model instances (and what they prefetched), or tags."""
    tags = [thing for thing in things if isinstance(thing, str)]
    objects = [thing for thing in things if not isinstance(thing, str)]
    pagecache.tag(request, *tags, *(object_tag(o) for o in shown_objects(objects)))


def entity_tag(content: bytes) -> str:
    """The same digest the page cache gives the pages it stores."""
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


def finish(request, response):
    """Validators and Cache-Control on an answer; a 304 when the caller has it already."""
    if response.status_code != 200:
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=0, s_maxage=ERROR_SECONDS)
        return response
    if getattr(request, "_page_cache_tags", None) is not None:
        # Only a cacheable answer needs the moment it stops being true; the query costs
        # nothing to a request the page cache will not keep.
        pagecache.expire_at(request, next_publish_time())
    etag = entity_tag(response.content)
    response["ETag"] = etag
    if not response.has_header("Last-Modified"):
        # When this server first gave this answer at this address (as feeds do): the
        # same answer rendered again keeps its date, so If-Modified-Since still matches.
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        response["Last-Modified"] = http_date(first_seen(f"api:{address}", etag).timestamp())
    pagecache.public_cache_control(response)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


def cached_operation(run):
    """Wrap a ninja operation's `run` (see the module docstring)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        return finish(request, run(request, *args, **kwargs))

    return pagecache.cache_page(wrapper)


def cached_view(view):
    """The same for a plain Django view (the schema and the docs page)."""
    return cached_operation(view)
