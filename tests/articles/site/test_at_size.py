"""The public pages on a generated archive of a few thousand stories: the same number of
queries as on the demo, and (on PostgreSQL) plans that use indexes, not scans of the
archive. Timings are measured by bench/, not here."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from articles.generator import generate
from articles.models import Article, Storyline
from people.models import Company, Person

pytestmark = pytest.mark.django_db

ARCHIVE = 2000


def hot_paths() -> dict[str, str]:
    """One URL of each kind a reader asks for, in the middle of the archive."""
    english = Article.objects.published().filter(language="en").order_by("published_at")
    middle = english[english.count() // 2]
    person = Person.objects.public().annotate(n=Count("articles")).order_by("-n").first()
    company = Company.objects.public().annotate(n=Count("articles")).order_by("-n").first()
    thread = Storyline.objects.public().annotate(n=Count("entries")).order_by("-n").first()
    return {
        "article": middle.get_absolute_url(),
        "front": "/en/",
        "list": "/articles/",
        "deep list": f"/articles/?page={max(1, english.count() // 40)}",
        "person": person.get_absolute_url(),
        "company": company.get_absolute_url(),
        "story": thread.get_absolute_url(),
        "feed": "/feeds/en/rss.xml",
        "person feed": f"/feeds/en/people/{person.slug}/rss.xml",
    }


def queries(client, url) -> list[str]:
    client.get(url)  # warm whatever is cached per process (content types, languages)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured]


@pytest.fixture
def archive(no_page_cache):
    report = generate(ARCHIVE, seed=7)
    assert report.created
    return hot_paths()


def test_pages_cost_the_same_queries_however_large_the_archive(client, archive):
    before = {name: len(queries(client, url)) for name, url in archive.items()}
    generate(ARCHIVE // 2, seed=8)  # the archive grows by half; the same pages cost the same
    after = {name: len(queries(client, url)) for name, url in archive.items()}
    assert after == before
    assert max(before.values()) <= 18


# Pages that list stories as cards; the article page lists related stories and threads.
CARD_PATHS = ("article", "front", "list", "deep list", "person", "company", "story")
# The body column under any alias ("articles_article"."body", T3."body" for a join).
BODY_COLUMN = re.compile(r'(?:"articles_article"|\bT\d+)\."body"')


def test_lists_of_cards_do_not_read_the_bodies_of_their_stories(client, archive):
    """A card shows a title, a standfirst and a date: reading 20–60 bodies of ~600 words
    for it would cost the same as the rest of the page. Only the article page's own row
    carries its body."""
    for name in CARD_PATHS:
        readers = [sql for sql in queries(client, archive[name]) if BODY_COLUMN.search(sql)]
        allowed = 1 if name == "article" else 0
        assert len(readers) == allowed, (name, readers)


# Large enough that PostgreSQL's planner prefers indexes wherever they help (on a small
# table a sequential scan is the right plan, so the test would prove nothing).
PLANNED_ARCHIVE = 20_000
# The paths readers hit most; each must read the article table through an index.
INDEXED_PATHS = ("article", "front", "list", "deep list", "person", "feed", "person feed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
@pytest.mark.postgres
def test_hot_queries_use_indexes_not_scans_of_the_archive(client, no_page_cache):
    generate(PLANNED_ARCHIVE, seed=7)
    scanned = []
    for name, url in hot_paths().items():
        if name not in INDEXED_PATHS:
            continue
        for sql in queries(client, url):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            if re.search(r"Seq Scan on articles_article\b", plan):
                scanned.append((name, sql[:200]))
    assert not scanned, "\n".join(map(str, scanned))
