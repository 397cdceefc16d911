"""Sitemaps, the Google News sitemap and robots.txt, read the way a crawler reads them."""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.generator import generate
from articles.models import Article, Storyline
from articles.site.sitemaps import SECTIONS, SiteSitemap
from people.models import Company, Person

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def fetch(client, url):
    path = urlsplit(url)
    response = client.get(path.path + (f"?{path.query}" if path.query else ""))
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)


def section_urls(client):
    _, index = fetch(client, "/sitemap.xml")
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def entries(client):
    """Every <url> of every section sitemap: {loc: (lastmod, {hreflang: href})}."""
    found = {}
    for section in section_urls(client):
        _, urlset = fetch(client, section)
        for url in urlset.findall("sm:url", NS):
            loc = url.find("sm:loc", NS).text
            assert loc not in found, f"{loc} listed twice"
            lastmod = url.find("sm:lastmod", NS)
            links = {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            }
            found[loc] = (lastmod.text if lastmod is not None else None, links)
    return found


def absolute(article):
    return SITE + article.get_absolute_url()


def test_the_index_points_at_every_section_with_absolute_urls_from_site_url(client):
    response, index = fetch(client, "/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    assert section_urls(client) == [
        f"{SITE}/sitemap-{section}.xml"
        for section in ("pages", "articles", "stories", "people", "companies")
    ]
    assert all(lastmod.text for lastmod in index.findall("sm:sitemap/sm:lastmod", NS)), (
        "every section says when it last changed"
    )


def test_urls_never_come_from_the_request_host(client):
    response = client.get("/sitemap-articles.xml", HTTP_HOST="127.0.0.1")
    assert b"127.0.0.1" not in response.content
    assert SITE.encode() in response.content


def test_every_listed_url_answers_200(client):
    listed = entries(client)
    assert len(listed) > 20
    for loc in listed:
        assert loc.startswith(SITE + "/")
        assert client.get(urlsplit(loc).path).status_code == 200, loc


def test_only_published_articles_are_listed(client):
    expected = {absolute(a) for a in Article.objects.published()}
    listed = entries(client)
    assert expected <= set(listed)
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.exists()
    for article in hidden:
        assert absolute(article) not in listed


def test_article_lastmod_is_the_later_of_publication_and_last_edit(client):
    listed = entries(client)
    for article in Article.objects.published():
        lastmod, _ = listed[absolute(article)]
        expected = max(article.published_at, article.updated_at)
        assert datetime.datetime.fromisoformat(lastmod) == expected


def test_hreflang_alternates_are_reciprocal_with_x_default(client):
    listed = entries(client)
    stories = Counter(a.translation_key for a in Article.objects.published())
    checked = 0
    for article in Article.objects.published():
        _, links = listed[absolute(article)]
        if stories[article.translation_key] == 1:
            assert links == {}
            continue
        versions = Article.objects.published().filter(translation_key=article.translation_key)
        assert {k: v for k, v in links.items() if k != "x-default"} == {
            v.language: absolute(v) for v in versions
        }
        # Every version points back with exactly the same set.
        for href in links.values():
            assert listed[href][1] == links
        checked += 1
    assert checked >= 4


def test_scheduled_articles_appear_only_when_their_time_comes(client):
    scheduled = Article.objects.get(slug="open-brief-lei-jun-xiaomi-nummer-twee")
    letter = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    assert scheduled.is_scheduled
    listed = entries(client)
    assert absolute(scheduled) not in listed
    assert "nl" not in listed[absolute(letter)][1]

    # The clock reaches the embargo; nothing is written, the cached sitemap must notice.
    with time_machine.travel(scheduled.published_at + datetime.timedelta(seconds=1), tick=False):
        listed = entries(client)
    assert absolute(scheduled) in listed
    assert listed[absolute(letter)][1]["nl"] == absolute(scheduled)
    assert listed[absolute(scheduled)][1] == listed[absolute(letter)][1]


def test_unpublished_articles_leave_the_sitemap_and_their_siblings_links(client, users):
    turkish = Article.objects.get(slug="lei-jun-acik-mektup-xiaomi-dunya-ikincisi")
    letter = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    assert entries(client)[absolute(letter)][1]["tr"] == absolute(turkish)
    workflow.unpublish(turkish, user=users["editor"])
    listed = entries(client)
    assert absolute(turkish) not in listed
    assert listed[absolute(letter)][1] == {}


