"""An embargo holds everywhere a reader could look, with the clock really moving: the
demo's scheduled Dutch story is on no page, list, feed (any format, any subject), sitemap
or search result one second before its time, and on all of them one second after — with
the readers' page cache on (pages cached before the time must not outlive it) and off."""

import datetime
import re

import pytest
import time_machine

from articles.models import Article
from tests.feed_reading import FORMATS, fetch, fetch_json, local

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["cached", "uncached"])
def cache_mode(request, settings):
    settings.PAGE_CACHE = request.param == "cached"
    return request.param


def feed_paths(article: Article) -> list[str]:
    """Every feed the story belongs in: its language's, and those of its people,
    companies, sections and threads, in each format."""
    subjects = [""]
    subjects += [f"people/{p.slug}/" for p in article.people.all()]
    subjects += [f"companies/{c.slug}/" for c in article.companies.all()]
    subjects += [f"sections/{s.slug}/" for s in article.sections.all()]
    subjects += [f"stories/{s.slug}/" for s in article.storylines.all()]
    assert len(subjects) > 3  # the story is about someone, somewhere
    return [
        f"/feeds/{article.language}/{subject}{filename}"
        for subject in subjects
        for filename in FORMATS.values()
    ]


def links_in_feed(client, path: str) -> set[str]:
    if path.endswith(".json"):
        return {local(item["url"]) for item in fetch_json(client, path)["items"]}
    return {local(entry.link) for entry in fetch(client, path).entries}


def sitemap_locations(client) -> str:
    """The text of the sitemap index, every sitemap it lists, and the news sitemap."""
    index = client.get("/sitemap.xml").content.decode()
    pages = [local(loc) for loc in re.findall(r"<loc>([^<]+)</loc>", index)]
    texts = [index, client.get("/sitemap-news.xml").content.decode()]
    texts += [client.get(page).content.decode() for page in pages]
    return "\n".join(texts)


def what_readers_see(client, article: Article) -> dict[str, bool]:
    """Where the story shows, surface by surface."""
    url = article.get_absolute_url()
    word = "wereldwijd"  # in its title, and in no other Dutch story of the demo
    seen = {
        "page": client.get(url).status_code == 200,
        "front": url in client.get(f"/{article.language}/").content.decode(),
        "list": url in client.get("/articles/", {"lang": article.language}).content.decode(),
        "sitemaps": url in sitemap_locations(client),
        "search": url
        in client.get("/search/", {"q": word, "lang": article.language}).content.decode(),
    }
    for path in feed_paths(article):
        seen[path] = url in links_in_feed(client, path)
    return seen


def test_an_embargo_holds_everywhere_until_its_second(client, cache_mode):
    scheduled = Article.objects.scheduled().get(language="nl")
    assert "wereldwijd" in scheduled.title.lower()
    moment = scheduled.published_at
    with time_machine.travel(moment - datetime.timedelta(minutes=5), tick=False):
        before = what_readers_see(client, scheduled)  # (cached, when the cache is on)
    with time_machine.travel(moment - datetime.timedelta(seconds=1), tick=False):
        just_before = what_readers_see(client, scheduled)
    with time_machine.travel(moment + datetime.timedelta(seconds=1), tick=False):
        after = what_readers_see(client, scheduled)
    assert not any(before.values()), {k for k, v in before.items() if v}
    assert not any(just_before.values()), {k for k, v in just_before.items() if v}
    assert all(after.values()), {k for k, v in after.items() if not v}
