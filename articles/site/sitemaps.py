"""Sitemaps for search engines, the Google News sitemap and robots.txt.

`/sitemap.xml` is a sitemap index pointing at one sitemap per section (front pages,
articles, story threads, people, companies), so each section pages on its own as it grows
past a sitemap's size limit. `/sitemap-news.xml` lists what was published in the last two
days, and `/robots.txt` points at both.

Absolute URLs come from `settings.SITE_URL`, not from the request's Host header and not from
django.contrib.sites: the site has one public address, set in the environment like every
other setting, and a crawler or a cache should never see a URL built from whatever host a
request happened to use.

Everything starts from `Article.objects.published()`; people, companies and story threads
are listed when a published article links to them.

Every request costs the same whatever the archive's size: a section pages by primary key
range (`KeyRangePaginator`: no COUNT, no OFFSET, the last page as cheap as the first), a
page's hreflang alternates come in one query, and the index's dates are single rows off
an index, not aggregates over the archive.
"""

import datetime
import math
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_control

from articles.models import Article, Storyline
from articles.site.caching import model_tag, public_page
from articles.site.navigation import (
    front_url,
    x_default_version,
)
from newsroom import pagecache
from newsroom.languages import language_codes
from newsroom.site import absolute_url
from people.models import Company, Person

SITEMAP_MAX_AGE = 60 * 60
NEWS_MAX_AGE = 5 * 60
ROBOTS_MAX_AGE = 24 * 60 * 60
NEWS_WINDOW = datetime.timedelta(days=2)
# URLs per section page, well under the protocol's 50,000: every article URL carries its
# hreflang alternates, and a page is built in one request (~0.2 ms a URL, most of it
# reversing URLs and rendering the template).
PAGE_SIZE = 1000


def _later(*moments):
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def hreflang_alternates(versions: list[Article]) -> list[dict]:
    """hreflang links for one story: every published version, plus x-default.

    The same list for every version of the story, so the links are reciprocal. Empty for a
    story with one version: there is nothing to point to.
    """
    if len(versions) < 2:
        return []
    versions = sorted(versions, key=lambda v: v.language)
    links = [
        {"lang_code": v.language, "location": absolute_url(v.get_absolute_url())} for v in versions
    ]
    default = x_default_version(versions)
    links.append({"lang_code": "x-default", "location": absolute_url(default.get_absolute_url())})
    return links


def newest_published(articles: QuerySet) -> datetime.datetime | None:
    """When the newest of `articles` went public: one row off the visibility index."""
    return articles.order_by("-published_at").values_list("published_at", flat=True).first()


def latest_article_change() -> datetime.datetime | None:
    """When a visible article last appeared or changed: the latest lastmod of the
    articles section, from two single-row index reads."""
    visible = Article.objects.published()
    edited = visible.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return _later(newest_published(visible), edited)


class KeyRangePaginator:
    """Pages of a queryset by primary key range: page n lists the items whose key is in
    ((n - 1) * limit, n * limit].

    No COUNT and no OFFSET: the number of pages comes from the largest key listed (one
    row off the end of the primary key index), and a page is a range scan of that index,
    so the last page costs what the first does. A page lists at most `limit` items, fewer
    where keys in its range are not listed (drafts, say); an item keeps its page as the
    archive grows.
    """

    def __init__(self, items: QuerySet, limit: int, keys: QuerySet | None = None):
        self.items = items
        self.limit = limit
        # Whose largest key bounds the pages: the items, or a superset cheaper to ask.
        self.keys = items if keys is None else keys

    @cached_property
    def num_pages(self) -> int:
        last = self.keys.order_by("-pk").values_list("pk", flat=True).first()
        return max(1, math.ceil((last or 0) / self.limit))

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        return number

    def in_range(self, number) -> QuerySet:
        """The items of page `number`, as a queryset (to filter by, say)."""
        start = (self.validate_number(number) - 1) * self.limit
        return self.items.filter(pk__gt=start, pk__lte=start + self.limit).order_by("pk")

    def page(self, number) -> Page:
        return Page(list(self.in_range(number)), self.validate_number(number), self)


class SiteSitemap(Sitemap):
    """A sitemap whose URLs start with settings.SITE_URL."""

    limit = PAGE_SIZE

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class KeyRangeSitemap(SiteSitemap):
    """A sitemap over a queryset, paged by primary key range (`KeyRangePaginator`)."""

    def keys(self) -> QuerySet | None:
        """A superset of the items whose largest key is cheaper to find (None: the items)."""
        return None

    @cached_property
    def paginator(self):
        return KeyRangePaginator(self.items(), self.limit, self.keys())


class FrontPageSitemap(SiteSitemap):
    """The front page in each language, as alternates of each other."""

    def items(self):
        return language_codes()

    def location(self, item):
        # The canonical address: the default language's front page is "/", not "/en/".
        return front_url(item)

    def lastmod(self, item):
        return newest_published(Article.objects.published().for_language(item))

    def get_latest_lastmod(self):
        return newest_published(Article.objects.published())

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        if len(urls) > 1:
            links = [{"lang_code": u["item"], "location": u["location"]} for u in urls]
            links.append(
                {"lang_code": "x-default", "location": absolute_url(reverse("articles:home"))}
            )
            for url in urls:
                url["alternates"] = links
        return urls