def test_front_pages_are_alternates_of_each_other(client, settings):
    listed = entries(client)
    default = settings.LANGUAGES[0][0]
    # Each front page under its canonical address: the default language's is "/".
    fronts = {
        code: f"{SITE}/" if code == default else f"{SITE}/{code}/" for code, _ in settings.LANGUAGES
    }
    for loc in fronts.values():
        _, links = listed[loc]
        assert {k: v for k, v in links.items() if k != "x-default"} == fronts
        assert links["x-default"] == f"{SITE}/"


def test_people_companies_and_stories_are_listed_when_published_articles_link_them(client, users):
    listed = set(entries(client))
    published = Article.objects.published()
    people = Person.objects.filter(articles__in=published) | Person.objects.filter(
        authored_articles__in=published
    )
    assert {SITE + p.get_absolute_url() for p in people} <= listed
    companies = Company.objects.filter(articles__in=published)
    assert {SITE + c.get_absolute_url() for c in companies} <= listed
    assert {SITE + s.get_absolute_url() for s in Storyline.objects.all()} <= listed

    # Someone only a draft mentions is not (yet) on the map.
    hidden = Person.objects.create(name="Draft Only")
    draft = Article.objects.get(slug="lei-jun-roles-one-by-one")
    draft.people.add(hidden)
    lonely = Storyline.objects.create(title="Nothing published yet")
    listed = set(entries(client))
    assert SITE + hidden.get_absolute_url() not in listed
    assert SITE + lonely.get_absolute_url() not in listed


def test_the_articles_sitemap_runs_a_fixed_number_of_queries(client, users, no_page_cache):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/sitemap-articles.xml")
        assert response.status_code == 200
        return len(captured)

    before = queries()
    owner = users["admin"]
    for i in range(12):
        article = Article(language="en", title=f"Filler {i}", slug=f"filler-{i}", owner=owner)
        article.save()
        workflow.submit_for_review(article, user=owner)
        workflow.approve(article, user=owner)
        workflow.publish(article, user=owner, at=timezone.now() - datetime.timedelta(days=1))
    assert queries() == before
    # The highest published id (which id range is page one); the page's articles, by id
    # range; the other versions of their stories (the hreflang alternates).
    assert before == 3


@pytest.mark.parametrize("url", ["/sitemap-nothing.xml", "/sitemap-articles.xml?p=abc"])
def test_unknown_sections_and_pages_are_404(client, url):
    assert client.get(url).status_code == 404


def test_sitemap_responses_can_be_cached(client):
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and "max-age=" in cache_control
    assert "max-age=300" in client.get("/sitemap-news.xml")["Cache-Control"]


# --- Google News ---------------------------------------------------------------------------


def news(client):
    response, urlset = fetch(client, "/sitemap-news.xml")
    assert response["Content-Type"].startswith("application/xml")
    return {url.find("sm:loc", NS).text: url for url in urlset.findall("sm:url", NS)}


def test_the_news_sitemap_lists_the_last_two_days_only(client):
    now = timezone.now()
    fresh = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    old = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    Article.objects.filter(pk=fresh.pk).update(published_at=now - datetime.timedelta(hours=5))
    Article.objects.filter(pk=old.pk).update(published_at=now - datetime.timedelta(days=2, hours=1))
    listed = news(client)
    assert set(listed) == {absolute(fresh)}  # the scheduled Dutch letter is not out yet

    entry = listed[absolute(fresh)]
    assert entry.find("news:news/news:publication/news:name", NS).text == "Newsroom"
    assert entry.find("news:news/news:publication/news:language", NS).text == "en"
    assert entry.find("news:news/news:title", NS).text == fresh.title  # apostrophe intact
    published = entry.find("news:news/news:publication_date", NS).text
    assert datetime.datetime.fromisoformat(published) == now - datetime.timedelta(hours=5)


def test_the_news_sitemap_shows_a_scheduled_article_once_it_is_out(client):
    scheduled = Article.objects.get(slug="open-brief-lei-jun-xiaomi-nummer-twee")
    assert absolute(scheduled) not in news(client)
    with time_machine.travel(scheduled.published_at + datetime.timedelta(minutes=1), tick=False):
        entry = news(client)[absolute(scheduled)]
    assert entry.find("news:news/news:publication/news:language", NS).text == "nl"


