"""API answers through the readers' page cache, and their validators: a repeat costs no
query, a conditional GET with the ETag is a 304, and a save refreshes exactly what showed
the saved object."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.models import Article, Storyline, StorylineEntry
from people.models import Person, Quote
from tests.articles.syndication.api.conftest import API, get_json
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db

URLS = [
    f"{API}/articles?language=en",
    f"{API}/articles/{{story}}",
    f"{API}/articles/en/lei-jun-gives-up-roles-for-xiaomi-cars",
    f"{API}/people?limit=5",
    f"{API}/people/lei-jun",
    f"{API}/companies",
    f"{API}/companies/xiaomi",
    f"{API}/quotes",
    f"{API}/stories",
    f"{API}/stories/lei-jun-hands-over-his-roles",
    f"{API}/openapi.json",
]


@pytest.fixture
def story():
    return Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")


@pytest.mark.parametrize("url", URLS)
def test_a_repeat_costs_no_query(client, url, story):
    url = url.format(story=story.pk)
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("cached", [True, False], ids=["from the cache", "rendered"])
def test_a_conditional_get_with_the_etag_is_a_304(client, settings, cached, story):
    settings.PAGE_CACHE = cached
    url = f"{API}/articles/{story.pk}"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified
    control = first["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "max-age=" in control

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_validators_are_the_same_whoever_renders_the_answer(client, settings):
    settings.PAGE_CACHE = False
    first = client.get(f"{API}/articles")
    with time_machine.travel(datetime.timedelta(minutes=5)):
        second = client.get(f"{API}/articles")
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]


def test_publishing_refreshes_the_cached_lists(client, users):
    lists = [f"{API}/articles", f"{API}/articles?language=en", f"{API}/articles?person=lei-jun"]
    for url in lists:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    story = make_draft(users["admin"], title="Xiaomi names a new chief")
    story.people.add(Person.objects.get(slug="lei-jun"))
    bring_to(story, "published", by=users["admin"])
    for url in lists:
        answer = client.get(url)
        assert answer["X-Page-Cache"] == "miss", url
        assert answer.json()["items"][0]["id"] == story.pk, url


def test_renaming_a_person_refreshes_every_answer_that_names_them(client):
    person = Person.objects.get(slug="lei-jun")
    article = Article.objects.published().filter(people=person).first()
    urls = [f"{API}/people/lei-jun", f"{API}/articles/{article.pk}", f"{API}/quotes"]
    untouched = f"{API}/stories"
    for url in [*urls, untouched]:
        client.get(url)
    person.name = "Lei Jun (renamed)"
    person.save()
    for url in urls:
        answer = client.get(url)
        assert "(renamed)" in answer.content.decode(), url
    assert client.get(untouched)["X-Page-Cache"] == "hit"


def test_translating_a_quote_refreshes_the_articles_that_use_it(client):
    quote = Quote.objects.public().filter(translations__isnull=False).first()
    article = Article.objects.published().filter(quotes=quote).first()
    url = f"{API}/articles/{article.pk}"
    client.get(url)
    translation = quote.translations.first()
    translation.text = "Freshly translated words."
    translation.save()
    assert "Freshly translated words." in client.get(url).content.decode()


def test_unpublishing_answers_404_at_once(client, users, story):
    url = f"{API}/articles/{story.pk}"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    workflow.unpublish(story, user=users["editor"])
    get_json(client, url, 404)


def test_errors_are_not_kept_by_the_page_cache_but_may_be_by_a_cdn_briefly(client):
    url = f"{API}/articles/123456789"
    client.get(url)
    again = client.get(url)
    assert again.status_code == 404 and "X-Page-Cache" not in again
    assert "s-maxage=60" in again["Cache-Control"]


def test_a_thread_that_gains_a_published_story_joins_the_cached_directory(client, story):
    url = f"{API}/stories"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    thread = Storyline.objects.create(title="A thread made public", slug="made-public")
    assert "made-public" not in client.get(url).content.decode()  # no published story yet
    StorylineEntry.objects.create(storyline=thread, article=story, position=1)
    assert "made-public" in client.get(url).content.decode()
