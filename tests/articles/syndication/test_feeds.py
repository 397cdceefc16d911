"""Feeds (articles/syndication/feeds.py), checked the way readers see them: over HTTP, with
feedparser. Which subjects exist, what is in each, how cheap they are to poll, and the
autodiscovery links pages carry (articles/templatetags/feeds.py)."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.generator import generate
from articles.models import Article, Section, Storyline
from people.models import Company, Person
from tests.feed_reading import (
    FORMATS,
    entry_for,
    feed_path,
    fetch,
    fetch_json,
    local,
    parse,
    png_image,
    published_article,
    sibling,
)

pytestmark = pytest.mark.django_db


# --- helpers ----------------------------------------------------------------------------


def guids(client, path: str) -> list[str]:
    return [entry.id for entry in fetch(client, path).entries]


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and "type" in attrs:
            self.links.append(attrs)


def feed_links_of(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return collector.links


# --- what a feed is about ---------------------------------------------------------------


def test_a_section_feed_points_at_that_sections_article_list(client):
    rss = parse(client.get(feed_path("nl", "rss", "sections", "technology")))
    assert rss.feed.link == settings.SITE_URL + "/articles/?section=technology&lang=nl"
    assert client.get("/articles/?section=technology&lang=nl").status_code == 200


def test_feed_level_metadata(client):
    path = feed_path("nl", "rss", "people", "lei-jun")
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="tr")
    assert response["Content-Language"] == "nl"
    rss = parse(response)
    assert rss.feed.title == "Newsroom: Lei Jun (Nederlands)"
    # The feed's page is the person's page in the feed's language.
    assert rss.feed.link == settings.SITE_URL + "/people/lei-jun/?lang=nl"
    self_links = [link.href for link in rss.feed.links if link.rel == "self"]
    assert self_links == [settings.SITE_URL + path]
    assert rss.feed.updated_parsed
    atom = fetch(client, sibling(path, "atom"))
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [
        settings.SITE_URL + sibling(path, "atom")
    ]
    assert atom.feed.language == "nl" and atom.feed.updated_parsed
    # The feed's id is its own, not the person page every language's feed shares.
    assert atom.feed.id == settings.SITE_URL + sibling(path, "atom")


def test_links_point_at_the_public_site_whatever_host_was_asked(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "internal.example"]
    response = client.get(feed_path("en", "atom"), HTTP_HOST="internal.example")
    body = response.content.decode()
    assert "internal.example" not in body
    assert settings.SITE_URL + "/en/" in body


def test_without_a_byline_the_author_is_the_site(client, users):
    article = published_article(users, title="Nobody signed this", byline_note="")
    feed = fetch(client, feed_path("en", "atom"))
    entry = next(e for e in feed.entries if e.link.endswith(article.get_absolute_url()))
    assert entry.author == settings.SITE_NAME
    assert entry.get("enclosures") == [] and "media_content" not in entry


# --- what is in a feed, and for how long ------------------------------------------------


def test_a_guid_survives_a_retitle_and_a_new_slug(client):
    article = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    paths = [feed_path("en", fmt) for fmt in ("rss", "atom")] + [
        feed_path("en", "rss", "stories", "lei-jun-hands-over-his-roles")
    ]
    before = {path: entry_for_link(client, path, article) for path in paths}
    json_before = json_item_for(client, article)

    article.title = "Lei Jun leaves more boards to concentrate on cars"
    article.slug = "lei-jun-leaves-more-boards"
    article.save()

    for path in paths:
        entry = entry_for(fetch(client, path), before[path].id)
        assert entry is not None, f"{path} lost the article after a retitle"
        assert entry.title == "Lei Jun leaves more boards to concentrate on cars"
        assert entry.link == settings.SITE_URL + "/en/lei-jun-leaves-more-boards/"
        assert client.get(local(entry.link)).status_code == 200
    json_after = json_item_for(client, article)
    assert json_after["id"] == json_before["id"]
    assert json_after["url"] != json_before["url"]


def entry_for_link(client, path: str, article: Article):
    url = settings.SITE_URL + article.get_absolute_url()
    return next(e for e in fetch(client, path).entries if e.link == url)


def json_item_for(client, article: Article) -> dict:
    url = settings.SITE_URL + article.get_absolute_url()
    items = fetch_json(client, feed_path(article.language, "json"))["items"]
    return next(item for item in items if item["url"] == url)


def test_unpublishing_removes_the_item_from_every_feed(client, users):
    article = Article.objects.get(
        language="en", slug="lei-jun-steps-down-kingsoft-executive-director"
    )
    paths = [
        feed_path("en", "rss"),
        feed_path("en", "atom"),
        feed_path("en", "rss", "people", "yingwei-fu"),  # its author
        feed_path("en", "rss", "people", "lei-jun"),  # mentioned
        feed_path("en", "rss", "companies", "kingsoft"),
        feed_path("en", "rss", "sections", "healthcare"),
        feed_path("en", "rss", "stories", "lei-jun-hands-over-his-roles"),
    ]
    guid = entry_for_link(client, paths[0], article).id
    for path in paths:
        assert guid in guids(client, path), path

    workflow.unpublish(article, user=users["editor"], comment="Pulled for a legal check.")

    for path in paths:
        assert guid not in guids(client, path), path
    assert guid not in [i["id"] for i in fetch_json(client, feed_path("en", "json"))["items"]]
    assert fetch(client, feed_path("en", "rss")).entries, "the other stories stay"


def test_a_scheduled_article_appears_when_its_time_comes(client):
    scheduled = next(a for a in Article.objects.filter(language="nl") if a.is_scheduled)
    path = feed_path("nl", "rss")
    url = settings.SITE_URL + scheduled.get_absolute_url()
    before = client.get(path)
    assert url not in [e.link for e in parse(before).entries]

    # Time travel: the embargo lifts. Nothing else is written; the feed must notice anyway.
    with time_machine.travel(scheduled.published_at + datetime.timedelta(minutes=1), tick=False):
        after = client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert parse(after).entries[0].link == url, "the newest item comes first"


def test_an_existing_subject_with_nothing_in_that_language_is_an_empty_feed(client):
    feed = fetch(client, feed_path("tr", "atom", "people", "yingwei-fu"))
    assert not feed.bozo and feed.entries == []
    assert fetch_json(client, feed_path("tr", "json", "people", "yingwei-fu"))["items"] == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "path",
    [
        "/feeds/de/{file}",  # a real language we do not publish in
        "/feeds/xx/{file}",
        "/feeds/en/people/nobody/{file}",
        "/feeds/en/companies/nobody/{file}",
        "/feeds/en/stories/nobody/{file}",
        "/feeds/en/sections/nobody/{file}",
        "/feeds/xx/people/lei-jun/{file}",
        "/feeds/en/widgets/lei-jun/{file}",
    ],
)
def test_unknown_subjects_are_404(client, path, fmt):
    assert client.get(path.format(file=FORMATS[fmt])).status_code == 404


def test_feeds_answer_only_reads(client):
    assert client.post(feed_path("en", "rss")).status_code == 405
    head = client.head(feed_path("en", "rss"))
    assert head.status_code == 200 and head["ETag"]


# --- cheap to poll ----------------------------------------------------------------------


@pytest.fixture
def older_edits():
    """Move every edit an hour back, so a change made now is visibly newer to the second."""
    Article.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_feed_sends_validators_and_cache_headers(client, fmt):
    response = client.get(feed_path("en", fmt, "companies", "xiaomi"))
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=300", "stale-while-revalidate=600"} <= cache_control


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_matching_conditional_get_is_a_304_without_rendering(
    client, fmt, django_assert_num_queries, no_page_cache
):
    path = feed_path("en", fmt)
    first = client.get(path)
    # The language feed's validators: the page cache's tag versions and the next scheduled
    # publish (one indexed query); rendering would take five more.
    with django_assert_num_queries(1):
        by_etag = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert "max-age=300" in by_etag["Cache-Control"]
    by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    other_format = client.get(sibling(path, "rss" if fmt != "rss" else "atom"))
    assert other_format["ETag"] != first["ETag"]


def test_after_a_publish_the_conditional_get_is_a_200_with_the_new_item(client, users, older_edits):
    path = feed_path("en", "rss", "people", "lei-jun")
    first = client.get(path)
    lei_jun = Person.objects.get(slug="lei-jun")
    article = published_article(users, title="Lei Jun opens a car plant", people=[lei_jun])
    url = settings.SITE_URL + article.get_absolute_url()

    by_etag = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 200 and parse(by_etag).entries[0].link == url
    by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200 and parse(by_date).entries[0].link == url
    again = client.get(path, HTTP_IF_NONE_MATCH=by_etag["ETag"])
    assert again.status_code == 304


def test_an_unpublish_is_news_to_a_reader_that_only_sends_if_modified_since(
    client, users, older_edits
):
    path = feed_path("en", "rss", "companies", "kingsoft")
    first = client.get(path)
    article = Article.objects.get(
        language="en", slug="lei-jun-steps-down-kingsoft-executive-director"
    )
    workflow.unpublish(article, user=users["editor"])
    response = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert settings.SITE_URL + article.get_absolute_url() not in [
        e.link for e in parse(response).entries
    ]


def test_an_edit_changes_the_validators(client, older_edits):
    path = feed_path("en", "atom", "sections", "automotive")
    first = client.get(path)
    article = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    article.standfirst = "A corrected standfirst."
    article.save()
    response = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "A corrected standfirst." in response.content.decode()


# --- query budget -----------------------------------------------------------------------


def count_queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    if path.endswith(".json"):
        items = len(json.loads(response.content)["items"])
    else:
        items = len(parse(response).entries)
    return len(queries), items


def test_each_feed_runs_a_fixed_number_of_queries_for_one_item_or_fifty(
    client, users, no_page_cache
):
    person = Person.objects.create(name="Budget Person")
    co_author = Person.objects.create(name="Budget Co-author")
    company = Company.objects.create(name="Budget Company")
    storyline = Storyline.objects.create(title="Budget thread")
    section = Section.objects.create(name="Budget")
    images = [png_image(f"budget {n}") for n in range(3)]
    subjects = [
        (None, None),
        ("people", person.slug),
        ("companies", company.slug),
        ("stories", storyline.slug),
        ("sections", section.slug),
    ]
    paths = [feed_path("en", fmt, kind, slug) for kind, slug in subjects for fmt in FORMATS]

    def add_articles(start: int, stop: int) -> None:
        for number in range(start, stop):
            published_article(
                users,
                title=f"Budget story {number}",
                authors=[person, co_author],
                people=[person],
                companies=[company],
                sections=[section, Section.objects.get(name="Technology")],
                storylines=[storyline],
                lead_image=images[number % len(images)],
            )

    add_articles(0, 1)
    with_one = {path: count_queries(client, path) for path in paths}
    add_articles(1, 50)
    with_fifty = {path: count_queries(client, path) for path in paths}

    for path in paths:
        (queries_one, items_one), (queries_fifty, items_fifty) = with_one[path], with_fifty[path]
        assert items_fifty == 50 and items_one < items_fifty, path
        assert queries_one == queries_fifty, f"{path}: {queries_one} vs {queries_fifty} queries"
        # resolve the subject (1, none for a language), the next scheduled publish (1),
        # articles (1), authors, sections, people, companies (4)
        assert queries_fifty <= 7, path

    # The language feed holds the demo's stories too, but shows only the newest fifty.
    entries = fetch(client, feed_path("en", "atom")).entries
    assert Article.objects.published().filter(language="en").count() > len(entries) == 50
    assert entries[0].title == "Budget story 49"
    dates = [entry.published_parsed for entry in entries]
    assert dates == sorted(dates, reverse=True)


def most_mentioned_person() -> Person:
    return Person.objects.annotate(mentions=Count("articles")).order_by("-mentions").first()


def test_a_feed_and_its_304_cost_the_same_queries_whatever_the_archives_size(client, no_page_cache):
    def not_modified_queries(path: str) -> int:
        etag = client.get(path)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, path
        return len(queries)

    language_feeds = [feed_path("en", fmt) for fmt in FORMATS]
    small = {path: count_queries(client, path)[0] for path in language_feeds}
    small_person = count_queries(client, feed_path("en", "atom", "people", "lei-jun"))[0]
    # The validators: the next scheduled publish (and the subject, unless a language).
    assert not_modified_queries(language_feeds[0]) == 1
    assert not_modified_queries(feed_path("en", "rss", "people", "lei-jun")) == 2

    generate(2000, 13)

    for path in language_feeds:
        assert count_queries(client, path) == (small[path], 50), path
    busiest = feed_path("en", "atom", "people", most_mentioned_person().slug)
    assert count_queries(client, busiest) == (small_person, 50)
    assert not_modified_queries(language_feeds[0]) == 1
    assert not_modified_queries(sibling(busiest, "rss")) == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_feeds_read_articles_through_an_index(client, no_page_cache):
    generate(3000, 14)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    paths = [
        feed_path("en", "rss"),
        feed_path("nl", "atom"),
        feed_path("en", "rss", "people", most_mentioned_person().slug),
    ]
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        for query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert not re.search(r"Seq Scan on articles_article\b", plan), (path, query, plan)


# --- autodiscovery ----------------------------------------------------------------------


def check_discovered(client, links: list[dict], expected_paths: list[str]) -> None:
    hrefs = [local(link["href"]) for link in links]
    assert hrefs == expected_paths
    types = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}
    types["feed.json"] = "application/feed+json"
    for link, path in zip(links, hrefs, strict=True):
        assert link["type"] == types[path.rsplit("/", 1)[1]]
        assert link["title"]
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(link["type"])


def test_a_person_page_links_that_persons_feeds(client):
    links = feed_links_of(client, "/people/lei-jun/")
    expected = [feed_path("en", fmt, "people", "lei-jun") for fmt in FORMATS]
    check_discovered(client, links, expected + [feed_path("en", fmt) for fmt in FORMATS])


def test_a_person_page_offers_the_feeds_in_the_readers_language(client):
    links = feed_links_of(client, "/people/lei-jun/")
    assert local(links[0]["href"]) == feed_path("en", "rss", "people", "lei-jun")
    # The page's language comes from the address (?lang=), never the browser's settings.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    links = feed_links_of(client, "/people/lei-jun/")
    assert local(links[0]["href"]) == feed_path("en", "rss", "people", "lei-jun")
    links = feed_links_of(client, "/people/lei-jun/?lang=tr")
    assert local(links[0]["href"]) == feed_path("tr", "rss", "people", "lei-jun")


def test_a_company_page_and_a_story_page_link_their_feeds(client):
    links = feed_links_of(client, "/companies/xiaomi/")
    assert local(links[0]["href"]) == feed_path("en", "rss", "companies", "xiaomi")
    links = feed_links_of(client, "/stories/xiaomi-rise/")
    assert local(links[0]["href"]) == feed_path("en", "rss", "stories", "xiaomi-rise")
    for link in links:
        assert client.get(local(link["href"])).status_code == 200


def test_an_article_page_links_its_language_feed_and_its_story_threads(client):
    links = feed_links_of(client, "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/")
    article = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    threads = [entry.storyline.slug for entry in article.storyline_entries.all()]
    assert threads, "the demo translation carries its source's story threads"
    expected = [feed_path("nl", fmt, "stories", slug) for slug in threads for fmt in FORMATS]
    check_discovered(client, links, expected + [feed_path("nl", fmt) for fmt in FORMATS])


def test_a_front_page_links_its_language_feeds(client):
    links = feed_links_of(client, "/tr/")
    check_discovered(client, links, [feed_path("tr", fmt) for fmt in FORMATS])


def test_a_missing_page_links_the_feeds_of_the_language_it_was_in(client):
    response = client.get("/nl/no-such-story/")
    assert response.status_code == 404
    collector = LinkCollector()
    collector.feed(response.content.decode())
    assert [local(link["href"]) for link in collector.links] == [
        feed_path("nl", fmt) for fmt in FORMATS
    ]


# --- hostile bodies ---------------------------------------------------------------------

HOSTILE = (
    '<p>Safe words stay.</p><script>alert("feed-marker")</script>'
    '<p onclick="steal()">Click</p><a href="javascript:evil()">link</a>'
    '<img src="/media/x.png" onerror="steal()" alt="x">'
)


def assert_harmless(raw: str) -> None:
    assert "Safe words stay." in raw
    for bad in (
        "feed-marker",
        "onclick",
        "onerror",
        "steal()",
        "javascript:",
        "<script",
        "&lt;script",
    ):
        assert bad not in raw, bad


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_script_or_handler_in_a_body_never_reaches_a_feed(client, users, fmt, no_page_cache):
    """Saved through the model the body is cleaned on the way in; a row written around it
    (a bulk update, or HTML stored before the sanitiser learnt a new trick) is cleaned again
    on the way out, in every format. Read raw: feedparser would clean it up itself."""
    person = Person.objects.create(name="Hostile Body")
    saved = published_article(users, title="Saved with a script", body=HOSTILE, people=[person])
    written = published_article(users, title="Written around the model", people=[person])
    Article.objects.filter(pk=written.pk).update(body=HOSTILE)
    for path in (feed_path("en", fmt), feed_path("en", fmt, "people", person.slug)):
        response = client.get(path)
        assert response.status_code == 200
        raw = response.content.decode()
        if fmt == "json":
            bodies = [item["content_html"] for item in json.loads(raw)["items"]]
            mine = [b for b in bodies if "Safe words stay." in b]
            assert len(mine) == 2, path
            raw = "".join(mine)
        assert saved.title in response.content.decode()
        assert written.title in response.content.decode()
        assert_harmless(raw)
