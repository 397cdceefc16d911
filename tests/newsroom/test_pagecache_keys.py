"""The page cache's keys, versions and limits (newsroom/pagecache.py): which requests share
a cached page, how long tag versions and the last-change time live in the cache, what an
invalidation inside a transaction does at commit, the hard expiry a view sets, which
responses are kept, and that a kept page leaves the cache when it expires.

Through the test client on the demo's public pages where a page shows it, else through the
middleware and `cache_page` around a small view of the test's own, with the real cache."""

import datetime
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_in_files")]

T = datetime.datetime(2031, 3, 4, 10, 0, tzinfo=datetime.UTC)


def cache():
    return caches[pagecache.CACHE_ALIAS]


def unique_tag() -> str:
    return f"test:{uuid.uuid4().hex}"


def status(response) -> str | None:
    return response.get(pagecache.HIT_HEADER)


@pytest.fixture
def story_url():
    return Article.objects.get(
        language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars"
    ).get_absolute_url()


class SmallView:
    """A view that opts in to the page cache, behind the real middleware; counts renders."""

    def __init__(self, render):
        self.renders = 0
        self.render = render

        def view(request):
            self.renders += 1
            return self.render(request)

        self.stack = pagecache.PageCacheMiddleware(pagecache.cache_page(view))

    def __call__(self, request):
        return self.stack(request)


# -- enabled ----------------------------------------------------------------------------


def test_the_cache_is_on_when_page_cache_is_not_set_at_all(client, settings, story_url):
    del settings.PAGE_CACHE
    assert pagecache.enabled() is True
    assert status(client.get(story_url)) == "miss"
    assert status(client.get(story_url)) == "hit"


# -- _page_key ----------------------------------------------------------------------------


def test_the_same_parameters_in_another_order_are_the_same_page(client):
    first = client.get("/articles/?lang=en&page=1")
    second = client.get("/articles/?page=1&lang=en")
    assert first.status_code == second.status_code == 200
    assert status(first) == "miss"
    assert status(second) == "hit"
    assert second.content == first.content


def test_a_request_without_a_query_string_shares_the_page_of_an_empty_one(client):
    """WSGI lets a server leave QUERY_STRING out when there is none (PEP 3333)."""
    environ = RequestFactory()._base_environ(PATH_INFO="/en/", REQUEST_METHOD="GET")
    assert "QUERY_STRING" not in environ
    bare = client.handler(environ)  # the test client's WSGI handler, given this environ
    assert "QUERY_STRING" not in bare.wsgi_request.META
    assert bare.status_code == 200 and status(bare) == "miss"
    response = client.get("/en/")
    assert status(response) == "hit"
    assert response.content == bare.content


# -- versions -----------------------------------------------------------------------------


def test_a_new_tag_gets_a_version_that_stays_until_it_is_bumped():
    tag, other = unique_tag(), unique_tag()
    found = pagecache.versions([tag, other])
    assert set(found) == {tag, other}
    assert all(isinstance(v, str) and len(v) == 32 for v in found.values())
    assert found[tag] != found[other]
    assert cache().get(f"tag:{tag}") == found[tag]
    assert pagecache.versions([tag]) == {tag: found[tag]}
    pagecache.invalidate(tag)
    bumped = pagecache.versions([tag, other])
    assert bumped[tag] != found[tag] and bumped[other] == found[other]


def test_a_version_nobody_bumps_is_dropped_after_a_week():
    tag = unique_tag()
    with time_machine.travel(T, tick=False):
        version = pagecache.versions([tag])[tag]
    with time_machine.travel(T + datetime.timedelta(seconds=pagecache.TAG_SECONDS - 1), tick=False):
        assert pagecache.versions([tag]) == {tag: version}
    with time_machine.travel(T + datetime.timedelta(seconds=pagecache.TAG_SECONDS + 1), tick=False):
        assert cache().get(f"tag:{tag}") is None
        renewed = pagecache.versions([tag])[tag]
    assert renewed != version


# -- _bump, last_change -------------------------------------------------------------------


def test_an_invalidation_is_remembered_for_a_week():
    tag = unique_tag()
    with time_machine.travel(T, tick=False):
        pagecache.invalidate(tag)
        version = pagecache.versions([tag])[tag]
        assert pagecache.last_change() == T.timestamp()
    with time_machine.travel(T + datetime.timedelta(seconds=pagecache.TAG_SECONDS - 1), tick=False):
        assert pagecache.last_change() == T.timestamp()
        assert pagecache.versions([tag]) == {tag: version}
    with time_machine.travel(T + datetime.timedelta(seconds=pagecache.TAG_SECONDS + 1), tick=False):
        assert pagecache.last_change() is None
        assert cache().get(pagecache.CLOCK_KEY) is None
        assert pagecache.versions([tag])[tag] != version


