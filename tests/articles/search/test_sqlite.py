"""articles/search/sqlite.py: web-search syntax as FTS5 expressions."""

import pytest

from articles.search.query import MAX_TERMS
from articles.search.sqlite import fts5_expression


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kingsoft", '("kingsoft"*)'),
        ("lei jun", '("lei" AND "jun")'),
        ('"open letter" xiaomi', '("open letter" AND "xiaomi"*)'),
        ("xiaomi -kingsoft", '(("xiaomi"*)) NOT "kingsoft"*'),
        ("kingsoft or youpin", '("kingsoft"*) OR ("youpin"*)'),
        ("!!! *** ^^", None),
        ("-only -negative", None),
        ("or or", None),
    ],
)
def test_fts5_expressions_follow_web_search_syntax(query, expected):
    assert fts5_expression(query) == expected


def test_fts5_operators_typed_by_a_reader_are_only_words():
    expression = fts5_expression('NEAR(lei jun) AND title:xiaomi "a ""b')
    assert expression == '("NEAR lei" AND "jun" AND "AND" AND "title xiaomi" AND "a" AND "b")'


def test_fts5_expressions_have_a_bounded_number_of_terms():
    expression = fts5_expression(" ".join(f"word{i}" for i in range(100)))
    assert expression.count(" AND ") == MAX_TERMS - 1
