"""Search on PostgreSQL: per-language stemming, ranking and snippets from the database.

A `search_vector` tsvector column on `articles_article`, kept by a database trigger
(migration 0004) with the text search configuration of the row's language (english, dutch,
turkish, …; `simple` for languages PostgreSQL cannot stem), weighted title > standfirst >
body, and a GIN index. The column is not a model field: the database owns it, so no save
path (ORM, `QuerySet.update()`, raw SQL) can leave it stale.

A query is parsed once per language with `websearch_to_tsquery` and each article is matched
by the parse in its own language, so "bestuurders" finds "bestuurder" in Dutch articles
without stemming English articles the Dutch way. Ranked with `ts_rank`, snippets from
`ts_headline`.

What a search costs does not grow with the archive. A GIN index finds matches but cannot
order them by rank, and ranking reads each match's whole vector (kilobytes, out of line):
a word in most of 100 000 articles would mean reading hundreds of megabytes per request.
So the newest `MAX_RESULTS + 1` matches are ranked (the page says when there are more),
and `ts_headline`, which re-parses an article, runs only for the rows on the page
(`snippets`).
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import Case, Expression, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Concat

from articles.models import Article
from articles.search.query import MAX_RESULTS
from articles.search.snippets import HIGHLIGHT_START, HIGHLIGHT_STOP
from newsroom.languages import language_codes

# Language code -> PostgreSQL text search configuration. Migration 0004 copies this table
# into the trigger that fills search_vector; change both together (a test checks that they
# agree). Languages not listed are indexed and searched with 'simple' (no stemming).
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
FALLBACK_CONFIG = "simple"

# A tag in sanitised HTML: attribute values are always quoted and may contain '>'.
# The trigger (migration 0004) strips tags with the same pattern.
TAG_PATTERN = r"""<("[^"]*"|'[^']*'|[^'">])*>"""


def search_config(language: str) -> str:
    return LANGUAGE_CONFIGS.get(language, FALLBACK_CONFIG)


class StoredSearchVector(Expression):
    """The trigger-maintained `search_vector` column of the query's articles table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _parsed(query: str, config: str) -> SearchQuery:
    return SearchQuery(query, config=config, search_type="websearch")


def search(queryset, query: str):
    """`queryset` narrowed to its newest `MAX_RESULTS + 1` matches, each with its `rank`.

    The other filters must already be on `queryset`, so that the window holds the newest
    of their matches.
    """
    codes = language_codes()
    branches = Q()
    ranks = []
    any_language = _parsed(query, FALLBACK_CONFIG)
    for code in codes:
        parsed = _parsed(query, search_config(code))
        branches |= Q(language=code, _search_vector=parsed)
        ranks.append(When(language=code, then=SearchRank(F("_search_vector"), parsed)))
        any_language = any_language | parsed
    # Articles in a language no longer configured: matched without stemming.
    branches |= ~Q(language__in=codes) & Q(_search_vector=_parsed(query, FALLBACK_CONFIG))
    newest_matches = (
        queryset.alias(_search_vector=StoredSearchVector())
        # One GIN lookup for the query parsed in every language, then the exact test: the
        # article matches the query parsed in its own language.
        .filter(_search_vector=any_language)
        .filter(branches)
        # Plain DESC (nulls first), the order the visibility index can be read in.
        .order_by("-published_at", "-pk")
        .values("pk")[: MAX_RESULTS + 1]
    )
    return (
        queryset.filter(pk__in=newest_matches)
        .alias(_search_vector=StoredSearchVector())
        .annotate(
            rank=Case(
                *ranks,
                default=SearchRank(F("_search_vector"), _parsed(query, FALLBACK_CONFIG)),
                output_field=FloatField(),
            )
        )
    )


def snippets(article_ids, query: str, *, using: str = "default") -> dict[int, str]:
    """The marked snippet of each of these articles (the page's), by id, in one query."""
    if not article_ids:
        return {}
    document = Concat(
        F("standfirst"),
        Value("\n"),
        Func(
            F("body"),
            Value(TAG_PATTERN),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        ),
        output_field=TextField(),
    )

    def headline(config):
        return SearchHeadline(
            document,
            _parsed(query, config),
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    headlines = [
        When(language=code, then=headline(search_config(code))) for code in language_codes()
    ]
    rows = (
        Article.objects.using(using)
        .filter(pk__in=article_ids)
        .annotate(
            snippet=Case(*headlines, default=headline(FALLBACK_CONFIG), output_field=TextField())
        )
        .values_list("pk", "snippet")
    )
    return dict(rows)
