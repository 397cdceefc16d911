"""Feeds for subscribers: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Every feed is one *subject* (a language, or a person, company, story thread or section
within a language) rendered in one *format*. The Feed classes subclass Django's
syndication framework and implement its hooks; the feed generators add what Django's
do not write (full content, several authors, `media:content`, `atom:updated`).

Feeds are cheap to poll: a conditional GET is answered from two aggregate queries,
before a single article is loaded (see `FeedStamp`).
"""

import datetime
import hashlib
import html
import json
import logging
import mimetypes
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, Max, Model, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import feedgenerator, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import condition

from articles.models import Article, Image, Section, Storyline
from articles.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from articles.site.navigation import (
    activate_page_language,
    language_links,
    page_language,
    with_language,
)
from newsroom.languages import language_codes, language_name
from newsroom.site import absolute_url
from people.models import Company, Person

logger = logging.getLogger(__name__)

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

# Bump when the rendering changes, so every cached copy of every feed is refetched once.
FEED_RENDERING = "1"

# What a CDN and a feed reader may do with a feed: keep it for a few minutes, serve a
# stale copy while fetching a new one, and keep serving it for a day if we are down.
CACHE_MAX_AGE = 300
CACHE_STALE_WHILE_REVALIDATE = 600
CACHE_STALE_IF_ERROR = 86400

# A file's size never changes under the same name (uploads get new names), so a size
# read from storage once is good for a long time; the key also carries the row's
# creation time, so a re-used name on a rebuilt database is not mistaken for the old one.
IMAGE_SIZE_CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class FeedFormat:
    key: str
    filename: str
    media_type: str
    label: str


FORMATS = {
    "rss": FeedFormat("rss", "rss.xml", "application/rss+xml", "RSS"),
    "atom": FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom"),
    "json": FeedFormat("json", "feed.json", "application/feed+json", "JSON Feed"),
}


@dataclass(frozen=True)
class FeedKind:
    key: str  # the URL segment
    model: type[Model]
    label: str
    description: str  # %(name)s is the subject's name


KINDS = {
    "people": FeedKind(
        "people", Person, gettext_lazy("People"), gettext_lazy("Stories about %(name)s")
    ),
    "companies": FeedKind(
        "companies", Company, gettext_lazy("Companies"), gettext_lazy("Stories about %(name)s")
    ),
    "stories": FeedKind(
        "stories",
        Storyline,
        gettext_lazy("Story threads"),
        gettext_lazy("The story thread “%(name)s”, as it develops"),
    ),
    "sections": FeedKind(
        "sections",
        Section,
        gettext_lazy("Sections"),
        gettext_lazy("Stories in the %(name)s section"),
    ),
}


def feed_url(fmt: str, language: str, kind: str | None = None, slug: str | None = None) -> str:
    """The absolute URL of one feed."""
    kwargs = {"language": language}
    if kind:
        kwargs.update(kind=kind, slug=slug)
    return absolute_url(reverse(f"feeds:{fmt}", kwargs=kwargs))


# ---------------------------------------------------------------------------------------
# Subjects: what a feed is about, and which articles belong to it


