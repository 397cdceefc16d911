"""Feed generators: RSS 2.0, Atom 1.0 and JSON Feed 1.1, written from the item data that
the Feed classes in `articles.syndication.feeds` gather.

Like `django.utils.feedgenerator`, which they extend, they only write: nothing here queries
the database. Django's generators write one author and a summary; ours also write every
author, the full body, the lead image as `media:content` and when an item was updated.
"""

import json
from dataclasses import dataclass

from django.utils import feedgenerator

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class FeedImage:
    """An item's lead image, as every format writes it (absolute URL, size known or not)."""

    url: str
    mime_type: str
    length: int | None
    width: int | None
    height: int | None
    alt_text: str
    credit: str


def write_media_content(handler, image: FeedImage | None) -> None:
    """The image as Media RSS, which readers show even when its size (which an RSS
    enclosure requires) is unknown, with the alt text and credit an enclosure cannot carry."""
    if image is None:
        return
    attrs = {"url": image.url, "type": image.mime_type, "medium": "image"}
    if image.length is not None:
        attrs["fileSize"] = str(image.length)
    if image.width and image.height:
        attrs["width"], attrs["height"] = str(image.width), str(image.height)
    handler.startElement("media:content", attrs)
    if image.alt_text:
        handler.addQuickElement("media:description", image.alt_text, {"type": "plain"})
    if image.credit:
        handler.addQuickElement("media:credit", image.credit)
    handler.endElement("media:content")


def write_hub_links(handler, feed: dict, element: str) -> None:
    """A `rel="hub"` link per WebSub hub (the feed-level `hubs`, empty without one); the
    base generators already write `rel="self"`."""
    for hub in feed.get("hubs") or ():
        handler.addQuickElement(element, None, {"rel": "hub", "href": hub})


def without_single_author(item: dict) -> dict:
    # The base generators write one author; ours write them all.
    return {**item, "author_name": None, "author_email": None, "author_link": None}


class NewsroomRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with every author (`dc:creator`), the full body (`content:encoded`), when an
    item was updated and its lead image.

    Besides Django's item keys, every item carries `authors` (name, link or None),
    `content_html`, `summary` (plain text), `image` (a FeedImage or None) and `language`;
    the feed itself may carry `hubs`, the WebSub hubs it advertises.
    """

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        write_hub_links(handler, self.feed, "atom:link")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, without_single_author(item))
        for name, _link in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        write_media_content(handler, item["image"])


class NewsroomAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with every author, the full body and the lead image; items as for RSS."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        write_hub_links(handler, self.feed, "link")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, without_single_author(item))
        for name, link in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        write_media_content(handler, item["image"])


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), fed by the same hooks."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":")))

    def as_dict(self) -> dict:
        feed = self.feed
        data = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "hubs": [{"type": "WebSub", "url": hub} for hub in feed.get("hubs") or ()] or None,
            "items": [self.item_dict(item) for item in self.items],
        }
        return {key: value for key, value in data.items() if value is not None}

    def item_dict(self, item: dict) -> dict:
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"] or item["description"] or "",
            "summary": item["summary"] or None,
            "date_published": item["pubdate"] and item["pubdate"].isoformat(),
            "date_modified": item["updateddate"] and item["updateddate"].isoformat(),
            "authors": [
                {key: value for key, value in (("name", name), ("url", link)) if value}
                for name, link in item["authors"]
            ],
            "tags": list(item["categories"]) or None,
            "language": item["language"],
        }
        image = item["image"]
        if image is not None:
            data["image"] = image.url
            attachment = {"url": image.url, "mime_type": image.mime_type}
            if image.alt_text:
                attachment["title"] = image.alt_text
            if image.length is not None:
                attachment["size_in_bytes"] = image.length
            data["attachments"] = [attachment]
        return {key: value for key, value in data.items() if value is not None}