class ArticleSitemap(KeyRangeSitemap):
    """Every published article, with hreflang links between the versions of its story
    (one query for a page's alternates)."""

    fields = ("id", "language", "slug", "translation_key", "translation_of_id")

    def items(self):
        return (
            Article.objects.published()
            .only(*self.fields, "published_at", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        # A scheduled article is saved before it goes live: the later of the two is when
        # the page last changed for readers.
        return _later(item.published_at, item.updated_at)

    def get_latest_lastmod(self):
        return latest_article_change()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        # A semi-join on the page's key range, not a list of 1,000 keys: the planner sees
        # how many items the page holds, and probes the translation key index per item
        # once the table outweighs them (in a small archive it rightly hashes the table).
        keys = self.paginator.in_range(page).values("translation_key")
        versions = defaultdict(list)
        for version in (
            Article.objects.published()
            .filter(translation_key__in=keys)
            .only(*self.fields)
            .order_by()
        ):
            versions[version.translation_key].append(version)
        for url in urls:
            url["alternates"] = hreflang_alternates(versions[url["item"].translation_key])
        return urls


class _LinkedSitemap(KeyRangeSitemap):
    """People, companies and threads with a public page (the rule is navigation's
    Person/Company/Storyline.objects.public(), the rule the pages apply).

    No lastmod per item: such a page changes whenever a story about its subject appears,
    which only an aggregate over that subject's stories could say, and the subject's own
    `updated_at` would understate it. A search engine trusts lastmod only while it is
    accurate, for the articles' too; without one it schedules these pages itself and
    reaches them from the article pages that link them.
    """

    model: type

    def items(self):
        return self.model.objects.public().only("pk", "slug")

    def keys(self):
        # Whether a row has a public page is a check per row (five EXISTS for a person),
        # which PostgreSQL may answer by hashing every published link; the table's own
        # largest key is one row off its primary key index.
        return self.model.objects.all()

    def get_latest_lastmod(self):
        # The listing changes when a story goes live or changes (it may make a subject
        # public or not).
        return latest_article_change()


class PersonSitemap(_LinkedSitemap):
    model = Person


class CompanySitemap(_LinkedSitemap):
    model = Company


class StorylineSitemap(_LinkedSitemap):
    model = Storyline


class NewsSitemap(SiteSitemap):
    """Google News: articles published in the last two days (at most 1,000), a range
    of the visibility index read in one query (no count: one page by definition)."""

    limit = 1000

    def items(self):
        now = timezone.now()
        return list(
            Article.objects.published()
            .filter(published_at__gte=now - NEWS_WINDOW)
            .only("id", "language", "slug", "title", "published_at")
            .order_by("-published_at", "pk")[: self.limit]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication_name"] = settings.SITE_NAME
        return urls


SECTIONS = {
    "pages": FrontPageSitemap,
    "articles": ArticleSitemap,
    "stories": StorylineSitemap,
    "people": PersonSitemap,
    "companies": CompanySitemap,
}


# --- Views ---------------------------------------------------------------------------------


# Every sitemap lists the public stories, people, companies and threads.
SITEMAP_TAGS = ["list", *(model_tag(m) for m in (Person, Company, Storyline))]


@public_page
@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
@sitemap_views.x_robots_tag
def sitemap_index(request):
    """`/sitemap.xml`: one entry per section sitemap page, with its latest change."""
    pagecache.tag(request, *SITEMAP_TAGS)
    entries = []
    for section, sitemap_class in SECTIONS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("articles:sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for number in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={number}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@public_page
@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
def sitemap_section(request, section: str):
    """`/sitemap-<section>.xml`: Django's sitemap view over one of SECTIONS."""
    pagecache.tag(request, *SITEMAP_TAGS)
    if section not in SECTIONS:
        raise Http404(f"There is no “{section}” sitemap.")
    return sitemap_views.sitemap(
        request, sitemaps=SECTIONS, section=section, template_name="sitemaps/sitemap.xml"
    )


@public_page
@cache_control(public=True, max_age=NEWS_MAX_AGE)
def news_sitemap(request):
    """`/sitemap-news.xml`: the Google News sitemap."""
    pagecache.tag(request, *SITEMAP_TAGS)
    return sitemap_views.sitemap(
        request, sitemaps={"news": NewsSitemap}, template_name="sitemaps/news.xml"
    )


@public_page
@cache_control(public=True, max_age=ROBOTS_MAX_AGE)
def robots_txt(request):
    sitemaps = [
        absolute_url(reverse("articles:sitemap")),
        absolute_url(reverse("articles:sitemap-news")),
    ]
    return render(
        request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain; charset=utf-8"
    )
