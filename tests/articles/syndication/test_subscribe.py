"""The subscribe page (/feeds/) and the OPML list of every feed (/feeds.opml)."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from articles.models import Article
from people.models import Person
from tests.feed_reading import local, opml_feeds, published_article

pytestmark = pytest.mark.django_db


class FeedFieldCollector(HTMLParser):
    """The copyable address fields and the Copy buttons of the subscribe page."""

    def __init__(self):
        super().__init__()
        self.fields, self.buttons, self.labels = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "readonly" in attrs:
            self.fields.append(attrs)
        elif tag == "button" and "data-copy-target" in attrs:
            self.buttons.append(attrs)
        elif tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])


def subscribe_page(client) -> tuple[str, FeedFieldCollector]:
    response = client.get("/feeds/")
    assert response.status_code == 200
    html = response.content.decode()
    collector = FeedFieldCollector()
    collector.feed(html)
    return html, collector


def test_the_subscribe_page_offers_every_feed_of_the_opml_to_copy(client):
    html, page = subscribe_page(client)
    listed = [outline["xmlUrl"] for outline in opml_feeds(client)]
    assert [field["value"] for field in page.fields] == listed
    for field in page.fields:
        assert field["id"] in page.labels, "every address has a label for screen readers"
    for outline in opml_feeds(client):
        for fmt in ("atom.xml", "feed.json"):
            assert f'href="{outline["xmlUrl"].rsplit("/", 1)[0]}/{fmt}"' in html


def test_the_subscribe_page_works_without_javascript(client):
    _html, page = subscribe_page(client)
    # The addresses are plain read-only text fields; the Copy buttons are extras that the
    # script reveals, so without it nobody sees a button that does nothing.
    assert page.fields and len(page.buttons) == len(page.fields)
    assert all("hidden" in button for button in page.buttons)
    ids = {field["id"] for field in page.fields}
    assert len(ids) == len(page.fields)
    assert {button["data-copy-target"] for button in page.buttons} == ids


def test_the_subscribe_page_groups_feeds_by_language_and_kind(client):
    html, _page = subscribe_page(client)
    for code, name in settings.LANGUAGES:
        assert f'id="feeds-{code}"' in html and f">{name}</h2>" in html
    english = html[html.index('id="feeds-en"') : html.index('id="feeds-nl"')]
    headings = ["People", "Companies", "Story threads", "Sections"]
    positions = [english.index(f"<h3>{heading}</h3>") for heading in headings]
    assert positions == sorted(positions)
    assert english.index("Yingwei Fu") > positions[0], "authors have feeds too"
    assert "/feeds.opml?lang=nl" in html


def test_the_subscribe_page_runs_a_fixed_number_of_queries(client, users, no_page_cache):
    with CaptureQueriesContext(connection) as before:
        client.get("/feeds/")
    for number in range(5):
        person = Person.objects.create(name=f"Subscriber test {number}")
        published_article(users, title=f"About subscriber test {number}", people=[person])
    with CaptureQueriesContext(connection) as after:
        html, _page = subscribe_page(client)
    assert "Subscriber test 4" in html
    # Which people, authors, companies, threads and sections have published articles
    # (five, one per many-to-many table); those people, companies, threads and sections
    # (four); the sections in the site menu.
    assert len(after) == len(before) == 10


def test_the_opml_file_is_opml_2_grouped_by_language_and_kind(client):
    response = client.get("/feeds.opml")
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Newsroom feeds"
    assert root.findtext("head/dateCreated")
    languages = root.findall("body/outline")
    assert [group.get("text") for group in languages] == [name for _c, name in settings.LANGUAGES]
    for group, (code, _name) in zip(languages, settings.LANGUAGES, strict=True):
        everything, *kinds = list(group)
        assert everything.get("type") == "rss"
        assert everything.get("xmlUrl") == f"{settings.SITE_URL}/feeds/{code}/rss.xml"
        # Each language's group is written in that language.
        with translation.override(code):
            labels = {gettext(w) for w in ["People", "Companies", "Story threads", "Sections"]}
        assert {kind.get("text") for kind in kinds} <= labels
        for kind in kinds:
            assert kind.get("type") is None and len(kind)
            for outline in kind:
                assert outline.get("type") == "rss"
                assert outline.get("text") and outline.get("title")
                assert outline.get("language") == code
                assert f"/feeds/{code}/" in outline.get("xmlUrl")


def test_every_opml_page_link_answers(client):
    pages = {outline["htmlUrl"] for outline in opml_feeds(client)}
    assert len(pages) > 10
    for url in pages:
        assert client.get(local(url)).status_code == 200, url


def test_the_opml_file_for_one_language(client):
    dutch = opml_feeds(client, "?lang=nl")
    assert dutch and {outline["group"] for outline in dutch} == {"Nederlands"}
    assert all("/feeds/nl/" in outline["xmlUrl"] for outline in dutch)
    everything = opml_feeds(client)
    assert [o["xmlUrl"] for o in everything if o["language"] == "nl"] == [
        o["xmlUrl"] for o in dutch
    ]


def test_an_unknown_language_in_the_opml_request_is_a_clear_400(client):
    response = client.get("/feeds.opml?lang=xx")
    assert response.status_code == 400
    message = response.content.decode()
    assert "“xx”" in message and "en, nl, tr" in message


def test_only_subjects_with_published_stories_are_listed(client, users):
    newcomer = Person.objects.create(name="Newcomer Example")
    draft = Article.objects.create(
        language="en",
        title="A draft about the newcomer",
        slug="newcomer-draft",
        owner=users["writer"],
    )
    draft.people.set([newcomer])
    feed = f"{settings.SITE_URL}/feeds/en/people/newcomer-example/rss.xml"
    assert feed not in [outline["xmlUrl"] for outline in opml_feeds(client)]
    # The feed exists all the same (empty), so a reader may subscribe ahead of time.
    assert client.get(local(feed)).status_code == 200

    published_article(users, title="The newcomer arrives", people=[newcomer])
    listed = [outline["xmlUrl"] for outline in opml_feeds(client)]
    assert feed in listed
    assert f"{settings.SITE_URL}/feeds/nl/people/newcomer-example/rss.xml" not in listed


def opml_body(response) -> bytes:
    return ET.tostring(ET.fromstring(response.content).find("body"))


def test_the_opml_file_is_the_same_for_every_reader_and_cacheable(client):
    english = client.get("/feeds.opml", HTTP_ACCEPT_LANGUAGE="en")
    turkish = client.get("/feeds.opml", HTTP_ACCEPT_LANGUAGE="tr")
    assert opml_body(english) == opml_body(turkish)
    assert "public" in english["Cache-Control"] and "max-age=" in english["Cache-Control"]


def test_the_subscribe_page_is_in_the_language_of_its_url_not_the_browsers(client):
    english = client.get("/feeds/", HTTP_ACCEPT_LANGUAGE="nl")
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    dutch = client.get("/feeds/?lang=nl", HTTP_ACCEPT_LANGUAGE="tr")
    html = dutch.content.decode()
    assert dutch["Content-Language"] == "nl" and '<html lang="nl"' in html
    assert ">Abonneren</h1>" in html
    assert 'href="/feeds/?lang=tr"' in html  # the language switcher stays on this page
    assert client.get("/feeds/?lang=xx").status_code == 404
