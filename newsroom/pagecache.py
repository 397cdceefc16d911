"""The readers' page cache: whole responses of public pages, feeds and sitemaps, answered
from the cache with no database query, and refreshed the moment what they show changes.

How it stays precise:

- A view opts in (`cache_page`) and names what its response shows as **tags**
  (`tag(request, "articles.article:12", "people.person:3", "list:en", …)`).
- Every tag has a **version** token in the cache. The stored response remembers the
  versions of its tags; a hit compares them with the current ones in one `get_many`.
- Changing something bumps its tags (`invalidate`): the next request for any page that
  showed it misses and renders afresh. Nothing else is touched, nothing is flushed.
- A response also carries a hard expiry (`expire_at`): a page that would include a
  scheduled article is never served past that article's publish time.

Never cached: anything but GET/HEAD, requests carrying a session cookie (staff), views that
did not opt in (admin, preview links), responses that set a cookie, are not 200, or say
`private`/`no-store`.

The cache is the `pages` alias (Redis when `REDIS_URL` is set, so every app server shares
it; files under var/ otherwise, shared by the workers of one machine). `PAGE_CACHE=0`
turns it off.
"""

import dataclasses
import hashlib
import time
import uuid
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

CACHE_ALIAS = "pages"
HIT_HEADER = "X-Page-Cache"
# A tag every page has: bumping it retires every cached page at once (a deploy, a
# settings change, the start of a test).
SITE_TAG = "site"
# Headers a cached copy keeps; the rest (Date, Set-Cookie, …) belong to one response.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Link",
    "X-Robots-Tag",
    "Vary",
    "Access-Control-Allow-Origin",
    # A page with a policy of its own (the API's docs page) keeps it.
    "Content-Security-Policy",
)


@dataclass(frozen=True)
class Entry:
    headers: tuple[tuple[str, str], ...]
    content: bytes
    tags: dict[str, str]  # tag -> the version it had when the page was rendered
    expires: float  # epoch seconds
    clock: str | None = None  # the invalidation clock when its tags were last checked


def _cache():
    return caches[CACHE_ALIAS]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", True)


def _tag_key(tag: str) -> str:
    return f"tag:{tag}"


def _page_key(request) -> str:
    """One entry per path and query (parameters in a fixed order) and method family."""
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"page:{digest}"


def _current_versions(tags) -> dict[str, str | None]:
    found = _cache().get_many([_tag_key(t) for t in tags])
    return {t: found.get(_tag_key(t)) for t in tags}


# A version nobody has asked for in a week is dropped; pages that named it simply render
# afresh once (a missing version never matches).
TAG_SECONDS = 7 * 24 * 3600


def versions(tags) -> dict[str, str]:
    """The current version of each of `tags`, creating those that have none yet: one
    `get_many` when they all exist. Equal versions mean nothing they stand for changed."""
    found = _current_versions(tags)
    missing = {t: uuid.uuid4().hex for t, v in found.items() if v is None}
    if missing:
        # add(), not set(): if another process created the version meanwhile, theirs
        # stands; read back what is there.
        for t, v in missing.items():
            _cache().add(_tag_key(t), v, timeout=TAG_SECONDS)
        found.update(_current_versions(missing))
    return found


# Moves on with every invalidation. While it stands still nothing has changed anywhere,
# so a hit need not look at its tags: one read for the page and the clock together.
CLOCK_KEY = "clock"


# When pages were last retired (epoch seconds): for a while after that, pages render from
# the primary, not a replica that may not have the change yet (newsroom/replicas.py).
CHANGED_AT_KEY = "changed-at"


def _bump(tags) -> None:
    _cache().set_many(
        {
            **{_tag_key(t): uuid.uuid4().hex for t in tags},
            CLOCK_KEY: uuid.uuid4().hex,
            CHANGED_AT_KEY: time.time(),
        },
        timeout=TAG_SECONDS,
    )