# -- invalidate ---------------------------------------------------------------------------


def test_a_page_rendered_before_the_commit_is_retired_again_at_the_commit(
    client, story_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pagecache.invalidate(pagecache.SITE_TAG)
        assert status(client.get(story_url)) == "miss"  # may show rows not yet committed
        assert status(client.get(story_url)) == "hit"
    assert len(callbacks) >= 1
    assert status(client.get(story_url)) == "miss"
    assert status(client.get(story_url)) == "hit"


# -- expire_at ----------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["earlier first", "later first"])
def test_the_earliest_of_several_expiries_holds(order):
    early, late = T + datetime.timedelta(hours=1), T + datetime.timedelta(hours=2)
    moments = [early, late] if order == "earlier first" else [late, early]

    def render(request):
        for moment in moments:
            pagecache.expire_at(request, moment)
        return HttpResponse("a page with two limits")

    view, path = SmallView(render), f"/small/{uuid.uuid4().hex}/"
    with time_machine.travel(T, tick=False):
        assert status(view(RequestFactory().get(path))) == "miss"
    with time_machine.travel(early - datetime.timedelta(seconds=1), tick=False):
        assert status(view(RequestFactory().get(path))) == "hit"
    with time_machine.travel(early, tick=False):
        assert status(view(RequestFactory().get(path))) == "miss"
    assert view.renders == 2


def test_an_expiry_on_a_request_the_cache_does_not_keep_is_ignored(settings):
    def render(request):
        pagecache.expire_at(request, T)
        return HttpResponse("for staff")

    view = SmallView(render)
    cookie = f"{settings.SESSION_COOKIE_NAME}=abc"
    for _ in range(2):
        response = view(RequestFactory().get("/small/staff/", HTTP_COOKIE=cookie))
        assert response.status_code == 200 and status(response) is None
    assert view.renders == 2


# -- _eligible ----------------------------------------------------------------------------


def test_head_requests_are_answered_from_the_cache(client, story_url):
    assert status(client.head(story_url)) == "miss"
    response = client.head(story_url)
    assert response.status_code == 200 and status(response) == "hit"
    assert status(client.get(story_url)) == "hit"


# -- _storable ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "control", ["private", "no-store", "max-age=0, private", "no-cache, no-store"]
)
def test_a_response_that_says_private_or_no_store_is_not_kept(control):
    def render(request):
        response = HttpResponse("not for a shared cache")
        response["Cache-Control"] = control
        return response

    view, path = SmallView(render), f"/small/{uuid.uuid4().hex}/"
    for _ in range(2):
        response = view(RequestFactory().get(path))
        assert response["Cache-Control"] == control and status(response) is None
    assert view.renders == 2


def test_a_response_with_its_own_public_cache_control_is_kept():
    def render(request):
        response = HttpResponse("public")
        response["Cache-Control"] = "public, max-age=60"
        return response

    view, path = SmallView(render), f"/small/{uuid.uuid4().hex}/"
    assert status(view(RequestFactory().get(path))) == "miss"
    assert status(view(RequestFactory().get(path))) == "hit"
    assert view.renders == 1


# -- _store -------------------------------------------------------------------------------


def test_a_kept_page_leaves_the_cache_when_it_expires(client, story_url):
    with time_machine.travel(T, tick=False):
        response = client.get(story_url)
        assert status(response) == "miss"
        key = pagecache._page_key(response.wsgi_request)
        entry = cache().get(key)
        assert entry is not None and T.timestamp() < entry.expires <= T.timestamp() + 86400
    expires = datetime.datetime.fromtimestamp(entry.expires, datetime.UTC)
    with time_machine.travel(expires - datetime.timedelta(seconds=1), tick=False):
        assert cache().get(key) == entry
    with time_machine.travel(expires + datetime.timedelta(seconds=1), tick=False):
        assert cache().get(key) is None


def test_a_kept_page_remembers_the_clock_it_was_checked_against(client, story_url):
    response = client.get(story_url)
    assert status(response) == "miss"
    entry = cache().get(pagecache._page_key(response.wsgi_request))
    clock = cache().get(pagecache.CLOCK_KEY)
    assert clock is not None and entry.clock == clock
