"""Helpers for the syndication tests: feeds read as a reader reads them (over HTTP, through
the test client, parsed with feedparser), and articles published as the desk would."""

import json
import xml.etree.ElementTree as ET

import feedparser
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify

from articles import workflow
from articles.demo import banner_png
from articles.models import Article, Image, StorylineEntry

FORMATS = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


def local(url: str) -> str:
    """The path of an absolute public-site URL, to request it through the test client."""
    assert url.startswith(settings.SITE_URL + "/"), url
    return url[len(settings.SITE_URL) :]


def feed_path(language: str, fmt: str, kind: str | None = None, slug: str | None = None) -> str:
    middle = f"{kind}/{slug}/" if kind else ""
    return f"/feeds/{language}/{middle}{FORMATS[fmt]}"


def sibling(path: str, fmt: str) -> str:
    """The same feed in another format."""
    return path.rsplit("/", 1)[0] + "/" + FORMATS[fmt]


def parse(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )


def fetch(client, path: str):
    return parse(client.get(path))


def fetch_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


def guids(client, path: str) -> list[str]:
    return [entry.id for entry in fetch(client, path).entries]


def opml_feeds(client, query: str = "") -> list[dict]:
    """Every <outline type="rss"> of /feeds.opml, with the language of its group."""
    response = client.get("/feeds.opml" + query)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    found = []
    for group in root.find("body"):
        for outline in group.iter("outline"):
            if outline.get("type") == "rss":
                found.append({**outline.attrib, "group": group.get("text")})
    return found


def png_image(name: str) -> Image:
    image = Image(alt_text=f"Banner {name}", credit="Newsroom")
    image.file.save(f"{slugify(name)}.png", ContentFile(banner_png(name, (30, 90, 160))))
    return image


def published_article(users, *, title: str, language: str = "en", at=None, **relations):
    """A new article, through the workflow, as the desk would publish it."""
    article = Article(
        language=language,
        title=title,
        slug=slugify(title),
        standfirst=relations.pop("standfirst", f"What happened: {title}."),
        body=relations.pop("body", f"<p>{title}.</p>"),
        owner=users["writer"],
        byline_note=relations.pop("byline_note", "Newsroom staff"),
        lead_image=relations.pop("lead_image", None),
    )
    article.full_clean()
    article.save()
    for name in ("authors", "people", "companies", "sections"):
        if name in relations:
            getattr(article, name).set(relations[name])
    for storyline in relations.get("storylines", []):
        StorylineEntry.objects.create(storyline=storyline, article=article)
    workflow.submit_for_review(article, user=users["writer"])
    workflow.approve(article, user=users["editor"])
    workflow.publish(article, user=users["editor"], at=at)
    return article


def entry_for(feed, guid: str):
    return next((entry for entry in feed.entries if entry.id == guid), None)
