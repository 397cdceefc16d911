"""WebSub (W3C Recommendation, 2018) for every feed: subscribers hear of a story seconds
after it is published instead of at their next poll.

Two halves, both off unless `WEBSUB_HUB_URL` names a hub:

- **Discovery.** Every RSS, Atom and JSON feed names the hub and itself (`rel="hub"` and
  `rel="self"`, in the document and as `Link` headers; see `discovery_links`). The self URL
  is the feed's canonical absolute URL (`FeedSubject.url`), the topic the hub knows it by.
- **Publishing.** When what a feed shows changes — an article goes live, goes offline, or
  changes while live, or its links to people, companies, sections and threads change —
  the hub is told, after the transaction commits, with one `hub.mode=publish` request per
  feed URL. Which feeds: the page cache already knows which subjects an article touches
  (`articles.site.caching.article_tags`); `feed_urls` turns those tags into the feeds of
  the article's language in every format. A scheduled article is announced by a delayed
  job that runs at its publish time: no cron, no request to the site.

WebSub leaves the publisher-to-hub notification to the hub; the form used here
(`hub.mode=publish&hub.url=<topic>`, form-encoded, POSTed) is the one hubs accept since
PubSubHubbub. One topic per request: the widest-supported form, and each feed's ping
succeeds or is retried on its own.
"""

import datetime
import logging
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from articles import jobs
from articles.models import Article, StorylineEntry
from articles.site.caching import (
    LINK_ACTIONS,
    article_tags,
    list_tags,
    relinked_articles,
    relinked_tags,
)
from articles.syndication.subjects import FORMATS, KINDS, FeedSubject
from newsroom.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

USER_AGENT = "Newsroom WebSub publisher"


def hub_urls() -> list[str]:
    """The hubs feeds advertise and announce to (none: WebSub is off)."""
    return list(getattr(settings, "WEBSUB_HUB_URLS", []))


# ---------------------------------------------------------------------------------------
# Discovery


def discovery_links(self_url: str) -> list[tuple[str, str]]:
    """(rel, href) pairs a feed at `self_url` advertises: each hub, then itself. Empty
    without a hub, so a feed says nothing about WebSub then."""
    hubs = hub_urls()
    if not hubs:
        return []
    return [*(("hub", hub) for hub in hubs), ("self", self_url)]


def link_header(self_url: str) -> str | None:
    """The `Link` header value (RFC 8288) a feed response carries, or None."""
    links = discovery_links(self_url)
    return ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links) or None


# ---------------------------------------------------------------------------------------
# Which feeds changed


def feed_subjects(language: str, tags: set[str]) -> list[FeedSubject]:
    """The feeds in `language` that show what `tags` (the page cache's, see
    `articles.site.caching`) name: the language's own feed for its list tag, and one feed
    per person, company, thread and section tag. One query per kind named."""
    subjects = []
    if list_tags(language)[-1] in tags:
        subjects.append(FeedSubject(language=language))
    wanted = defaultdict(set)
    for tag in tags:
        prefix, _, rest = tag.partition(":")
        if prefix == "about":
            label, _, pk = rest.rpartition(":")
            wanted[label].add(int(pk))
    for key, kind in KINDS.items():
        pks = wanted.get(kind.model._meta.label_lower)
        if pks:
            objects = kind.model.objects.filter(pk__in=pks).order_by("pk")
            subjects += [FeedSubject(language=language, kind=key, obj=obj) for obj in objects]
    return subjects


def feed_urls(language: str, tags: set[str]) -> list[str]:
    """The absolute URL, in every format, of each feed `feed_subjects` finds."""
    return [subject.url(fmt) for subject in feed_subjects(language, tags) for fmt in FORMATS]


def article_feed_urls(article: Article) -> list[str]:
    """Every feed `article` appears in (or would, once live)."""
    return feed_urls(article.language, article_tags(article))


# ---------------------------------------------------------------------------------------
# Telling the hub


class HubError(Exception):
    """The hub did not take the ping: worth trying again later."""


class HubRefused(HubError):
    """The hub answered 4xx: it will not take this ping however often it is sent."""


def ping(hub: str, topic: str, *, timeout: float | None = None) -> None:
    """Tell `hub` that the feed at `topic` changed; raise HubError if it did not say yes.

    A 2xx answer is a yes (hubs answer 204 No Content, some 200 or 202).
    """
    request = urllib.request.Request(
        hub,
        data=urlencode({"hub.mode": "publish", "hub.url": topic}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": USER_AGENT,
        },
        method="POST",
    )
    timeout = settings.WEBSUB_PING_TIMEOUT if timeout is None else timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.close()
        kind = HubRefused if 400 <= error.code < 500 else HubError
        raise kind(f"{hub} answered {error.code} to the ping for {topic}") from error
    except (urllib.error.URLError, OSError) as error:
        raise HubError(f"{hub} could not be reached to ping {topic}: {error}") from error


def deliver(urls) -> None:
    """Queue a ping of every hub about every URL in `urls`, each once; one job per hub
    and feed, so each is retried on its own (`articles.jobs.ping_websub_hub`)."""
    for hub in hub_urls():
        for topic in dict.fromkeys(urls):
            enqueue_on_commit(jobs.ping_websub_hub, hub, topic)