def last_change() -> float | None:
    """When cached pages were last retired (epoch seconds), if in the last week."""
    return _cache().get(CHANGED_AT_KEY)


def invalidate(*tags: str) -> None:
    """Whatever shows any of `tags` renders afresh on its next request.

    Bumped now and again when the transaction commits: a reader's request that ran in
    between saw the old rows and may have stored them under the first new version.
    """
    tags = set(tags)
    if not tags:
        return
    _bump(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(tags))


def public_cache_control(response) -> None:
    """What browsers and a CDN may keep of a public answer (the PAGE_CACHE_* settings)."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )


def tag(request, *tags: str) -> None:
    """Say that this request's response shows what `tags` name."""
    found = getattr(request, "_page_cache_tags", None)
    if found is not None:
        found.update(t for t in tags if t)


def expire_at(request, moment) -> None:
    """The response must not be served from the cache at or after `moment` (an aware
    datetime, or None for no limit)."""
    if moment is not None and getattr(request, "_page_cache_tags", None) is not None:
        limit = moment.timestamp()
        request._page_cache_expires = min(getattr(request, "_page_cache_expires", limit), limit)


def cache_page(view):
    """Let the page cache keep this view's responses (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _eligible(request):
            request._page_cache_tags = {SITE_TAG}
        return view(request, *args, **kwargs)

    return wrapper


def _eligible(request) -> bool:
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _storable(response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


def _not_modified(request, entry: Entry) -> bool:
    headers = dict(entry.headers)
    etag = headers.get("ETag")
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if etag and if_none_match:
        return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match == "*"
    modified = headers.get("Last-Modified")
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    last = parse_http_date_safe(modified) if modified else None
    return since is not None and last is not None and last <= since


def _from_entry(request, entry: Entry) -> HttpResponse:
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
        for name, value in entry.headers:
            if name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                response[name] = value
    else:
        response = HttpResponse(entry.content)
        for name, value in entry.headers:
            response[name] = value
    response[HIT_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Answers from the page cache before anything else runs (no session, no user, no
    query), and stores the responses of views that opted in. Place it before the session
    middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = _page_key(request)
        found = _cache().get_many([key, CLOCK_KEY])
        entry, clock = found.get(key), found.get(CLOCK_KEY)
        if entry is not None and self._fresh(key, entry, clock):
            return _from_entry(request, entry)
        response = self.get_response(request)
        tags = getattr(request, "_page_cache_tags", None)
        if tags is not None and _storable(response):
            self._store(request, key, response, tags)
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def _fresh(key: str, entry: Entry, clock: str | None) -> bool:
        if time.time() >= entry.expires:
            return False
        if clock is not None and entry.clock == clock:
            return True  # nothing was invalidated since its tags were last checked
        if _current_versions(entry.tags) != entry.tags:
            return False
        # Still fresh: remember the clock read *before* the check, so an invalidation
        # that raced with it is still checked next time.
        timeout = int(entry.expires - time.time())
        if timeout > 0:
            _cache().set(key, dataclasses.replace(entry, clock=clock), timeout)
        return True

    @staticmethod
    def _store(request, key: str, response, tags: set[str]) -> None:
        clock = _cache().get(CLOCK_KEY)  # before the versions, as in _fresh
        if clock is None:
            _cache().add(CLOCK_KEY, uuid.uuid4().hex, timeout=TAG_SECONDS)
            clock = _cache().get(CLOCK_KEY)
        shown = versions(tags)
        if not response.has_header("ETag"):
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        if not response.has_header("Cache-Control"):  # feeds and sitemaps set their own
            public_cache_control(response)
        now = time.time()
        expires = min(getattr(request, "_page_cache_expires", now + 86400), now + 86400)
        timeout = int(expires - now)
        if timeout <= 0:
            return
        headers = tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h))
        _cache().set(key, Entry(headers, response.content, shown, expires, clock), timeout)
