"""What each feed is about: its format, its subject (a language, or a person, company,
story thread or section within a language), the articles that belong to it, and the
stamp a conditional GET is answered from before a single article is loaded (from the
page cache's tag versions, not from aggregates over the archive).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Section, Storyline, TranslatedNames
from articles.site.caching import about_tag, list_tags, object_tag
from articles.site.navigation import with_language
from newsroom import pagecache
from newsroom.languages import language_codes, language_name
from newsroom.site import absolute_url
from people.models import Company, Person

# Bump when the rendering changes, so every cached copy of every feed is refetched once.
FEED_RENDERING = "1"

# What a CDN and a feed reader may do with a feed: keep it for a few minutes, serve a
# stale copy while fetching a new one, and keep serving it for a day if we are down.
CACHE_MAX_AGE = 300
CACHE_STALE_WHILE_REVALIDATE = 600
CACHE_STALE_IF_ERROR = 86400
# How long a feed's Last-Modified is remembered (`first_seen`); a feed unchanged for
# longer is dated anew once.
FIRST_SEEN_CACHE_SECONDS = 30 * 86400


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
        """What the feed is about, in the feed's language where the editors translated it
        (a section's or thread's name)."""
        if self.obj is None:
            return _("All stories")
        if isinstance(self.obj, TranslatedNames):
            return self.obj.translated(self.obj.TRANSLATED_FIELDS[0], self.language)
        return getattr(self.obj, "name", None) or getattr(self.obj, "title", str(self.obj))

    @property
    def name_language(self) -> str:
        """The language `name` is in: the feed's, or the house language's where a section
        or thread is not translated (names of people and companies count as the feed's)."""
        if isinstance(self.obj, TranslatedNames):
            return self.obj.shown_in(self.obj.TRANSLATED_FIELDS[0], self.language)[1]
        return self.language

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

    def cache_tags(self) -> list[str]:
        """What the feed shows, for the page cache: its language's newest stories, or
        the stories about its subject, and the subject itself."""
        if self.obj is None:
            return list_tags(self.language)
        return [about_tag(self.obj), object_tag(self.obj)]

    def html_url(self) -> str:
        """The public page the feed follows, in the feed's language: a section's is the
        article list filtered by that section."""
        if self.obj is None:
            return absolute_url(reverse("articles:front", kwargs={"language": self.language}))
        if self.kind == "sections":
            path = with_language(reverse("articles:list"), self.language, {"section": self.slug})
            return absolute_url(path)
        return absolute_url(with_language(self.obj.get_absolute_url(), self.language))

    def url(self, fmt: str) -> str:
        """The absolute URL of this feed in `fmt`."""
        kwargs = {"language": self.language}
        if self.kind:
            kwargs.update(kind=self.kind, slug=self.slug)
        return absolute_url(reverse(f"feeds:{fmt}", kwargs=kwargs))

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
        """The feed's validators, with at most one small indexed query: no article is
        loaded and nothing is aggregated over the archive.

        The page cache's versions of the feed's tags (`cache_tags`) change with every
        save that changes what the feed shows (articles.site.caching bumps them whether
        or not pages are cached). A scheduled article becomes visible with no write: the
        next scheduled publish in scope is part of the state, and when its time comes the
        next one is another.
        """
        versions = pagecache.versions([pagecache.SITE_TAG, *self.cache_tags()])
        upcoming = (
            self.scope(Article.objects.scheduled())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        subject_key = f"{self.language}/{self.kind or ''}/{self.obj.pk if self.obj else ''}"
        # The hubs are part of the rendering: a feed that starts or stops advertising
        # one is new to a reader that has it.
        hubs = tuple(getattr(settings, "WEBSUB_HUB_URLS", ()))
        parts = [FEED_RENDERING, hubs, subject_key, *sorted(versions.items()), upcoming]
        state = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return FeedStamp(state=state, last_modified=first_seen(subject_key, state))


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
    """Enough to tell whether a feed changed, without rendering it: a digest of what it
    shows (`FeedSubject.stamp`) and when this server first saw it so."""

    state: str
    last_modified: datetime.datetime

    def etag(self, fmt: str) -> str:
        return quote_etag(hashlib.sha256(f"{fmt}|{self.state}".encode()).hexdigest()[:32])


def first_seen(subject_key: str, state: str) -> datetime.datetime:
    """When this server first saw the feed of `subject_key` in `state`: its Last-Modified.

    A state never comes back (tag versions are random), so this is never earlier than
    the change that made it. Each new state of a feed is dated at least a second after
    the one before: If-Modified-Since compares whole seconds, and a change within the
    second of the previous one must still be news to a reader that sends only that.
    Should the cache forget, the date moves forward, which costs readers one full fetch.
    """
    key = f"feeds:first-seen:{subject_key}"
    known = cache.get(key)
    if known is not None and known[0] == state:
        return known[1]
    moment = timezone.now().replace(microsecond=0)
    if known is not None:
        moment = max(moment, known[1] + datetime.timedelta(seconds=1))
    cache.set(key, (state, moment), timeout=FIRST_SEEN_CACHE_SECONDS)
    return moment
