"""Search on SQLite: an FTS5 table, ranked with `bm25()`, snippets from `snippet()`.

The table `articles_article_fts` (rowid = article id) is made by migration 0004 and kept in
step by `articles.search.index`. Porter stemming plus prefix matching stands in for
per-language stemming. SQLite built without FTS5 has no table; search then falls back to
`articles.search.fallback`.

The full-text query runs once per SQL query: its matches, each with its `bm25()` rank, are
joined to the articles (`MatchesJoin`), and `snippet()` is asked only for the shown page's
rows (`snippets`). FTS5 answers an auxiliary function for one row by running the whole
MATCH again, so neither may be a per-row subquery.
"""

import re

from django.db import connections
from django.db.models import Expression, FloatField
from django.db.models.sql.constants import INNER, LOUTER

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


class MatchesJoin:
    """INNER JOIN (the FTS5 matches with their rank) ON their rowid = the article's id.

    An entry of the query's `alias_map`, compiled like Django's own `Join`. LIMIT -1
    OFFSET 0 (no limit) keeps SQLite from flattening the subquery into the outer query,
    where its planner would walk the articles and run MATCH again for each one.
    """

    join_type = INNER
    nullable = False
    filtered_relation = None
    join_field = None
    table_name = "articles_search_matches"

    def __init__(self, expression: str, parent_alias: str, table_alias: str | None = None):
        self.expression = expression
        self.parent_alias = parent_alias
        self.table_alias = table_alias

    def as_sql(self, compiler, connection):
        qn = compiler.quote_name_unless_alias
        matches, article = qn(self.table_alias), qn(self.parent_alias)
        # bm25() is lower for better matches; negate it so higher ranks first everywhere.
        sql = (
            f"{self.join_type} (SELECT rowid AS article_id, -bm25({FTS_TABLE}, 10.0, 1.0) "
            f"AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1 OFFSET 0) "
            f"{matches} ON ({matches}.article_id = {article}.{qn('id')})"
        )
        return sql, [self.expression]

    def relabeled_clone(self, change_map):
        clone = type(self)(
            self.expression,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
        )
        clone.join_type = self.join_type
        return clone

    @property
    def identity(self):
        return type(self), self.expression, self.parent_alias, self.table_alias

    def __eq__(self, other):
        return isinstance(other, MatchesJoin) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def demote(self):
        clone = self.relabeled_clone({})
        clone.join_type = INNER
        return clone

    def promote(self):
        clone = self.relabeled_clone({})
        clone.join_type = LOUTER
        return clone


class MatchRank(Expression):
    """The joined matches' rank for the article row."""

    def __init__(self, alias: str):
        super().__init__(output_field=FloatField())
        self.alias = alias

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.rank", []

    def relabeled_clone(self, change_map):
        return type(self)(change_map.get(self.alias, self.alias))


def search(queryset, query: str):
    """`queryset` narrowed to matches, each with its `rank`; None if there are no terms."""
    expression = fts5_expression(query)
    if expression is None:
        return None
    queryset = queryset.all()
    alias = queryset.query.join(MatchesJoin(expression, queryset.query.get_initial_alias()))
    return queryset.annotate(rank=MatchRank(alias))


def snippets(article_ids, query: str, *, using: str = "default") -> dict[int, str]:
    """The marked snippet of each of these articles, by id: one MATCH for the whole page."""
    expression = fts5_expression(query)
    if expression is None or not article_ids:
        return {}
    # char(57344) and char(57345) are the highlight markers (snippets.HIGHLIGHT_START/STOP).
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, char(57344), char(57345), '…', 24) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
            [expression, *article_ids],
        )
        return dict(cursor.fetchall())