@dataclass(frozen=True)
class FeedSubject:
    """A language, or a person/company/story thread/section within a language."""

    language: str
    kind: str | None = None
    obj: Model | None = None

    @property
    def name(self) -> str:
        if self.obj is None:
            return _("All stories")
        return getattr(self.obj, "name", None) or getattr(self.obj, "title", str(self.obj))

    @property
    def slug(self) -> str | None:
        return self.obj.slug if self.obj is not None else None

    def title(self) -> str:
        language = language_name(self.language)
        if self.obj is None:
            return f"{settings.SITE_NAME} ({language})"
        return f"{settings.SITE_NAME}: {self.name} ({language})"

    def description(self) -> str:
        if self.obj is None:
            return _("Every story published in %(language)s") % {
                "language": language_name(self.language)
            }
        return str(KINDS[self.kind].description) % {"name": self.name}

    def html_url(self) -> str:
        """The public page the feed follows, in the feed's language: a section's is the
        article list filtered by that section."""
        from articles.site.navigation import with_language

        if self.obj is None:
            return absolute_url(reverse("articles:front", kwargs={"language": self.language}))
        if self.kind == "sections":
            path = with_language(reverse("articles:list"), self.language, {"section": self.slug})
            return absolute_url(path)
        return absolute_url(with_language(self.obj.get_absolute_url(), self.language))

    def url(self, fmt: str) -> str:
        return feed_url(fmt, self.language, self.kind, self.slug)

    def links(self) -> list[tuple[FeedFormat, str]]:
        return [(fmt, self.url(fmt.key)) for fmt in FORMATS.values()]

    @property
    def key(self) -> str:
        """Unique among feeds of one format, fit for an HTML id: "nl", "nl-people-lei-jun"."""
        return "-".join(part for part in (self.language, self.kind, self.slug) if part)

    def scope(self, articles: QuerySet) -> QuerySet:
        """Narrow `articles` to this feed's language and subject."""
        articles = articles.filter(language=self.language)
        if self.kind == "people":
            return articles.about_person(self.obj)
        if self.kind == "companies":
            return articles.about_company(self.obj)
        if self.kind == "stories":
            return articles.filter(storyline_entries__storyline=self.obj)
        if self.kind == "sections":
            return articles.filter(sections=self.obj)
        return articles

    def stamp(self) -> "FeedStamp":
        """The feed's validators, from two aggregate queries (no article is loaded)."""
        visible = self.scope(Article.objects.published()).aggregate(
            count=Count("pk"), latest_published=Max("published_at"), latest_edit=Max("updated_at")
        )
        # Articles that were public once: unpublishing one touches its updated_at, so a
        # reader that only sends If-Modified-Since still learns that an item went away.
        touched = self.scope(Article.objects.filter(first_published_at__isnull=False)).aggregate(
            latest=Max("updated_at")
        )
        return FeedStamp(
            subject_key=f"{self.language}/{self.kind or ''}/{self.obj.pk if self.obj else ''}",
            subject_changed=getattr(self.obj, "updated_at", None),
            count=visible["count"],
            latest_published=visible["latest_published"],
            latest_edit=visible["latest_edit"],
            latest_touch=touched["latest"],
        )


def resolve_subject(language: str, kind: str | None = None, slug: str | None = None):
    """The subject named by a feed URL, or a 404 that says what was not found."""
    if language not in language_codes():
        raise Http404(f"We do not publish in “{language}”, so there is no feed for it.")
    if kind is None:
        return FeedSubject(language=language)
    feed_kind = KINDS.get(kind)
    if feed_kind is None:
        raise Http404(f"There are no feeds of “{kind}”.")
    obj = get_object_or_404(feed_kind.model, slug=slug)
    return FeedSubject(language=language, kind=kind, obj=obj)


@dataclass(frozen=True)
class FeedStamp:
    """Enough to tell whether a feed changed, without rendering it.

    A scheduled article becomes visible when its time comes, with no write to the
    database: the count and the latest visible publish time change then, and so do
    the validators.
    """

    subject_key: str
    subject_changed: datetime.datetime | None
    count: int
    latest_published: datetime.datetime | None
    latest_edit: datetime.datetime | None
    latest_touch: datetime.datetime | None

    def etag(self, fmt: str) -> str:
        parts = [
            FEED_RENDERING,
            fmt,
            self.subject_key,
            self.count,
            *(
                value.isoformat() if value else "-"
                for value in (
                    self.subject_changed,
                    self.latest_published,
                    self.latest_edit,
                    self.latest_touch,
                )
            ),
        ]
        digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        return f'"{digest}"'

    @property
    def last_modified(self) -> datetime.datetime | None:
        moments = [
            moment
            for moment in (
                self.subject_changed,
                self.latest_published,
                self.latest_edit,
                self.latest_touch,
            )
            if moment is not None
        ]
        return max(moments) if moments else None


# ---------------------------------------------------------------------------------------
# Item data that the generators write


@dataclass(frozen=True)
class FeedImage:
    url: str
    mime_type: str
    length: int | None
    width: int | None
    height: int | None
    alt_text: str
    credit: str


