"""Full-text search over published articles, in each article's own language.

Three backends, chosen per database connection, one module each:

- `postgres`: a trigger-kept tsvector column with a GIN index, stemmed per language.
- `sqlite`: an FTS5 table kept in step by `index`; Porter stemming and prefix matching.
- `fallback`: `icontains` on the words, for anything else or SQLite built without FTS5.

Each returns the articles with a `rank`; `highlighted` then gives the articles on the shown
page their snippets (asking the database for those rows only), the matches marked with
private-use characters that `snippets.render_snippet` turns into safe `<mark>` elements.
`views` is the /search/ page; `filters` its form.
"""

from django.db import connections
from django.db.models import F

from articles.models import Article
from articles.search import fallback, postgres, sqlite
from articles.search.index import index_article, index_rows, rebuild_index
from articles.search.query import MAX_QUERY_LENGTH, WORD, clean_query, has_words
from articles.search.snippets import mark_words, render_snippet

__all__ = [
    "highlighted",
    "index_article",
    "index_rows",
    "rebuild_index",
    "render_snippet",
    "search_articles",
    "search_backend",
]

_BACKENDS = {"postgresql": postgres.search, "fts5": sqlite.search, "icontains": fallback.search}


def search_backend(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return "postgresql"
    if vendor == "sqlite" and sqlite.fts5_available(using):
        return "fts5"
    return "icontains"


def search_articles(query: str, *, queryset=None, backend: str | None = None):
    """Published articles matching `query`, best first, each with its `rank`.

    `queryset` narrows the search (filters); it must come from `Article.objects.published()`.
    `backend` is chosen from the database unless given ("postgresql", "fts5", "icontains").
    """
    if queryset is None:
        queryset = Article.objects.published()
    query = clean_query(query)[:MAX_QUERY_LENGTH]
    if not has_words(query):
        return queryset.none()
    search = _BACKENDS.get(backend or search_backend(queryset.db), fallback.search)
    found = search(queryset, query)
    if found is None:  # only operators and exclusions: nothing to look for
        return queryset.none()
    return found.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")


_SNIPPETS = {"postgresql": postgres.snippets, "fts5": sqlite.snippets}


def highlighted(articles, query: str, *, backend: str) -> None:
    """Give each found article a safe `snippet` (HTML with <mark> around the matches).

    Meant for one page of results: the database cuts the snippets of these rows only, in
    one query.
    """
    articles = list(articles)
    if not articles:
        return
    query = clean_query(query)[:MAX_QUERY_LENGTH]
    if backend in _SNIPPETS:
        found = _SNIPPETS[backend](
            [article.pk for article in articles], query, using=articles[0]._state.db
        )
        raws = [found.get(article.pk, "") for article in articles]
    else:  # the standfirst, marked here: the database cannot mark it
        words = WORD.findall(query)
        raws = [mark_words(article.standfirst or "", words) for article in articles]
    for article, raw in zip(articles, raws, strict=True):
        article.snippet = render_snippet(raw, unescape=backend == "postgresql")
