"""The readers' page cache (newsroom/pagecache.py) word for word, through HTTP on the demo's
public pages with the real cache and the real clock (time_machine): the exact
Cache-Control a public page gets from the settings, the ETag and Last-Modified it is given
and keeps on every hit and every 304, conditional GETs with several ETags, `*` and
If-Modified-Since, an entry being stale at the very second it expires (and never kept past
it), the invalidation clock re-stamped after a check, and the clock created when the cache
has none."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core.cache import caches
from django.utils.http import http_date

from articles.models import Article
from newsroom import pagecache
from tests.newsroom.pagecache_urls import OWN_VALIDATORS_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_in_files")]

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def url():
    return Article.objects.get(
        language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars"
    ).get_absolute_url()


@pytest.fixture
def start():
    """A whole second close to now, so a day later is an exact moment."""
    now = datetime.datetime.now(datetime.UTC)
    return now.replace(microsecond=0)


def cache():
    return caches[pagecache.CACHE_ALIAS]


def entry_of(response) -> pagecache.Entry | None:
    return cache().get(pagecache._page_key(response.wsgi_request))


def fetch(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response


def page_cache(client, url) -> str:
    return fetch(client, url)["X-Page-Cache"]


# -- What a stored page says ------------------------------------------------------------


def test_a_public_page_says_exactly_what_browsers_and_a_cdn_may_keep(client, settings, url):
    settings.PAGE_CACHE_BROWSER_SECONDS = 7
    settings.PAGE_CACHE_SECONDS = 11
    settings.PAGE_CACHE_STALE_SECONDS = 13
    expected = "public, max-age=7, s-maxage=11, stale-while-revalidate=13"
    for page in ["/", "/en/", url]:
        first = fetch(client, page)
        assert first["X-Page-Cache"] == "miss"
        assert first["Cache-Control"] == expected, page
        again = fetch(client, page)
        assert again["X-Page-Cache"] == "hit"
        assert again["Cache-Control"] == expected, page


def test_a_page_gets_a_digest_etag_and_the_moment_it_was_rendered_and_keeps_them(
    client, url, start
):
    with time_machine.travel(start, tick=False):
        first = fetch(client, url)
    digest = hashlib.sha256(first.content).hexdigest()
    assert first["ETag"] == f'"{digest[:32]}"'
    assert first["Last-Modified"] == http_date(start.timestamp())
    with time_machine.travel(start + 5 * SECOND, tick=False):
        hit = fetch(client, url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == first.content
    for name in ["ETag", "Last-Modified", "Cache-Control", "Content-Type", "Content-Language"]:
        assert hit[name] == first[name], name


def test_a_view_that_chose_its_validators_and_vary_keeps_them(client, settings, start):
    settings.ROOT_URLCONF = "tests.newsroom.pagecache_urls"
    with time_machine.travel(start, tick=False):
        first = fetch(client, OWN_VALIDATORS_URL)
    assert first["X-Page-Cache"] == "miss"
    assert first["ETag"] == '"chosen-by-the-view"'
    assert first["Cache-Control"] == "public, max-age=5"
    assert first["Vary"] == "Accept-Encoding"
    assert first["Last-Modified"] == http_date(start.timestamp())
    hit = fetch(client, OWN_VALIDATORS_URL)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == b"The same words for every reader."
    not_modified = fetch(client, OWN_VALIDATORS_URL, 304, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified["X-Page-Cache"] == "hit"
    for response in (hit, not_modified):
        for name in ["ETag", "Last-Modified", "Cache-Control", "Vary"]:
            assert response[name] == first[name], name


# -- Conditional GETs answered from the cache -------------------------------------------


def test_a_304_carries_the_validators_cache_control_and_nothing_else(client, url):
    first = fetch(client, url)
    response = fetch(client, url, 304, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert response["Cache-Control"] == first["Cache-Control"]
    assert "Content-Language" not in response and "Vary" not in response


@pytest.mark.parametrize(
    "listed",
    [
        '{etag}, "something-else"',
        '"something-else",{etag}',
        '"a", {etag} , "b"',
        "{etag}",
        "*",
    ],
)
def test_if_none_match_naming_the_etag_among_others_or_a_star_is_a_304(client, url, listed):
    etag = fetch(client, url)["ETag"]
    fetch(client, url, 304, HTTP_IF_NONE_MATCH=listed.format(etag=etag))


@pytest.mark.parametrize("listed", ['"something-else"', '"a", "b"', "W/*", "**"])
def test_if_none_match_without_the_etag_gets_the_page(client, url, listed):
    first = fetch(client, url)
    response = fetch(client, url, 200, HTTP_IF_NONE_MATCH=listed)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content


def test_if_modified_since_is_a_304_from_the_moment_it_was_rendered(client, url, start):
    with time_machine.travel(start, tick=False):
        fetch(client, url)
    with time_machine.travel(start + 10 * SECOND, tick=False):
        for since, status in [
            (start - SECOND, 200),
            (start, 304),
            (start + SECOND, 304),
        ]:
            since = http_date(since.timestamp())
            response = fetch(client, url, status, HTTP_IF_MODIFIED_SINCE=since)
            assert response["X-Page-Cache"] == "hit"
            assert response["Last-Modified"] == http_date(start.timestamp())
        fetch(client, url, 200, HTTP_IF_MODIFIED_SINCE="not a date")


def test_if_none_match_decides_before_if_modified_since(client, url):
    first = fetch(client, url)
    fetch(
        client,
        url,
        200,
        HTTP_IF_NONE_MATCH='"something-else"',
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )


# -- How long an entry lives -------------------------------------------------------------


def assert_kept_one_day(client, url, start):
    """Rendered at `start`, the page is a hit until a day later, and stale at that second."""
    with time_machine.travel(start, tick=False):
        assert page_cache(client, url) == "miss"
        assert page_cache(client, url) == "hit"
    with time_machine.travel(start + DAY - SECOND, tick=False):
        assert page_cache(client, url) == "hit"
    with time_machine.travel(start + DAY, tick=False):
        assert page_cache(client, url) == "miss"


def test_a_page_is_kept_one_day_at_most_and_is_stale_at_that_very_second(client, url, start):
    """The demo's next scheduled article is days ahead: the day's limit is what counts."""
    assert Article.objects.scheduled().get().published_at > start + 2 * DAY
    assert_kept_one_day(client, url, start)


def test_with_nothing_scheduled_a_page_is_kept_one_day(client, url):
    scheduled = Article.objects.scheduled().get()
    after = scheduled.published_at.replace(microsecond=0) + 2 * SECOND
    with time_machine.travel(after, tick=False):
        assert not Article.objects.scheduled().exists()
    assert_kept_one_day(client, url, after)


def test_a_page_rendered_a_second_and_a_half_before_a_publish_is_kept_until_then(client):
    scheduled = Article.objects.scheduled().get(language="nl")
    with time_machine.travel(scheduled.published_at - 1.5 * SECOND, tick=False):
        assert page_cache(client, "/nl/") == "miss"
        assert page_cache(client, "/nl/") == "hit"
    with time_machine.travel(scheduled.published_at, tick=False):
        assert page_cache(client, "/nl/") == "miss"


def test_a_page_leaves_the_cache_when_it_expires(client, url, start):
    with time_machine.travel(start, tick=False):
        first = fetch(client, url)
        assert entry_of(first).expires == (start + DAY).timestamp()
    with time_machine.travel(start + DAY + SECOND, tick=False):
        assert entry_of(first) is None


# -- The invalidation clock ---------------------------------------------------------------


def test_a_check_after_an_invalidation_restamps_the_clock_and_keeps_the_expiry(client, url, start):
    with time_machine.travel(start, tick=False):
        first = fetch(client, url)
    with time_machine.travel(start + DAY - 1.5 * SECOND, tick=False):
        pagecache.invalidate("people.person:999999")  # something the page does not show
        clock = cache().get(pagecache.CLOCK_KEY)
        assert entry_of(first).clock != clock
        assert page_cache(client, url) == "hit"
        entry = entry_of(first)
        assert entry.clock == clock
        assert entry.expires == (start + DAY).timestamp()
    with time_machine.travel(start + DAY + SECOND, tick=False):
        assert entry_of(first) is None  # re-stamped, it still leaves when it expires


def test_with_less_than_a_second_left_a_checked_page_is_left_as_it_was(client, url, start):
    with time_machine.travel(start, tick=False):
        first = fetch(client, url)
        stored_clock = entry_of(first).clock
    with time_machine.travel(start + DAY - 0.5 * SECOND, tick=False):
        pagecache.invalidate("people.person:999999")
        assert page_cache(client, url) == "hit"
        assert entry_of(first).clock == stored_clock  # not stored again with no time left
        assert page_cache(client, url) == "hit"


def test_while_the_clock_stands_still_a_hit_does_not_look_at_its_tags(client, url):
    """A tag's version dropped from the cache (after a week unasked) is not a change: the
    page is served until the clock moves, then renders afresh once."""
    fetch(client, url)
    cache().delete(pagecache._tag_key(pagecache.SITE_TAG))
    assert page_cache(client, url) == "hit"
    pagecache.invalidate("people.person:999999")
    assert page_cache(client, url) == "miss"
    assert page_cache(client, url) == "hit"


def test_the_clock_is_created_when_the_cache_has_none(client, url, start):
    cache().clear()
    with time_machine.travel(start, tick=False):
        first = fetch(client, url)
        assert first["X-Page-Cache"] == "miss"
        clock = cache().get(pagecache.CLOCK_KEY)
        assert re.fullmatch("[0-9a-f]{32}", clock)
        assert entry_of(first).clock == clock
        assert page_cache(client, url) == "hit"
        assert cache().get(pagecache.CLOCK_KEY) == clock
    with time_machine.travel(start + pagecache.TAG_SECONDS * SECOND + SECOND, tick=False):
        assert cache().get(pagecache.CLOCK_KEY) is None  # it lasts a week, like a tag


# Mutants of newsroom/pagecache.py no test can kill (no behaviour differs):
# - header-name case in `response.has_header(...)` / `response["etag"] = ...` (_store): Django's
#   response headers are case-insensitive, and the stored copy takes its names from
#   KEPT_HEADERS whatever case the response used;
# - the If-Modified-Since default ("" / None / "XXXX") and `if modified or True`
#   (_not_modified): parse_http_date_safe gives None for all of them, and every stored
#   entry has a Last-Modified;
# - `clock = None` / `get(None)` before the `if clock is None` (_store): the add() that
#   follows does nothing when the clock exists, and the clock is read back;
# - the default `now + 86401` (_store): the min() with `now + 86400` wins anyway;
# - `timeout < 0` (_store): a timeout of 0 stores an entry already expired, in place of
#   one that was stale and could never be fresh again.