def image_byte_sizes(images: list[Image]) -> dict[int, int]:
    """The size in bytes of each image file: from the cache, else read from storage once.

    One cache round trip for the whole feed; storage is asked only about files it has
    not been asked about before.
    """
    keys = {
        image.pk: (
            f"feeds:image-bytes:{image.pk}:{image.created_at.timestamp():.6f}:{image.file.name}"
        )
        for image in images
        if image.file
    }
    cached = cache.get_many(list(keys.values()))
    sizes, fresh = {}, {}
    for image in images:
        key = keys.get(image.pk)
        if key is None:
            continue
        if key in cached:
            sizes[image.pk] = cached[key]
            continue
        try:
            size = image.file.storage.size(image.file.name)
        except (OSError, ValueError):
            logger.warning("Lead image %s: file %r is missing", image.pk, image.file.name)
            continue
        sizes[image.pk] = fresh[key] = size
    if fresh:
        cache.set_many(fresh, timeout=IMAGE_SIZE_CACHE_SECONDS)
    return sizes


def feed_image(image: Image | None, sizes: dict[int, int]) -> FeedImage | None:
    if image is None or not image.file:
        return None
    return FeedImage(
        url=absolute_url(image.file.url),
        mime_type=mimetypes.guess_type(image.file.name)[0] or "application/octet-stream",
        length=sizes.get(image.pk),
        width=image.width,
        height=image.height,
        alt_text=image.alt_text,
        credit=image.credit,
    )


