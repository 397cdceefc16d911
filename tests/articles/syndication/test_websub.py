"""WebSub (articles/syndication/websub.py): feeds advertise the hub and themselves, and a
real local hub (an HTTP server in a thread) hears of exactly the feeds a change touched."""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles import jobs, workflow
from articles.models import Article, Section, Storyline, StorylineEntry
from articles.syndication import websub
from people.models import Company, Person
from tests.feed_reading import FORMATS, feed_path, fetch, published_article
from tests.newsroom.test_jobs import DATABASE_QUEUE, ROOT, WORKER_SETTINGS, test_database_url
from tests.websub_hub import start_hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(settings):
    hub, server = start_hub()
    settings.WEBSUB_HUB_URLS = [hub.url]
    yield hub
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_hub(settings):
    """A hub that is running, but not configured: nothing should reach it."""
    hub, server = start_hub()
    settings.WEBSUB_HUB_URLS = []
    yield hub
    server.shutdown()
    server.server_close()


def feeds_of(language: str, *subjects: tuple[str, str]) -> list[str]:
    """The absolute URLs, in every format, of the language's feed and of each
    (kind, slug) subject's feed in that language."""
    paths = [feed_path(language, fmt) for fmt in FORMATS]
    paths += [feed_path(language, fmt, kind, slug) for kind, slug in subjects for fmt in FORMATS]
    return sorted(settings.SITE_URL + path for path in paths)


LINKED = {
    "people": ["lei-jun"],
    "companies": ["xiaomi"],
    "sections": ["technology"],
    "stories": ["xiaomi-rise"],
}
LINKED_FEEDS = [(kind, slug) for kind, slugs in LINKED.items() for slug in slugs]


def linked_article(users, *, title: str, language: str = "nl", at=None):
    return published_article(
        users,
        title=title,
        language=language,
        at=at,
        people=Person.objects.filter(slug__in=LINKED["people"]),
        companies=Company.objects.filter(slug__in=LINKED["companies"]),
        sections=Section.objects.filter(slug__in=LINKED["sections"]),
        storylines=list(Storyline.objects.filter(slug__in=LINKED["stories"])),
    )


# --- discovery --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_rss_and_atom_feeds_name_the_hub_and_themselves(client, hub, fmt):
    path = feed_path("nl", fmt, "people", "lei-jun")
    feed = fetch(client, path).feed
    links = {(link.rel, link.href) for link in feed.links}
    assert ("hub", hub.url) in links
    assert ("self", settings.SITE_URL + path) in links


def test_every_hub_of_a_list_is_advertised(client, hub, settings):
    settings.WEBSUB_HUB_URLS = [hub.url, "https://hub.example.org/"]
    feed = fetch(client, feed_path("en", "atom")).feed
    hubs = [link.href for link in feed.links if link.rel == "hub"]
    assert hubs == [hub.url, "https://hub.example.org/"]


def test_the_json_feed_lists_the_hub(client, hub):
    path = feed_path("tr", "json", "companies", "xiaomi")
    data = json.loads(client.get(path).content)
    assert data["hubs"] == [{"type": "WebSub", "url": hub.url}]
    assert data["feed_url"] == settings.SITE_URL + path


@pytest.mark.parametrize("fmt", FORMATS)
def test_link_headers_on_rendered_and_cached_feeds(client, hub, fmt):
    path = feed_path("en", fmt, "sections", "technology")
    expected = f'<{hub.url}>; rel="hub", <{settings.SITE_URL}{path}>; rel="self"'
    first, second = client.get(path), client.get(path)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first["Link"] == expected
    assert second["Link"] == expected


def test_without_a_hub_no_feed_mentions_websub(client, silent_hub):
    for fmt in FORMATS:
        path = feed_path("en", fmt, "people", "lei-jun")
        for response in (client.get(path), client.get(path)):  # rendered, then cached
            assert response.status_code == 200
            assert not response.has_header("Link")
            assert b"hub" not in response.content
    feed = fetch(client, feed_path("en", "rss")).feed
    assert [link.rel for link in feed.links if link.rel == "hub"] == []
    assert "hubs" not in json.loads(client.get(feed_path("en", "json")).content)


