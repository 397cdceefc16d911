"""articles/search/query.py: what a reader typed."""

from articles.search.query import clean_query, has_words


def test_queries_are_normalised_and_stripped_of_control_and_direction_characters():
    assert clean_query("  ＬＥＩ\u202e  jun\x07 ") == "LEI jun"
    assert not has_words("!!! ... ???")
    assert has_words("雷军")