def absolute_body(body: str, base: str) -> str:
    """The article body with every link and image made absolute, for readers elsewhere.

    Bodies are sanitised on save; cleaning again with the same policy costs little and
    gives us the attribute hook to rewrite relative URLs against the article's URL.
    """

    def rewrite(tag: str, attribute: str, value: str) -> str:
        if attribute in {"href", "src", "cite"}:
            return urljoin(base, value)
        return value

    return nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=rewrite,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def article_guid(article: Article) -> str:
    """A tag: URI (RFC 4151) that outlives retitles, new slugs and edits.

    Built from the site's host, the day the article first went public and its primary
    key; none of these change when the words or the URL do.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    first = article.first_published_at or article.published_at or article.created_at
    return f"tag:{host},{first.date().isoformat()}:article:{article.pk}"


# ---------------------------------------------------------------------------------------
# Generators: Django's, plus full content, several authors, media:content, updated


def write_media_content(handler, image: "FeedImage | None") -> None:
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


def without_single_author(item: dict) -> dict:
    # The base generators write one author; ours write them all.
    return {**item, "author_name": None, "author_email": None, "author_link": None}


class NewsroomRssFeed(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

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
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

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


# ---------------------------------------------------------------------------------------
# The feeds


class ArticleFeed(Feed):
    """RSS 2.0 of a subject's published articles; the other formats change `feed_type`."""

    feed_type = NewsroomRssFeed
    format = "rss"
    max_items = 50

    def __call__(self, request, language, kind=None, slug=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        subject = self.get_object(request, language, kind, slug)
        stamp = subject.stamp()

        # A matching conditional GET is answered here, before any article is loaded.
        @condition(
            etag_func=lambda request: stamp.etag(self.format),
            last_modified_func=lambda request: stamp.last_modified,
        )
        def respond(request):
            with translation.override(subject.language):
                generator = self.get_feed(subject, request)
            response = HttpResponse(content_type=generator.content_type)
            generator.write(response, "utf-8")
            return response

        response = respond(request)
        # The feed's language, not the default one that is active again after the view.
        response["Content-Language"] = subject.language
        patch_cache_control(
            response,
            public=True,
            max_age=CACHE_MAX_AGE,
            stale_while_revalidate=CACHE_STALE_WHILE_REVALIDATE,
            stale_if_error=CACHE_STALE_IF_ERROR,
        )
        return response

    # Feed-level hooks

    def get_object(self, request, language, kind=None, slug=None) -> FeedSubject:
        return resolve_subject(language, kind, slug)

    def title(self, subject: FeedSubject) -> str:
        return subject.title()

    def description(self, subject: FeedSubject) -> str:
        return subject.description()

    def subtitle(self, subject: FeedSubject) -> str:
        return subject.description()

    def link(self, subject: FeedSubject) -> str:
        return subject.html_url()

    def feed_url(self, subject: FeedSubject) -> str:
        return subject.url(self.format)

    def feed_guid(self, subject: FeedSubject) -> str:
        # Atom's feed id: one per language and subject (the HTML page is shared).
        return subject.url("atom")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def author_link(self) -> str:
        return absolute_url("/")

    def items(self, subject: FeedSubject) -> list[Article]:
        articles = list(
            subject.scope(Article.objects.published())
            .with_list_data()
            .prefetch_related("people", "companies")
            .order_by("-published_at", "-pk")[: self.max_items]
        )
        images = [a.lead_image for a in articles if a.lead_image is not None]
        sizes = image_byte_sizes(list({image.pk: image for image in images}.values()))
        for article in articles:
            article.feed_image = feed_image(article.lead_image, sizes)
        return articles

    # Item hooks

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        # The standfirst is plain text; RSS descriptions and Atom summaries are HTML.
        return html.escape(article.standfirst, quote=False)

    def item_link(self, article: Article) -> str:
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return article_guid(article)

    def item_guid_is_permalink(self, article: Article) -> bool:
        return False

    def item_author_name(self, article: Article) -> str:
        return ", ".join(name for name, _link in self.item_authors(article))

    def item_authors(self, article: Article) -> list[tuple[str, str | None]]:
        """The byline people; else the byline note; else the site."""
        people = [
            (person.name, absolute_url(person.get_absolute_url()))
            for person in article.authors.all()
        ]
        if people:
            return people
        if article.byline_note:
            return [(article.byline_note, None)]
        return [(settings.SITE_NAME, absolute_url("/"))]

    def item_pubdate(self, article: Article) -> datetime.datetime:
        return article.published_at

    def item_updateddate(self, article: Article) -> datetime.datetime:
        # A scheduled article is saved before it goes public; it is not older than that.
        return max(article.updated_at, article.published_at)

    def item_categories(self, article: Article) -> list[str]:
        names = [
            *(section.name for section in article.sections.all()),
            *(person.name for person in article.people.all()),
            *(company.name for company in article.companies.all()),
        ]
        return list(dict.fromkeys(names))

    def item_enclosures(self, article: Article) -> list[feedgenerator.Enclosure]:
        image = article.feed_image
        if image is None or image.length is None:
            return []  # RSS requires the length; media:content still carries the image
        return [feedgenerator.Enclosure(image.url, str(image.length), image.mime_type)]

    def item_extra_kwargs(self, article: Article) -> dict:
        link = self.item_link(article)
        return {
            "authors": self.item_authors(article),
            "content_html": absolute_body(article.body, link),
            "summary": article.standfirst,
            "image": article.feed_image,
            "language": article.language,
        }


class AtomArticleFeed(ArticleFeed):
    feed_type = NewsroomAtomFeed
    format = "atom"


class JsonArticleFeed(ArticleFeed):
    feed_type = JsonFeed
    format = "json"


# ---------------------------------------------------------------------------------------
# The catalogue of feeds: the subscribe page and OPML


@dataclass
class FeedGroup:
    kind: FeedKind
    subjects: list[FeedSubject] = field(default_factory=list)


@dataclass
class LanguageFeeds:
    language: str
    name: str
    everything: FeedSubject
    groups: list[FeedGroup]

    @property
    def subjects(self) -> list[FeedSubject]:
        return [self.everything, *(s for group in self.groups for s in group.subjects)]


def feed_catalogue(languages: list[str]) -> list[LanguageFeeds]:
    """Every feed worth subscribing to: each language's, and each person, company, story
    thread and section with something published in that language. A fixed number of
    queries (two per kind at most), however many feeds there are."""
    published = Article.objects.published().filter(language__in=languages).order_by()
    pairs = {
        "people": {
            *published.filter(people__isnull=False).values_list("language", "people"),
            *published.filter(authors__isnull=False).values_list("language", "authors"),
        },
        "companies": set(
            published.filter(companies__isnull=False).values_list("language", "companies")
        ),
        "stories": set(
            published.filter(storyline_entries__isnull=False).values_list(
                "language", "storyline_entries__storyline"
            )
        ),
        "sections": set(
            published.filter(sections__isnull=False).values_list("language", "sections")
        ),
    }
    objects = {
        key: {
            obj.pk: obj
            for obj in KINDS[key].model.objects.filter(pk__in={pk for _lang, pk in pairs[key]})
        }
        for key in KINDS
    }
    catalogue = []
    for language in languages:
        groups = []
        for key, kind in KINDS.items():
            found = [objects[key][pk] for lang, pk in pairs[key] if lang == language]
            found.sort(key=lambda obj: str(getattr(obj, "name", None) or obj.title).casefold())
            subjects = [FeedSubject(language=language, kind=key, obj=obj) for obj in found]
            groups.append(FeedGroup(kind=kind, subjects=subjects))
        catalogue.append(
            LanguageFeeds(
                language=language,
                name=language_name(language),
                everything=FeedSubject(language=language),
                groups=groups,
            )
        )
    return catalogue


def cache_briefly(response: HttpResponse) -> HttpResponse:
    patch_cache_control(
        response,
        public=True,
        max_age=CACHE_MAX_AGE,
        stale_while_revalidate=CACHE_STALE_WHILE_REVALIDATE,
    )
    return response


def subscribe(request):
    """The subscribe page: every feed, grouped by language and kind, with URLs to copy.

    In the default language unless `?lang=` names another, like every public page
    without a language prefix."""
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    urls = {code: with_language(request.path, code) for code in language_codes()}
    return render(
        request,
        "feeds/index.html",
        {
            "catalogue": feed_catalogue(language_codes()),
            "page_language": language,
            "language_links": language_links(language, urls),
        },
    )


def opml(request):
    """An OPML 2.0 list of every RSS feed (or one language's, with ?lang=nl)."""
    requested = request.GET.get("lang", "").strip()
    if requested and requested not in language_codes():
        return HttpResponseBadRequest(
            f"Unknown language “{requested}”. Use one of: {', '.join(language_codes())}; "
            "or leave out ?lang= for every language.\n",
            content_type="text/plain; charset=utf-8",
        )
    languages = [requested] if requested else language_codes()
    catalogue = feed_catalogue(languages)
    response = HttpResponse(content_type="text/x-opml; charset=utf-8")
    filename = f"newsroom-feeds{'-' + requested if requested else ''}.opml"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    write_opml(response, catalogue)
    # The same for every reader (each language's group is written in that language),
    # so a CDN may keep it.
    return cache_briefly(response)


def write_opml(outfile, catalogue: list[LanguageFeeds]) -> None:
    handler = SimplerXMLGenerator(outfile, "utf-8", short_empty_elements=True)
    handler.startDocument()
    handler.startElement("opml", {"version": "2.0"})
    handler.startElement("head", {})
    with translation.override(settings.LANGUAGE_CODE):
        handler.addQuickElement("title", _("%(site)s feeds") % {"site": settings.SITE_NAME})
    handler.addQuickElement("dateCreated", feedgenerator.rfc2822_date(timezone.now()))
    handler.addQuickElement("ownerName", settings.SITE_NAME)
    handler.addQuickElement("docs", "http://opml.org/spec2.opml")
    handler.endElement("head")
    handler.startElement("body", {})
    for entry in catalogue:
        with translation.override(entry.language):
            write_opml_language(handler, entry)
    handler.endElement("body")
    handler.endElement("opml")


def write_opml_language(handler, entry: LanguageFeeds) -> None:
    handler.startElement("outline", {"text": entry.name, "title": entry.name})
    write_opml_feed(handler, entry.everything)
    for group in entry.groups:
        if not group.subjects:
            continue
        label = str(group.kind.label)
        handler.startElement("outline", {"text": label, "title": label})
        for subject in group.subjects:
            write_opml_feed(handler, subject)
        handler.endElement("outline")
    handler.endElement("outline")


def write_opml_feed(handler, subject: FeedSubject) -> None:
    title = subject.title()
    handler.addQuickElement(
        "outline",
        None,
        {
            "type": "rss",
            "version": "RSS2",
            "text": title,
            "title": title,
            "xmlUrl": subject.url("rss"),
            "htmlUrl": subject.html_url(),
            "language": subject.language,
            "description": subject.description(),
        },
    )