# --- robots.txt ----------------------------------------------------------------------------


def test_robots_txt_points_at_both_sitemaps_and_keeps_crawlers_out_of_the_desk(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "public" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines
    for line in lines:
        if line.startswith("Sitemap: "):
            fetch(client, line.removeprefix("Sitemap: "))


def test_the_sitemap_lists_exactly_the_people_and_companies_that_have_a_page(client):
    """Someone public only because a published article quotes them, or a company public
    only through a role a published article reports, is listed (and their page is there);
    someone known only from a draft is not."""
    from people.models import Position, Quote

    published = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    quoted = Person.objects.create(name="Quoted Only", slug="quoted-only")
    published.quotes.add(Quote.objects.create(speaker=quoted, text="Words.", language="en"))
    employer = Company.objects.create(name="Role Only Ltd", slug="role-only")
    role = Position.objects.create(person=quoted, company=employer, title="Adviser")
    role.sources.add(published)
    drafted = Person.objects.create(name="Draft Only", slug="draft-only")
    Article.objects.get(status=Article.Status.IN_REVIEW).people.add(drafted)

    listed = entries(client)
    for obj in (quoted, employer):
        assert SITE + obj.get_absolute_url() in listed
        assert client.get(obj.get_absolute_url()).status_code == 200
    assert SITE + drafted.get_absolute_url() not in listed
    assert client.get(drafted.get_absolute_url()).status_code == 404


# --- at real size --------------------------------------------------------------------------


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured)


def pages_of(client, section) -> list[str]:
    return [url for url in section_urls(client) if url.startswith(f"{SITE}/sitemap-{section}.")]


def test_every_sitemap_page_costs_the_same_queries_whatever_the_archives_size(
    client, monkeypatch, no_page_cache
):
    # Small pages, so every section of the generated archive has several.
    monkeypatch.setattr(SiteSitemap, "limit", 10)
    index, news_map = "/sitemap.xml", "/sitemap-news.xml"
    small = {url: query_count(client, url) for url in (index, news_map, *section_urls(client))}

    generate(2000, 11)

    assert query_count(client, index) == small[index]
    assert query_count(client, news_map) == small[news_map]
    for section in SECTIONS:
        pages = pages_of(client, section)
        assert len(pages) > 1 or section == "pages", section
        for page in (pages[0], pages[-1]):
            assert query_count(client, page) == small[pages[0]], page
    # The index: per section its latest change and its number of pages, each one row
    # off an index.
    assert small[index] <= 13
    # A section page: its number of pages, its items; an article page its alternates too.
    assert small[f"{SITE}/sitemap-articles.xml"] <= 3
    assert small[f"{SITE}/sitemap-people.xml"] <= 2


def test_pages_of_a_section_together_list_each_url_once(client, monkeypatch):
    monkeypatch.setattr(SiteSitemap, "limit", 4)
    listed = entries(client)  # raises if a URL is listed twice
    assert {absolute(a) for a in Article.objects.published()} <= set(listed)
    assert len(pages_of(client, "articles")) > 1


def test_a_page_past_the_last_is_404(client):
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404
    assert client.get("/sitemap-articles.xml?p=0").status_code == 404


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_sitemap_pages_read_articles_through_an_index(client, monkeypatch, no_page_cache):
    monkeypatch.setattr(SiteSitemap, "limit", 300)
    generate(3000, 12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    last = pages_of(client, "articles")[-1]
    for url in (f"{SITE}/sitemap-articles.xml", last, f"{SITE}/sitemap.xml", "/sitemap-news.xml"):
        with CaptureQueriesContext(connection) as captured:
            fetch(client, url)
        for query in captured.captured_queries:
            if '"translation_key" IN (SELECT' in query["sql"]:
                # A page's alternates: a semi-join on the page's key range. Until the table
                # outweighs a page's index probes (some 50,000 articles at PostgreSQL's
                # default costs) hashing the whole table is the cheaper plan, and taken.
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert not re.search(r"Seq Scan on articles_article\b", plan), (url, query, plan)
