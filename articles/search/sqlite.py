"""Search on SQLite: an FTS5 table, ranked with `bm25()`, snippets from `snippet()`.

The table `articles_article_fts` (rowid = article id) is made by migration 0004 and kept in
step by `articles.search.index`. Porter stemming plus prefix matching stands in for
per-language stemming. SQLite built without FTS5 has no table; search then falls back to
`articles.search.fallback`.
"""

import re

from django.db import connections
from django.db.models import Expression, FloatField, TextField
from django.db.models.expressions import RawSQL

from articles.search.query import MAX_TERMS, WORD

FTS_TABLE = "articles_article_fts"

_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts5_available(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def fts5_expression(query: str) -> str | None:
    """Translate web-search syntax ("phrases", -exclusions, or) into an FTS5 expression.

    Every term is quoted, so FTS5 operators typed by a reader are only words; words of four
    letters or more also match as prefixes (a stand-in for stemming). None when nothing
    searchable is left.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    count = 0
    for match in _TERM.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated = word.startswith("-")
            words = WORD.findall(word)
            quoted = False
        else:
            words = WORD.findall(phrase)
            quoted = True
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            break
        term = '"{}"'.format(" ".join(words).replace('"', '""'))
        if not quoted and len(words) == 1 and len(words[0]) >= 4:
            term += "*"
        (excluded if negated else groups[-1]).append(term)
    groups = [group for group in groups if group]
    if not groups:
        return None
    expression = " OR ".join("(" + " AND ".join(group) + ")" for group in groups)
    for term in excluded:
        expression = f"({expression}) NOT {term}"
    return expression


class _FTS5Value(Expression):
    """An FTS5 auxiliary function (bm25, snippet) for the outer query's article row."""

    def __init__(self, function: str, expression: str, output_field):
        super().__init__(output_field=output_field)
        self.function = function
        self.expression = expression

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = (
            f"(SELECT {self.function} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND {FTS_TABLE}.rowid = {alias}.{connection.ops.quote_name('id')})"
        )
        return sql, [self.expression]


def search(queryset, query: str):
    """`queryset` narrowed to matches, with `rank` and `snippet_source`; None if no terms."""
    expression = fts5_expression(query)
    if expression is None:
        return None
    # char(57344) and char(57345) are the highlight markers (snippets.HIGHLIGHT_START/STOP).
    snippet = f"snippet({FTS_TABLE}, 1, char(57344), char(57345), '…', 24)"
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    ).annotate(
        # bm25() is lower for better matches; negate it so higher ranks first everywhere.
        rank=_FTS5Value(f"-bm25({FTS_TABLE}, 10.0, 1.0)", expression, FloatField()),
        snippet_source=_FTS5Value(snippet, expression, TextField()),
    )
