"""Feeds for subscribers: what each feed is about, and Django `Feed` classes that fill it.

Every feed is one *subject* (a language, or a person, company, story thread or section
within a language) in one *format* (RSS, Atom, JSON Feed). `resolve_subject` turns a feed
URL into a subject, `FeedSubject.scope` picks its articles, and the Feed classes implement
Django's syndication hooks for them; subjects live in `subjects`, and the generators in
`feedgenerators` write the result.

Feeds are cheap to poll: a conditional GET is answered from the subject's stamp
(`subjects.FeedStamp`) before a single article is loaded.
"""

import datetime
import html
import logging
import mimetypes
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import feedgenerator, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from articles.models import Article, Image
from articles.sanitise import sanitise_html
from articles.syndication import websub
from articles.syndication.feedgenerators import (
    FeedImage,
    JsonFeed,
    NewsroomAtomFeed,
    NewsroomRssFeed,
)
from articles.syndication.subjects import (
    CACHE_MAX_AGE,
    CACHE_STALE_IF_ERROR,
    CACHE_STALE_WHILE_REVALIDATE,
    FeedSubject,
    resolve_subject,
)
from newsroom import pagecache
from newsroom.site import absolute_url

logger = logging.getLogger(__name__)

# A file's size never changes under the same name (uploads get new names), so a size
# read from storage once is good for a long time; the key also carries the row's
# creation time, so a re-used name on a rebuilt database is not mistaken for the old one.
IMAGE_SIZE_CACHE_SECONDS = 30 * 24 * 3600


# ---------------------------------------------------------------------------------------
# Item data that the generators write


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
    gives us its attribute hook to rewrite relative URLs against the article's URL.
    """

    def rewrite(tag: str, attribute: str, value: str) -> str:
        if attribute in {"href", "src", "cite"}:
            return urljoin(base, value)
        return value

    return sanitise_html(body, attribute_filter=rewrite)


def article_guid(article: Article) -> str:
    """A tag: URI (RFC 4151) that outlives retitles, new slugs and edits.

    Built from the site's host, the day the article first went public and its primary
    key; none of these change when the words or the URL do.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    first = article.first_published_at or article.published_at or article.created_at
    return f"tag:{host},{first.date().isoformat()}:article:{article.pk}"


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
        pagecache.tag(request, *subject.cache_tags())
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
        # WebSub discovery in the headers too, for subscribers that read no further; the
        # page cache keeps it with the rest of the response.
        if link := websub.link_header(subject.url(self.format)):
            response["Link"] = link
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

    def feed_extra_kwargs(self, subject: FeedSubject) -> dict:
        return {"hubs": websub.hub_urls()}

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
            *(section.translated("name", article.language) for section in article.sections.all()),
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
