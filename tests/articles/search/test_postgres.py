"""articles/search/postgres.py: per-language configurations, stemming, the trigger, GIN."""

import importlib

import pytest
from django.db import connection

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
def test_the_search_can_use_the_gin_index():
    # The query parsed in every language, OR-ed, is one constant the GIN index answers; the
    # per-language test then runs on those rows only. With a handful of rows the planner
    # would rather read the table (or the visibility index), so look at the text condition
    # alone and nudge it.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_articles("kingsoft xiaomi", queryset=Article.objects.all()).explain()
    assert "Bitmap Index Scan on article_search_vector_gin" in plan


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
