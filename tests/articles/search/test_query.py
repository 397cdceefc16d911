"""articles/search/query.py: what a reader typed; whatever it is, a search or a clear answer
(Hypothesis), never a database error."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import search_articles
from articles.search.query import MAX_QUERY_LENGTH, clean_query, has_words
from articles.search.sqlite import fts5_expression
from tests.properties import PROPERTY, PROPERTY_WITH_DB


def test_queries_are_normalised_and_stripped_of_control_and_direction_characters():
    assert clean_query("  ＬＥＩ\u202e  jun\x07 ") == "LEI jun"
    assert not has_words("!!! ... ???")
    assert has_words("雷军")


# --- Properties (Hypothesis): whatever a reader types ------------------------------------

# Web-search syntax and the characters FTS5 and tsquery treat as operators, mixed with text.
query_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    '"',
                    "-",
                    "OR",
                    "or",
                    "AND",
                    "NOT",
                    "NEAR",
                    "*",
                    "^",
                    ":",
                    "(",
                    ")",
                    "+",
                    "'",
                    "{",
                    "}",
                    "\\",
                    "&",
                    "|",
                    "!",
                    "<->",
                    "\x00",
                    "\u202e",
                    "雷军",
                    "Xiaomi",
                    " ",
                ]
            ),  # fmt: skip
            st.text(max_size=10),
        ),
        max_size=40,
    ).map(" ".join),
)


@PROPERTY
@given(query_text)
def test_any_string_is_cleaned_without_raising_and_stays_bounded(raw):
    cleaned = clean_query(raw)
    assert isinstance(cleaned, str) and len(cleaned) <= 2 * MAX_QUERY_LENGTH
    assert "\x00" not in cleaned and "\u202e" not in cleaned
    assert cleaned == cleaned.strip()
    assert isinstance(has_words(cleaned), bool)
    expression = fts5_expression(cleaned[:MAX_QUERY_LENGTH])
    assert expression is None or isinstance(expression, str)


@PROPERTY
@given(query_text)
def test_any_string_is_a_search_the_database_accepts(db, raw):
    # Whatever the backend (FTS5 on SQLite, websearch_to_tsquery on PostgreSQL), the parsed
    # query never makes the database raise a syntax error.
    found = list(search_articles(raw).values_list("pk", flat=True)[:5])
    assert all(isinstance(pk, int) for pk in found)


@settings(PROPERTY_WITH_DB, max_examples=30)
@given(query_text)
def test_any_string_on_the_search_page_is_answered_without_a_server_error(db, client, raw):
    response = client.get("/search/", {"q": raw})
    assert response.status_code in {200, 400}
