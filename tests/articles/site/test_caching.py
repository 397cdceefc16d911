"""The readers' page cache (newsroom/pagecache.py, articles/site/caching.py), through HTTP:
a hit costs no query, and every change a reader should see shows on the next request."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.desk import preview
from articles.models import Article, Section
from people.models import Person
from tests.editorial import bring_to, later, make_draft

pytestmark = pytest.mark.django_db

# The news sitemap: it lists every story of the last two days, so a new one is on it
# whatever its id (article sitemap pages are ranges of ids).
CACHED_PAGES = ["/en/", "/articles/", "/feeds/en/rss.xml", "/sitemap-news.xml"]


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return response


def warm(client, *urls):
    """Fetch each page until the cache holds it; return the cached copies."""
    for url in urls:
        get(client, url)
    return {url: get(client, url) for url in urls}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def story():
    return Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")


def test_a_hit_runs_no_query_and_says_so(client, story):
    url = story.get_absolute_url()
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url)
    assert len(queries) == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Language"] == "en"
    assert "s-maxage" in second["Cache-Control"]


@pytest.mark.parametrize("url", ["/en/", "/articles/", "/sitemap.xml", "/feeds/en/atom.xml"])
def test_lists_feeds_and_sitemaps_are_served_from_the_cache(client, url):
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert get(client, url)["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_a_conditional_get_is_answered_from_the_cache(client, story):
    url = story.get_absolute_url()
    etag = get(client, url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and len(queries) == 0


def test_publishing_shows_on_every_cached_list_at_once(client, users):
    draft = make_draft(users["editor"], title="Xiaomi ships a cached headline")
    bring_to(draft, "approved", by=users["admin"])
    before = warm(client, *CACHED_PAGES)
    for url, response in before.items():
        assert response["X-Page-Cache"] == "hit", url
        assert "cached headline" not in text(response) and draft.slug not in text(response)

    workflow.publish(draft, user=users["editor"])

    for url in CACHED_PAGES:
        after = get(client, url)
        assert after["X-Page-Cache"] == "miss", url
        assert "cached headline" in text(after) or draft.slug in text(after), url
    assert get(client, draft.get_absolute_url()).status_code == 200


def test_unpublishing_takes_it_off_every_cached_page(client, users, story):
    pages = [story.get_absolute_url(), "/en/", "/feeds/en/rss.xml"]
    before = warm(client, *pages)
    assert story.get_absolute_url() in text(before["/en/"])
    workflow.unpublish(story, user=users["editor"])
    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.get_absolute_url() not in text(get(client, "/en/"))
    assert story.get_absolute_url() not in text(get(client, "/feeds/en/rss.xml"))


def test_editing_a_live_article_refreshes_its_page(client, story):
    url = story.get_absolute_url()
    warm(client, url)
    story.title = "Lei Jun hands over his roles, corrected"
    story.save()
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "corrected" in text(response)


def test_renaming_a_person_refreshes_their_page_and_the_articles_that_name_them(client):
    person = Person.objects.get(slug="zeng-xuezhong")
    article = Article.objects.published().filter(people=person, language="en").first()
    pages = [person.get_absolute_url(), article.get_absolute_url()]
    warm(client, *pages)
    person.name = "Zeng Xuezhong (renamed)"
    person.save()
    for url in pages:
        assert "(renamed)" in text(get(client, url)), url


def test_other_pages_stay_cached_when_something_unrelated_changes(client, story):
    other = Person.objects.get(slug="yingwei-fu")
    warm(client, story.get_absolute_url())
    assert not story.people.filter(pk=other.pk).exists()
    other.bio = "A new line about her."
    other.save()
    assert get(client, story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_scheduled_article_appears_on_its_second_on_cached_pages(client):
    scheduled = Article.objects.scheduled().get(language="nl")
    pages = ["/nl/", "/articles/?lang=nl", "/feeds/nl/rss.xml", "/sitemap-news.xml"]
    before = warm(client, *pages)
    for url, response in before.items():
        assert scheduled.get_absolute_url() not in text(response), url
    with time_machine.travel(scheduled.published_at - datetime.timedelta(seconds=1), tick=False):
        for url in pages:
            assert scheduled.get_absolute_url() not in text(get(client, url)), url
    with time_machine.travel(scheduled.published_at + datetime.timedelta(seconds=1), tick=False):
        for url in pages:
            assert scheduled.get_absolute_url() in text(get(client, url)), url
        assert get(client, scheduled.get_absolute_url()).status_code == 200


def test_staff_pages_are_never_cached_nor_served_to_readers(client, users, story):
    url = story.get_absolute_url()
    client.force_login(users["editor"])
    for _ in range(2):
        response = get(client, url)
        assert "X-Page-Cache" not in response
    client.logout()
    client.cookies.clear()
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_preview_links_are_never_cached(client, users):
    draft = make_draft(users["editor"], title="Preview only words")
    link = preview.create_link(draft, user=users["editor"])
    url = f"/preview/{preview.token_for(link)}/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
    preview.revoke_link(link, user=users["editor"])
    assert client.get(url).status_code == 404


def test_posts_and_errors_are_not_cached(client):
    assert client.post("/en/").status_code == 405  # public pages are read-only
    missing = client.get("/en/no-such-story/")
    assert missing.status_code == 404 and "X-Page-Cache" not in missing
    assert client.get("/en/no-such-story/").status_code == 404


def test_the_cache_can_be_switched_off(client, story, settings):
    settings.PAGE_CACHE = False
    url = story.get_absolute_url()
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url)
    assert "X-Page-Cache" not in response and len(queries) > 0


def test_a_scheduled_publish_far_ahead_does_not_shorten_unrelated_pages(client, users):
    """Scheduling retires the lists (they must learn the new moment) and nothing older."""
    draft = make_draft(users["editor"], title="Embargoed until next week")
    bring_to(draft, "approved", by=users["admin"])
    story_url = Article.objects.get(slug="manu-kumar-jain-leaves-xiaomi").get_absolute_url()
    warm(client, story_url, "/en/")
    workflow.schedule(draft, user=users["editor"], at=later(days=7))
    assert get(client, "/en/")["X-Page-Cache"] == "miss"
    assert "Embargoed" not in text(get(client, "/en/"))
    assert get(client, story_url)["X-Page-Cache"] == "hit"  # shows nothing that changed


def test_a_hit_reads_only_the_page_while_nothing_changes(client, story):
    """Between invalidations a hit does not look at its tags; after one it checks them
    once, and stays a hit if none of its own changed."""
    from django.core.cache import caches

    from newsroom import pagecache

    url = story.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    pagecache.invalidate("people.person:999999")  # something this page does not show
    entry = caches[pagecache.CACHE_ALIAS].get(pagecache._page_key(client.get(url).wsgi_request))
    assert entry.clock == caches[pagecache.CACHE_ALIAS].get(pagecache.CLOCK_KEY)
    assert get(client, url)["X-Page-Cache"] == "hit"


def test_purge_page_cache_retires_every_page(client, story):
    import io

    from django.core.management import call_command

    urls = [story.get_absolute_url(), "/en/", "/feeds/en/rss.xml"]
    warm(client, *urls)
    out = io.StringIO()
    call_command("purge_page_cache", stdout=out)
    assert "afresh" in out.getvalue()
    for url in urls:
        assert get(client, url)["X-Page-Cache"] == "miss", url


def test_publishing_a_translation_refreshes_the_other_versions_language_links(
    client, users, kingsoft
):
    from articles.translation import start_translation

    url = kingsoft.get_absolute_url()
    warm(client, url)
    draft = start_translation(kingsoft, language="tr", user=users["editor"])
    assert get(client, url)["X-Page-Cache"] == "hit"  # a draft shows nowhere yet
    published = bring_to(draft, "published", by=users["admin"])
    after = get(client, url)
    assert after["X-Page-Cache"] == "miss"
    assert published.get_absolute_url() in text(after)


def test_editing_a_quote_refreshes_the_pages_that_quote_it(client):
    article = Article.objects.published().filter(quotes__isnull=False).first()
    quote = article.quotes.first()
    warm(client, article.get_absolute_url())
    quote.text = "Words changed after the page was cached."
    quote.save()
    assert "Words changed after the page was cached." in text(
        get(client, article.get_absolute_url())
    )


def test_a_new_section_shows_in_the_navigation_of_every_cached_page(client, story):
    pages = [story.get_absolute_url(), "/en/"]
    warm(client, *pages)
    section = Section.objects.create(name="Robotics desk")
    for url in pages:
        assert "Robotics desk" in text(get(client, url)), url
    warm(client, *pages)
    section.delete()
    for url in pages:
        assert "Robotics desk" not in text(get(client, url)), url
