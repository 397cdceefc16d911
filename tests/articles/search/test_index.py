"""articles/search/index.py: the indexed text, and the index kept in step with articles."""

import importlib

import pytest
from django.db import connection

from articles.models import Article
from articles.search.index import document_text, rebuild_index
from articles.search.query import WORD
from articles.search.sqlite import FTS_TABLE
from tests.articles.search.helpers import new_article, on_postgres, on_sqlite, slugs

pytestmark = pytest.mark.django_db


def test_document_text_drops_tags_decodes_entities_and_keeps_words_apart():
    text = document_text("", '<p>AT&amp;T</p><p title="a>b">said <q>hi</q>\ue000</p>')
    assert text == "AT&T said hi"
    assert document_text("Lead", "<p>Body</p>") == "Lead\nBody"


def test_the_index_holds_the_words_the_migration_indexed_existing_articles_with():
    # Only the spacing may differ: an inline tag before punctuation no longer adds a space.
    migration = importlib.import_module("articles.migrations.0004_search_renditions")
    for standfirst, body in Article.objects.values_list("standfirst", "body"):
        assert WORD.findall(document_text(standfirst, body)) == WORD.findall(
            migration.document_text(standfirst, body)
        )


@on_postgres
def test_rebuilding_the_index_touches_every_row():
    assert rebuild_index() == Article.objects.count()
    assert slugs("whetstones") == ["lei-jun-open-letter-xiaomi-world-number-two"]


@on_sqlite
def test_the_fts5_index_follows_saves_and_deletes(users):
    article = new_article(users["admin"], title="Platypus news", body="<p>About a wombat</p>")
    assert slugs("wombat") == [article.slug]
    article.body = "<p>About a numbat</p>"
    article.save()
    assert slugs("wombat") == [] and slugs("numbat") == [article.slug]
    pk = article.pk
    article.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid = %s", [pk])
        assert cursor.fetchone()[0] == 0


@on_sqlite
def test_the_fts5_index_can_be_rebuilt():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
    assert slugs("whetstones") == []
    assert rebuild_index() == Article.objects.count()
    assert slugs("whetstones") == ["lei-jun-open-letter-xiaomi-world-number-two"]
