"""What each format writes (articles/syndication/feedgenerators.py): valid RSS 2.0, Atom 1.0
and JSON Feed 1.1, with every author, the full body and the lead image, read over HTTP."""

import datetime

import pytest
from django.conf import settings

from articles.models import Section
from people.models import Company, Person
from tests.feed_reading import (
    entry_for,
    feed_path,
    fetch,
    fetch_json,
    local,
    opml_feeds,
    png_image,
    published_article,
    sibling,
)

pytestmark = pytest.mark.django_db

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def is_rfc3339(value: str) -> bool:
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return parsed.tzinfo is not None


def check_json_feed(data: dict, *, url: str, language: str) -> None:
    """The JSON Feed 1.1 rules (https://www.jsonfeed.org/version/1.1/) we rely on."""
    assert data["version"] == JSON_FEED_VERSION
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["items"], list)
    assert data["feed_url"] == url
    assert data["home_page_url"].startswith(settings.SITE_URL + "/")
    assert data["language"] == language
    for author in data.get("authors", []):
        assert {"name", "url", "avatar"} & author.keys()
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids)), "item ids are unique"
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith(settings.SITE_URL + "/")
        assert is_rfc3339(item["date_published"]) and is_rfc3339(item["date_modified"])
        assert item["authors"] and all({"name", "url"} & a.keys() for a in item["authors"])
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        for attachment in item.get("attachments", []):
            assert attachment["url"] and attachment["mime_type"]
            assert isinstance(attachment.get("size_in_bytes", 0), int)


# --- every feed in the OPML, in every format --------------------------------------------


def test_every_feed_listed_in_the_opml_is_valid_in_every_format(client):
    listed = opml_feeds(client)
    paths = [local(outline["xmlUrl"]).split("/") for outline in listed]
    kinds = {parts[3] if len(parts) == 6 else "language" for parts in paths}
    assert kinds == {"language", "people", "companies", "stories", "sections"}
    assert {parts[2] for parts in paths} == {"en", "nl", "tr"}
    assert len(listed) > 20, "the demo newsroom has feeds for many people and companies"
    link_status = {}
    for outline in listed:
        rss_path = local(outline["xmlUrl"])
        language = rss_path.split("/")[2]
        assert outline["language"] == language
        rss, atom = fetch(client, rss_path), fetch(client, sibling(rss_path, "atom"))
        for feed in (rss, atom):
            assert not feed.bozo, (rss_path, feed.get("bozo_exception"))
            assert feed.feed.language == language
            assert feed.entries, f"{rss_path} is listed, so it has something published"
            for entry in feed.entries:
                assert entry.id.startswith("tag:"), entry.id
                assert entry.published_parsed and entry.updated_parsed
                assert entry.author
                if entry.link not in link_status:
                    link_status[entry.link] = client.get(local(entry.link)).status_code
                assert link_status[entry.link] == 200, entry.link
        assert rss.version == "rss20" and atom.version == "atom10"
        assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
        assert [e.title for e in rss.entries] == [e.title for e in atom.entries]
        assert [e.link for e in rss.entries] == [e.link for e in atom.entries]
        assert [e.author for e in rss.entries] == [e.author for e in atom.entries]
        json_path = sibling(rss_path, "json")
        data = fetch_json(client, json_path)
        check_json_feed(data, url=settings.SITE_URL + json_path, language=language)
        assert [item["id"] for item in data["items"]] == [e.id for e in rss.entries]
        assert [item["title"] for item in data["items"]] == [e.title for e in rss.entries]
    assert link_status and set(link_status.values()) == {200}


# --- what an item carries ---------------------------------------------------------------


def test_items_carry_content_categories_authors_and_the_lead_image(client, users):
    lei_jun, yingwei = Person.objects.get(slug="lei-jun"), Person.objects.get(slug="yingwei-fu")
    image = png_image("feed content test")
    article = published_article(
        users,
        title="Two bylines & a <relative> link",
        standfirst="Tom & Jerry's <standfirst>",
        body='<p>See <a href="/people/lei-jun/">Lei Jun</a>.</p><p><img src="/media/x.png" '
        'alt="x"></p><p><a href="https://example.org/">elsewhere</a></p>',
        authors=[lei_jun, yingwei],
        people=[lei_jun],
        companies=[Company.objects.get(slug="xiaomi")],
        sections=[Section.objects.get(name="Technology")],
        lead_image=image,
    )
    guid = f"tag:127.0.0.1,{article.first_published_at.date().isoformat()}:article:{article.pk}"
    rss = entry_for(fetch(client, feed_path("en", "rss")), guid)
    atom = entry_for(fetch(client, feed_path("en", "atom")), guid)
    for entry in (rss, atom):
        assert entry is not None
        assert entry.title == "Two bylines & a <relative> link"
        assert [a.get("name") for a in entry.authors] == ["Lei Jun", "Yingwei Fu"]
        assert {"Technology", "Lei Jun", "Xiaomi Group"} <= {tag.term for tag in entry.tags}
        content = entry.content[0].value
        assert f'href="{settings.SITE_URL}/people/lei-jun/"' in content
        assert f'src="{settings.SITE_URL}/media/x.png"' in content
        assert 'href="https://example.org/"' in content
        assert entry.summary == "Tom &amp; Jerry's &lt;standfirst&gt;"
        (enclosure,) = entry.enclosures
        assert enclosure.href == settings.SITE_URL + image.file.url
        assert int(enclosure.length) == image.file.size > 0
        assert enclosure.type == "image/png"
        (media,) = entry.media_content
        assert media["url"] == enclosure.href and media["medium"] == "image"
        assert int(media["filesize"]) == image.file.size
        assert (media["width"], media["height"]) == ("1200", "675")
    assert [a["href"] for a in atom.authors] == [
        f"{settings.SITE_URL}/people/lei-jun/",
        f"{settings.SITE_URL}/people/yingwei-fu/",
    ]
    item = next(i for i in fetch_json(client, feed_path("en", "json"))["items"] if i["id"] == guid)
    assert item["title"] == "Two bylines & a <relative> link"
    assert item["summary"] == "Tom & Jerry's <standfirst>"
    assert [a["name"] for a in item["authors"]] == ["Lei Jun", "Yingwei Fu"]
    assert item["image"] == settings.SITE_URL + image.file.url
    assert item["attachments"] == [
        {
            "url": settings.SITE_URL + image.file.url,
            "mime_type": "image/png",
            "title": image.alt_text,
            "size_in_bytes": image.file.size,
        }
    ]
    assert f'href="{settings.SITE_URL}/people/lei-jun/"' in item["content_html"]
