import statistics
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count, Max
from reversion.models import Revision

from articles.generator import generate
from articles.models import Article, ArticleEvent, StorylineEntry, content_hash
from articles.sanitise import sanitise_html
from articles.search import FTS_TABLE, search_articles
from articles.translation import TranslationState, translation_state
from newsroom.text import html_to_text
from people.models import Person, Position

pytestmark = pytest.mark.django_db

N = 300


def make_archive(n=N, seed=3):
    first_new = (Article.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    report = generate(n, seed)
    return report, Article.objects.filter(pk__gte=first_new)


def search_row(article):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "SELECT search_vector::text FROM articles_article WHERE id = %s"
        else:
            sql = f"SELECT title, body FROM {FTS_TABLE} WHERE rowid = %s"
        cursor.execute(sql, [article.pk])
        return cursor.fetchone()


DERIVED = [
    "title", "slug", "standfirst", "body", "content_hash", "status", "published_at",
    "first_published_at", "revised_at", "created_at", "translation_key", "translation_of_id",
    "source_hash", "source_snapshot", "synced_at",
]  # fmt: skip


def test_bulk_path_leaves_what_a_save_would():
    _report, generated = make_archive()
    sample = [
        *generated.order_by("?")[:15],
        *generated.filter(translation_of__isnull=False)[:5],
        *generated.filter(revised_at__isnull=False)[:3],
        *generated.exclude(status="published")[:5],
    ]
    for article in sample:
        before = {name: getattr(article, name) for name in DERIVED}
        indexed = search_row(article)
        assert indexed is not None, article
        article.save()  # the pre_save receiver and search index receivers run
        article.refresh_from_db()
        assert {name: getattr(article, name) for name in DERIVED} == before, article
        assert search_row(article) == indexed
        assert article.body == sanitise_html(article.body)
    for article in generated:
        assert article.content_hash == content_hash(article.title, article.standfirst, article.body)
        assert article.created_at <= article.updated_at
        if article.status == "published":
            assert article.first_published_at == article.published_at
        if article.translation_of_id:
            snapshot = article.source_snapshot
            assert article.source_hash == content_hash(
                snapshot["title"], snapshot["standfirst"], snapshot["body"]
            )
            assert article.synced_at <= (article.published_at or article.synced_at)
    for position in Position.objects.filter(person__in=Person.objects.order_by("-pk")[:200])[:50]:
        before = (position.timeline_date, position.start_precision, position.end_precision)
        position.save()
        position.refresh_from_db()
        assert (position.timeline_date, position.start_precision, position.end_precision) == (
            before
        )


def test_archive_has_the_asked_for_size_and_shares():
    report, generated = make_archive()
    live = generated.filter(pk__in=Article.objects.published())
    assert live.count() == N == report.live
    originals = live.filter(translation_of__isnull=True)
    translated = originals.filter(translations__isnull=False).distinct().count()
    assert 0.1 < translated / originals.count() < 0.35
    assert live.exclude(language="en").count() < live.filter(language="en").count()
    statuses = set(generated.values_list("status", flat=True))
    assert statuses >= {
        "draft", "in_review", "changes_requested", "approved", "unpublished", "archived",
    }  # fmt: skip
    assert generated.filter(pk__in=Article.objects.scheduled()).exists()
    states = Counter(translation_state(a) for a in generated.filter(translation_of__isnull=False))
    assert states[TranslationState.OUTDATED] and states[TranslationState.UP_TO_DATE]
    assert states[TranslationState.IN_PROGRESS]
    words = [len(html_to_text(a.body).split()) for a in live[:50]]
    assert 450 < statistics.mean(words) < 800
    for tag in ("<p>", "<h2>", "<strong>", "<em>", "<a href", "<ul>", "<blockquote>"):
        assert generated.filter(body__contains=tag).exists(), tag
    threads = Counter(
        StorylineEntry.objects.filter(article__in=originals).values_list("storyline", flat=True)
    )
    assert threads and min(threads.values()) >= 5 and max(threads.values()) <= 50
    assert Position.objects.filter(sources__in=generated).exists()
    assert (
        0
        < Revision.objects.filter(
            version__object_id__in=[str(pk) for pk in generated.values_list("pk", flat=True)]
        )
        .distinct()
        .count()
        < N
    )
    assert ArticleEvent.objects.filter(article__in=generated, transition="submit").exists()
    mentions = sorted(
        Person.objects.filter(articles__in=generated).annotate(n=Count("articles"))
        .values_list("n", flat=True), reverse=True)  # fmt: skip
    assert mentions[0] >= 5 * statistics.median(mentions)


def test_same_seed_same_archive():
    def snapshot():
        with transaction.atomic():
            _report, generated = make_archive(200, seed=11)
            made = (
                list(generated.order_by("pk").values_list("language", "slug", "title")),
                Counter(generated.values_list("status", flat=True)),
                generated.filter(translation_of__isnull=False).count(),
            )
            transaction.set_rollback(True)
        return made

    assert snapshot() == snapshot()


def test_running_twice_adds_nothing():
    first, generated = make_archive(200, seed=5)
    count = Article.objects.count()
    second = generate(200, 5)
    assert first.created and not second.created
    assert Article.objects.count() == count


def test_search_finds_generated_words():
    _report, generated = make_archive()
    article = generated.filter(pk__in=Article.objects.published(), language="en").first()
    word = max(article.title.split(), key=len).strip("'’:,")
    found = search_articles(word)
    assert found.filter(pk__in=generated).exists()
    assert article in search_articles(article.title)
