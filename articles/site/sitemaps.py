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
"""

import datetime
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
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


class SiteSitemap(Sitemap):
    """A sitemap whose URLs start with settings.SITE_URL."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class FrontPageSitemap(SiteSitemap):
    """The front page in each language, as alternates of each other."""

    def items(self):
        return language_codes()

    def location(self, item):
        # The canonical address: the default language's front page is "/", not "/en/".
        return front_url(item)

    def lastmod(self, item):
        return (
            Article.objects.published()
            .for_language(item)
            .aggregate(latest=Max("published_at"))["latest"]
        )

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]

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


class ArticleSitemap(SiteSitemap):
    """Every published article, with hreflang links between the versions of its story."""

    # Smaller than the protocol's 50,000 so a page's alternates come in one bounded query.
    limit = 5000
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
        return Article.objects.published().aggregate(
            latest=Max(Greatest("published_at", "updated_at"))
        )["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        keys = {url["item"].translation_key for url in urls}
        versions = defaultdict(list)
        for version in (
            Article.objects.published().filter(translation_key__in=keys).only(*self.fields)
        ):
            versions[version.translation_key].append(version)
        for url in urls:
            url["alternates"] = hreflang_alternates(versions[url["item"].translation_key])
        return urls


def _latest_published(link: Q):
    """Subquery: when the latest published article linked this way appeared."""
    return Subquery(
        Article.objects.published()
        .filter(link)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class _LinkedSitemap(SiteSitemap):
    """People, companies and threads with a public page (the rule is navigation's
    Person/Company/Storyline.objects.public(), the rule the pages apply)."""

    def queryset(self):
        raise NotImplementedError

    def items(self):
        return self.queryset().order_by("pk")

    def lastmod(self, item):
        return _later(item.updated_at, item.latest_article)

    def get_latest_lastmod(self):
        latest = self.queryset().aggregate(updated=Max("updated_at"), article=Max("latest_article"))
        return _later(latest["updated"], latest["article"])


class PersonSitemap(_LinkedSitemap):
    def queryset(self):
        return Person.objects.public().annotate(
            latest_article=_latest_published(Q(people=OuterRef("pk")) | Q(authors=OuterRef("pk")))
        )


class CompanySitemap(_LinkedSitemap):
    def queryset(self):
        return Company.objects.public().annotate(
            latest_article=_latest_published(Q(companies=OuterRef("pk")))
        )


class StorylineSitemap(_LinkedSitemap):
    def queryset(self):
        return Storyline.objects.public().annotate(
            latest_article=_latest_published(Q(storyline_entries__storyline=OuterRef("pk")))
        )


class NewsSitemap(SiteSitemap):
    """Google News: articles published in the last two days (at most 1,000)."""

    limit = 1000

    def items(self):
        now = timezone.now()
        return (
            Article.objects.published()
            .filter(published_at__gte=now - NEWS_WINDOW)
            .only("id", "language", "slug", "title", "published_at")
            .order_by("-published_at", "pk")
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
