"""Keeping the search index in step with the articles.

On SQLite the FTS5 table (see `sqlite`) is ours to fill: the signal receivers here put an
article's words in when it is saved with new words and take them out when it is deleted.
On PostgreSQL the database's trigger (migration 0004) does this itself; `rebuild_index`
only asks it to run again for every row.
"""

from django.db import connections
from django.db.models.signals import post_delete, post_save

from articles.models import Article
from articles.search.snippets import MARKERS
from articles.search.sqlite import FTS_TABLE, fts5_available
from newsroom.text import html_to_text

INDEXED_FIELDS = frozenset({"title", "standfirst", "body", "language"})


def document_text(standfirst: str, body: str) -> str:
    """What snippets are cut from: the standfirst, then the body's words.

    The body's tags become word breaks and its entities characters; highlight markers an
    article might contain are dropped, so only a match is ever marked.
    """
    words = " ".join(html_to_text(body).translate(MARKERS).split())
    return f"{standfirst or ''}\n{words}".strip()


def index_article(article: Article, *, using: str = "default") -> None:
    """Put one article's current words into the FTS5 table (SQLite only)."""
    if not fts5_available(using):
        return
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"REPLACE INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)",
            [article.pk, article.title, document_text(article.standfirst, article.body)],
        )


def rebuild_index(*, using: str = "default") -> int:
    """Re-index every article (SQLite FTS5); on PostgreSQL the trigger refreshes each row."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET language = language")
            return cursor.rowcount
    if not fts5_available(using):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
    rows = Article.objects.using(using).values_list("pk", "title", "standfirst", "body")
    return index_rows(rows.iterator(chunk_size=2000), using=using)


def index_rows(rows, *, using: str = "default") -> int:
    """Index new articles given as (pk, title, standfirst, body) rows, for bulk loads
    (`bulk_create` sends no signals). On PostgreSQL the trigger has already indexed them,
    so this does nothing there."""
    if not fts5_available(using):
        return 0
    values = [(pk, title, document_text(standfirst, body)) for pk, title, standfirst, body in rows]
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)", values
        )
    return len(values)


def _article_saved(sender, instance, using, update_fields=None, **kwargs):
    if connections[using].vendor != "sqlite":
        return
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return  # a workflow step: the words did not change
    index_article(instance, using=using)


def _article_deleted(sender, instance, using, **kwargs):
    if fts5_available(using):
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])


def connect_signals() -> None:
    """Index maintenance for SQLite (called from the app config's ready())."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="articles.search.saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="articles.search.deleted")
