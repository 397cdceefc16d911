"""Helpers for the search tests: new published articles, what a search finds, the page."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.search import search_articles

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL text search configurations"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")


def slugs(query, **filters):
    queryset = Article.objects.published().filter(**filters)
    return [a.slug for a in search_articles(query, queryset=queryset)]


def publish(article, user, *, at=None):
    workflow.submit_for_review(article, user=user)
    workflow.approve(article, user=user)
    return workflow.publish(article, user=user, at=at)


def new_article(user, *, language="en", title, body, slug=None, published=True, **fields):
    article = Article(
        language=language,
        title=title,
        slug=slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60],
        body=body,
        owner=user,
        **fields,
    )
    article.full_clean()
    article.save()
    if published:
        publish(article, user, at=timezone.now() - datetime.timedelta(hours=1))
    return article


def page(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()
