"""articles/search/postgres.py: per-language configurations, stemming, the trigger, GIN."""

import datetime
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import postgres, search_articles
from tests.articles.search.helpers import new_article, on_postgres, slugs

pytestmark = pytest.mark.django_db


def test_each_language_has_its_configuration_and_unknown_ones_fall_back_to_simple():
    assert postgres.search_config("en") == "english"
    assert postgres.search_config("nl") == "dutch"
    assert postgres.search_config("tr") == "turkish"
    assert postgres.search_config("xx") == "simple"


def test_the_migration_indexes_with_the_same_configurations_the_queries_use():
    migration = importlib.import_module("articles.migrations.0004_search_renditions")
    assert migration.LANGUAGE_CONFIGS == postgres.LANGUAGE_CONFIGS
    assert migration.TAG_PATTERN == postgres.TAG_PATTERN


@on_postgres
@pytest.mark.parametrize("form", ["istifalar", "istifasını", "istifasından", "İSTİFALAR"])
def test_turkish_stemming_finds_inflected_forms(form):
    # The Turkish story has "istifa etti"; PostgreSQL's Turkish stemmer reduces these
    # forms to "istifa". (It leaves the bare possessive "istifası" as "istifas".)
    assert slugs(form) == ["xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor"]


@on_postgres
def test_turkish_stemming_joins_forms_of_one_noun():
    # The title says "görevinden", the standfirst "görevlerini".
    assert "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor" in slugs("görevleri")


@on_postgres
def test_dutch_stemming_finds_inflected_forms():
    # The Manu story has "merken" and "kantoor"; the Gasgoo translation "het bestuur".
    assert "manu-kumar-jain-verlaat-xiaomi" in slugs("merk")
    assert slugs("kantoren") == ["manu-kumar-jain-verlaat-xiaomi"]
    assert "lei-jun-geeft-functies-op-voor-xiaomi-autos" in slugs("besturen")


@on_postgres
def test_each_article_is_matched_in_its_own_language():
    # English stemming makes "cars" into "car"; the Dutch article has "auto's", not "car".
    found = slugs("cars")
    assert "lei-jun-gives-up-roles-for-xiaomi-cars" in found
    assert all(Article.objects.get(slug=s).language == "en" for s in found)


@on_postgres
def test_stop_words_alone_match_nothing():
    assert slugs("the of and") == []


@on_postgres
def test_the_database_keeps_the_vector_even_for_bulk_updates():
    article = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    Article.objects.filter(pk=article.pk).update(body="<p>Quokkas everywhere</p>")
    assert slugs("quokka") == [article.slug]
    assert slugs("whetstones") == []


@on_postgres
def test_the_trigger_indexes_each_language_with_its_configuration(users):
    article = new_article(users["admin"], title="Bestuurders running", body="<p>x &amp; y</p>")
    expected_sql = (
        "SELECT search_vector = setweight(to_tsvector(%s::regconfig, %s), 'A') "
        "|| setweight(to_tsvector(%s::regconfig, ''), 'B') "
        "|| setweight(to_tsvector(%s::regconfig, ' x &amp; y '), 'C') "
        "FROM articles_article WHERE id = %s"
    )
    for code, config in [*postgres.LANGUAGE_CONFIGS.items(), ("xx", "simple")]:
        Article.objects.filter(pk=article.pk).update(language=code)
        with connection.cursor() as cursor:
            cursor.execute(expected_sql, [config, article.title, config, config, article.pk])
            assert cursor.fetchone()[0] is True, code


@on_postgres
def test_at_a_moderate_size_the_planner_chooses_the_gin_index_on_its_own(users):
    # No planner settings: with a few thousand articles of a real length and fresh
    # statistics, a rare word is found through the GIN index, and the table is not read.
    now = timezone.now()
    words = [
        "margins",
        "supply",
        "chain",
        "export",
        "rules",
        "hiring",
        "plans",
        "price",
        "war",
        "market",
        "share",
    ]

    def body(i):
        text = " ".join(f"{words[(i * j) % len(words)]} {i * j}" for j in range(120))
        return f"<p>{text}</p>" + ("<p>A zebrafish study.</p>" if i % 1000 == 0 else "")

    Article.objects.bulk_create(
        Article(
            language="en",
            title=f"Routine dispatch {i}",
            slug=f"routine-dispatch-{i}",
            body=body(i),
            owner=users["admin"],
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=i + 1),
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        # What autovacuum does in production: move new entries from the GIN index's pending
        # list into the index proper, and refresh the statistics.
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector_gin')")
        cursor.execute("ANALYZE articles_article")
    assert search_articles("zebrafish").count() == 3
    plan = search_articles("zebrafish")[:10].explain()
    assert "Bitmap Index Scan on article_search_vector_gin" in plan
    assert "Seq Scan on articles_article" not in plan
