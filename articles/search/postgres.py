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
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import Case, Expression, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Concat

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


def search(queryset, query: str):
    """`queryset` narrowed to matches, each with `rank` and `snippet_source` (marked)."""
    codes = language_codes()
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
    branches = Q()
    ranks, headlines = [], []

    def parsed(config):
        return SearchQuery(query, config=config, search_type="websearch")

    def headline(config):
        return SearchHeadline(
            document,
            parsed(config),
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    any_language = parsed(FALLBACK_CONFIG)
    for code in codes:
        config = search_config(code)
        branches |= Q(language=code, _search_vector=parsed(config))
        ranks.append(When(language=code, then=SearchRank(F("_search_vector"), parsed(config))))
        headlines.append(When(language=code, then=headline(config)))
        any_language = any_language | parsed(config)
    # Articles in a language no longer configured: matched without stemming.
    branches |= ~Q(language__in=codes) & Q(_search_vector=parsed(FALLBACK_CONFIG))
    return (
        queryset.alias(_search_vector=StoredSearchVector())
        # One GIN lookup for the query parsed in every language, then the exact test: the
        # article matches the query parsed in its own language.
        .filter(_search_vector=any_language)
        .filter(branches)
        .annotate(
            rank=Case(
                *ranks,
                default=SearchRank(F("_search_vector"), parsed(FALLBACK_CONFIG)),
                output_field=FloatField(),
            ),
            snippet_source=Case(
                *headlines, default=headline(FALLBACK_CONFIG), output_field=TextField()
            ),
        )
    )
