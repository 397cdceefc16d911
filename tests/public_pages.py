"""Helpers for tests of the public pages: which pages exist, and what a page's HTML says.

`sitemap_urls()` reads the pages the way a search engine finds them: /sitemap.xml and the
sitemaps it lists. `public_urls()` finds them on its own terms (the published articles and
what they link to, not through the code under test), so the two check each other.
"""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode

from articles.models import Article, StorylineEntry
from newsroom.languages import language_codes
from people.models import Position


def _in_language(path: str, code: str, filters: dict | None = None) -> str:
    query = dict(filters or {})
    if code != language_codes()[0]:
        query["lang"] = code
    return f"{path}?{urlencode(query)}" if query else path


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client) -> list[str]:
    """Every page listed by the sitemap index's sitemaps, as paths for the test client."""
    import xml.etree.ElementTree as ET

    from django.conf import settings

    def local(url: str) -> str:
        assert url.startswith(settings.SITE_URL), url
        return url[len(settings.SITE_URL) :] or "/"

    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for sitemap in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        document = ET.fromstring(client.get(local(sitemap.text)).content)
        urls += [local(loc.text) for loc in document.findall("sm:url/sm:loc", SITEMAP_NS)]
    return list(dict.fromkeys(urls))


def public_urls() -> list[str]:
    """Every public page of the published site: front pages, articles, lists, and the
    pages of the threads, people and companies published articles lead to, in each
    language."""
    codes = language_codes()
    published = list(
        Article.objects.published().prefetch_related(
            "people", "companies", "authors", "quotes__speaker"
        )
    )
    urls = ["/", *(f"/{code}/" for code in codes)]
    urls += [article.get_absolute_url() for article in published]
    lists = [{}, *({"language": code} for code in codes)]

    people, companies = {}, {}
    for article in published:
        for person in [*article.people.all(), *article.authors.all()]:
            people[person.slug] = person
        for quote in article.quotes.all():
            people[quote.speaker.slug] = quote.speaker
        for company in article.companies.all():
            companies[company.slug] = company
    for position in Position.objects.filter(sources__in=published).select_related(
        "person", "company", "successor"
    ):
        people[position.person.slug] = position.person
        companies[position.company.slug] = position.company
        if position.successor:
            people[position.successor.slug] = position.successor
    storylines = {
        entry.storyline.slug: entry.storyline
        for entry in StorylineEntry.objects.filter(article__in=published).select_related(
            "storyline"
        )
    }
    for entity in [*people.values(), *companies.values(), *storylines.values()]:
        urls += [_in_language(entity.get_absolute_url(), code) for code in codes]
    lists += [{"person": slug} for slug in list(people)[:2]]
    lists += [{"company": slug} for slug in list(companies)[:2]]
    for filters in lists:
        urls += [_in_language("/articles/", code, filters) for code in codes]
    return list(dict.fromkeys(urls))


class Page(HTMLParser):
    """What a test needs to know about a page's HTML, read with the standard library."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.canonical: list[str] = []
        self.alternates: list[tuple[str, str]] = []
        self.json_ld_raw: list[str] = []
        self.images: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.headings: list[int] = []
        self.tags: set[str] = set()
        self.links: list[dict] = []
        self.lang_attrs: list[tuple[str, str]] = []
        self.text_parts: list[str] = []
        self._in_json_ld = False

    @classmethod
    def of(cls, response) -> "Page":
        page = cls()
        page.feed(response.content.decode())
        page.close()
        return page

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.add(tag)
        if "lang" in attrs:
            self.lang_attrs.append((tag, attrs["lang"]))
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href", ""))
        elif (
            tag == "link"
            and attrs.get("rel") == "alternate"
            and "hreflang" in attrs
            and "type" not in attrs  # feed autodiscovery links carry a type; pages do not
        ):
            self.alternates.append((attrs["hreflang"], attrs.get("href", "")))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld_raw.append("")
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld_raw[-1] += data
        else:
            self.text_parts.append(data)

    @property
    def json_ld(self) -> list[dict]:
        """Every JSON-LD object on the page (lists flattened)."""
        found = []
        for raw in self.json_ld_raw:
            data = json.loads(raw)
            found.extend(data if isinstance(data, list) else [data])
        return found

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def first_meta(self, key: str) -> str | None:
        values = self.meta.get(key)
        return values[0] if values else None