def test_starting_to_advertise_a_hub_changes_the_feeds_etag(client, settings, no_page_cache):
    path = feed_path("en", "rss")
    settings.WEBSUB_HUB_URLS = []
    before = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=before).status_code == 304
    settings.WEBSUB_HUB_URLS = ["https://hub.example.org/"]
    response = client.get(path, HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert b"https://hub.example.org/" in response.content


# --- pings ------------------------------------------------------------------------------


def test_publishing_pings_every_feed_the_article_is_in_once(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        linked_article(users, title="Xiaomi opent een nieuwe fabriek")
    topics = hub.accepted_topics()
    assert sorted(topics) == feeds_of("nl", *LINKED_FEEDS)
    assert len(topics) == len(set(topics))


def test_a_ping_is_a_form_post_naming_one_feed(users, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published_article(users, title="A short note", language="tr")
    assert len(hub.pings) == len(FORMATS)
    for ping in hub.pings:
        assert ping.content_type == "application/x-www-form-urlencoded"
        assert ping.mode == "publish"
        assert len(ping.topics) == 1


def test_unpublishing_pings_the_feeds_it_leaves(users, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Een bericht dat verdwijnt")
    hub.pings.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, user=users["editor"], comment="Wrong facts")
    assert sorted(hub.accepted_topics()) == feeds_of("nl", *LINKED_FEEDS)


def test_editing_a_live_article_pings_its_feeds_once_each(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Een bericht dat verandert")
    hub.pings.clear()
    # One edit, as the admin saves it: the row, then a new link, in one transaction.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article = Article.objects.get(pk=article.pk)
        article.title = "Een bericht dat veranderd is"
        article.save()
        article.people.add(Person.objects.get(slug="manu-kumar-jain"))
    topics = hub.accepted_topics()
    assert sorted(topics) == feeds_of("nl", *LINKED_FEEDS, ("people", "manu-kumar-jain"))
    assert len(topics) == len(set(topics))


def test_a_rolled_back_edit_announces_nothing_and_the_next_edit_its_own_feeds(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Een bericht met een mislukte wijziging")
    hub.pings.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            article.people.add(Person.objects.get(slug="manu-kumar-jain"))
            raise RuntimeError("the save failed")
        with transaction.atomic():
            article = Article.objects.get(pk=article.pk)
            article.title = "Een bericht met een gelukte wijziging"
            article.save()
    assert sorted(hub.accepted_topics()) == feeds_of("nl", *LINKED_FEEDS)


def test_taking_a_person_off_a_live_article_pings_their_feed(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Een bericht over Lei Jun")
    hub.pings.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.people.clear()
    assert sorted(hub.accepted_topics()) == feeds_of("nl", *LINKED_FEEDS)


def test_adding_a_live_article_to_a_story_thread_pings_the_threads_feed(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = published_article(users, title="Een los bericht", language="nl")
    hub.pings.clear()
    thread = Storyline.objects.get(slug="xiaomi-leadership-changes")
    with django_capture_on_commit_callbacks(execute=True):
        StorylineEntry.objects.create(storyline=thread, article=article)
    thread_feeds = sorted(
        settings.SITE_URL + feed_path("nl", fmt, "stories", thread.slug) for fmt in FORMATS
    )
    assert sorted(hub.accepted_topics()) == thread_feeds


def test_deleting_a_live_article_pings_the_feeds_it_was_in(
    users, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Een bericht dat gewist wordt")
    hub.pings.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert sorted(hub.accepted_topics()) == feeds_of("nl", *LINKED_FEEDS)


def test_editing_a_draft_sends_nothing(users, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = Article.objects.filter(status=Article.Status.DRAFT).first()
        draft.title = "A better working title"
        draft.save()
        draft.people.add(Person.objects.get(slug="lei-jun"))
    assert hub.pings == []


def test_scheduling_sends_nothing_yet(users, hub, django_capture_on_commit_callbacks):
    later = timezone.now() + timezone.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        linked_article(users, title="Morgen groot nieuws", at=later)
    assert hub.pings == []


def test_without_a_hub_publishing_sends_nothing(
    users, silent_hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = linked_article(users, title="Niemand hoort dit")
        workflow.unpublish(article, user=users["editor"])
    assert silent_hub.pings == []


# --- failures and retries -----------------------------------------------------------------


def test_a_hub_that_answers_500_is_asked_again_until_it_takes_the_ping(
    users, hub, django_capture_on_commit_callbacks
):
    hub.answers = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        published_article(users, title="Een kort bericht", language="nl")
    assert [ping.status for ping in hub.pings] == [500, 503, 204, 204, 204]
    assert hub.pings[0].topics == hub.pings[1].topics == hub.pings[2].topics
    assert sorted(hub.accepted_topics()) == feeds_of("nl")


def test_a_hub_that_is_down_or_fails_is_an_error_worth_retrying(hub):
    hub.answers = [502]
    with pytest.raises(websub.HubError) as failed:
        websub.ping(hub.url, "https://news.example.org/feeds/en/rss.xml")
    assert not isinstance(failed.value, websub.HubRefused)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: the connection is refused
    with pytest.raises(websub.HubError):
        websub.ping(f"http://127.0.0.1:{port}/", "https://news.example.org/feeds/en/rss.xml")


def test_a_hub_that_refuses_a_ping_is_not_asked_again(
    users, hub, django_capture_on_commit_callbacks
):
    hub.answers = [400]
    with django_capture_on_commit_callbacks(execute=True):
        published_article(users, title="Een geweigerd bericht", language="nl")
    assert [ping.status for ping in hub.pings] == [400, 204, 204]
    assert len(set(hub.accepted_topics())) == 2


# --- with the real queue and a real worker ------------------------------------------------


@pytest.fixture
def worker_for(settings, tmp_path):
    """Start `manage.py run_worker` (another process, on this test's database, with the
    hub configured); stop them all at the end."""
    settings.TASKS = DATABASE_QUEUE
    started = []

    def start(hub):
        log = open(tmp_path / f"worker-{len(started)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval=0.1"],
            cwd=ROOT,
            env={
                **os.environ,
                **WORKER_SETTINGS,
                "DATABASE_URL": test_database_url(),
                "TASKS_BACKEND": "database",
                "WEBSUB_HUB_URL": hub.url,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_article_is_announced_at_its_time_by_the_worker_alone(users, hub, worker_for):
    publish_at = timezone.now() + datetime.timedelta(seconds=2)
    article = linked_article(users, title="Straks groot nieuws", at=publish_at)
    assert article.is_scheduled
    assert hub.pings == []  # nothing is said before its time
    worker_for(hub)
    # No request reaches the site: the delayed job, run by the worker, pings the hub.
    expected = feeds_of("nl", *LINKED_FEEDS)
    topics = hub.wait_for(len(expected))
    assert sorted(topics) == expected
    assert all(ping.mode == "publish" for ping in hub.pings)


@pytest.mark.django_db(transaction=True)
def test_a_rescheduled_article_is_announced_once_at_its_new_time(users, hub, worker_for):
    article = linked_article(
        users, title="Uitgesteld nieuws", at=timezone.now() + datetime.timedelta(seconds=2)
    )
    workflow.reschedule(
        article, user=users["editor"], at=timezone.now() + datetime.timedelta(seconds=3)
    )
    worker_for(hub)
    expected = feeds_of("nl", *LINKED_FEEDS)
    hub.wait_for(len(expected))
    # Both delayed jobs have run by now: the first found the article moved and did nothing.
    wait_for_jobs(jobs.announce_scheduled_feeds, count=2)
    assert sorted(hub.accepted_topics()) == expected


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_ping_the_hub_failed(users, hub, worker_for):
    hub.answers = [500]
    published_article(users, title="Bericht met een haperende hub", language="nl")
    worker_for(hub)
    topics = hub.wait_for(len(FORMATS))
    assert sorted(topics) == feeds_of("nl")
    assert [ping.status for ping in hub.pings].count(500) == 1
    failed = next(ping for ping in hub.pings if ping.status == 500)
    assert failed.topics[0] in topics  # the same feed, asked again after the wait
    wait_for_jobs(jobs.ping_websub_hub, count=len(FORMATS) + 1)  # the hub answered; the
    # worker may not have recorded the last job's end yet
    entries = DBTaskResult.objects.filter(task_path=jobs.ping_websub_hub.module_path)
    statuses = sorted(entry.status for entry in entries)
    assert statuses == sorted([TaskResultStatus.FAILED] + [TaskResultStatus.SUCCESSFUL] * 3)


def wait_for_jobs(task, *, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    finished = DBTaskResult.objects.filter(task_path=task.module_path).finished()
    while finished.count() < count:
        assert time.monotonic() < deadline, f"{task.name}: fewer than {count} jobs finished"
        time.sleep(0.1)


# --- the subscribe page -------------------------------------------------------------------


def test_the_subscribe_page_explains_the_push_when_there_is_a_hub(client, hub):
    page = client.get("/feeds/").content.decode()
    assert "These feeds push" in page
    assert "WebSub" in client.get("/feeds/?lang=nl").content.decode()


def test_the_subscribe_page_promises_no_push_without_a_hub(client, silent_hub):
    assert "WebSub" not in client.get("/feeds/").content.decode()