def announce_scheduled(article_id: int, publish_at: datetime.datetime) -> int:
    """At a scheduled article's publish time: announce its feeds, unless it was moved,
    taken back or published early meanwhile (whoever changed it announced it then).
    Returns how many feeds were announced."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or not article.is_live or article.published_at != publish_at:
        return 0
    urls = article_feed_urls(article)
    deliver(urls)
    return len(urls)


def schedule_announcement(article: Article) -> None:
    """Announce `article`'s feeds when its publish time comes: a job queued (with the
    transaction) to run then, so no cron and no reader's request is needed."""
    announcement = jobs.announce_scheduled_feeds
    if not announcement.get_backend().supports_defer:
        # A backend that runs jobs at once (TASKS_BACKEND=immediate) cannot wait.
        logger.warning("WebSub: the job backend cannot run a job later; %s not announced", article)
        return
    enqueue_on_commit(
        announcement.using(run_after=article.published_at),
        article.pk,
        article.published_at.isoformat(),
    )


# ---------------------------------------------------------------------------------------
# Collecting the feeds one transaction changed


@dataclass
class _Batch:
    """The feed URLs one transaction changed, sent once when it commits."""

    urls: set[str] = field(default_factory=set)
    sent: bool = False

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        deliver(sorted(self.urls))

    def waiting(self, connection) -> bool:
        """Whether this batch still waits for a commit of `connection`: not sent, and its
        commit hook not thrown away by a rollback (Django drops the hooks of a rolled-back
        transaction or savepoint from `run_on_commit`)."""
        return not self.sent and any(hook[1] == self.send for hook in connection.run_on_commit)


_local = threading.local()


def announce(urls) -> None:
    """The feeds at `urls` changed: tell the hubs once the transaction commits.

    A transaction that saves an article, its links and its threads changes the same feeds
    several times; they are gathered and each is announced once. A transaction that rolls
    back announces nothing: its commit hook never runs, and the next change starts a new
    batch.
    """
    urls = set(urls)
    if not urls or not hub_urls():
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        deliver(sorted(urls))
        return
    batch = getattr(_local, "batch", None)
    if batch is None or not batch.waiting(connection):
        batch = _local.batch = _Batch()
        transaction.on_commit(batch.send)
    batch.urls.update(urls)


# ---------------------------------------------------------------------------------------
# What changes feeds (receivers, like the page cache's: every path that saves counts)


def _before(article: Article) -> tuple[str | None, datetime.datetime | None]:
    """The article's status and publish time before this save: as last saved through
    this instance, else as loaded."""
    return getattr(
        article,
        "_websub_before",
        (getattr(article, "_loaded_status", None), getattr(article, "_loaded_published_at", None)),
    )


def _was_live(article: Article) -> bool:
    status, published_at = _before(article)
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= timezone.now()
    )


def _newly_scheduled(article: Article) -> bool:
    return article.is_scheduled and _before(article) != (article.status, article.published_at)


@receiver(post_save, sender=Article, dispatch_uid="websub_article_saved")
def _article_saved(sender, instance: Article, raw=False, **kwargs):
    if raw or not hub_urls():
        return
    if instance.is_live or _was_live(instance):
        announce(article_feed_urls(instance))
    elif _newly_scheduled(instance):
        schedule_announcement(instance)
    instance._websub_before = (instance.status, instance.published_at)


@receiver(pre_delete, sender=Article, dispatch_uid="websub_article_deleted")
def _article_deleted(sender, instance: Article, **kwargs):
    # Before the delete, while its links still say which feeds showed it.
    if hub_urls() and instance.is_live:
        announce(article_feed_urls(instance))


def _links_changed(about_model):
    def changed(sender, instance, action, pk_set, **kwargs):
        if action not in LINK_ACTIONS or not hub_urls():
            return
        for article in relinked_articles(instance, pk_set):
            if article.is_live:
                tags = relinked_tags(article, instance, about_model, pk_set)
                announce(feed_urls(article.language, tags))

    return changed


# Links that decide which feeds an article is in (people's, companies', sections') and
# what its items say (their categories); quotes and related articles are in no feed.
for _field, _about in [
    (Article.people, KINDS["people"].model),
    (Article.authors, KINDS["people"].model),
    (Article.companies, KINDS["companies"].model),
    (Article.sections, KINDS["sections"].model),
]:
    m2m_changed.connect(
        _links_changed(_about),
        sender=_field.through,
        weak=False,
        dispatch_uid=f"websub_{_field.through._meta.label_lower}",
    )


@receiver(post_save, sender=StorylineEntry, dispatch_uid="websub_entry_saved")
@receiver(post_delete, sender=StorylineEntry, dispatch_uid="websub_entry_deleted")
def _entry_changed(sender, instance: StorylineEntry, raw=False, **kwargs):
    if raw or not hub_urls():
        return
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None and article.is_live:
        # Only the thread's feed gains or loses the article: its items do not name threads.
        announce(feed_urls(article.language, {f"about:articles.storyline:{instance.storyline_id}"}))
