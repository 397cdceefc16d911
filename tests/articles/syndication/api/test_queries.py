"""Every API operation runs the same number of queries for a page of 1 as for a page of
50, and for an object with 1 of everything around it as for one with 50 (the story graph
of tests/story_graph.py). Rendered every time here: a page cache hit runs none."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.articles.syndication.api.conftest import API
from tests.story_graph import build_story_graph, many_languages

pytestmark = pytest.mark.django_db

# The article, then its authors, sections, people, companies, quotes (with speakers),
# the quotes' translations, its thread entries (with threads), its public correction notes
# (with_page_data loads them for the article page; the API does not show them yet), and its
# other versions with their translation state.
ARTICLE_QUERIES = 10
# The page (one row more than asked, to know whether another page follows), its authors
# and sections; one more for each filter that names a person, company, section or thread.
ARTICLE_LIST_QUERIES = 3
# One page of people, companies or threads (public ones only, in the same query).
DIRECTORY_QUERIES = 1
# The page and the quotes' translations; the speaker comes with each quote.
QUOTE_LIST_QUERIES = 2
# The person; their public roles, and those roles' published sources.
PERSON_QUERIES = 3
# The company; the group's parent links, its parent and subsidiaries, the roles and their
# sources (`people.timeline.company_timeline`).
COMPANY_QUERIES = 5
# The quote (with its speaker), its translations, the published articles that use it.
QUOTE_QUERIES = 3
# The thread, its published entries with their articles.
STORY_QUERIES = 2


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured.captured_queries)


LISTS = [
    (f"{API}/articles", ARTICLE_LIST_QUERIES),
    (f"{API}/articles?person=big-person-0", ARTICLE_LIST_QUERIES + 1),
    (f"{API}/articles?company=big-company-0&language=en", ARTICLE_LIST_QUERIES + 1),
    (f"{API}/articles?story=big-thread", ARTICLE_LIST_QUERIES + 1),
    (f"{API}/people", DIRECTORY_QUERIES),
    (f"{API}/companies", DIRECTORY_QUERIES),
    (f"{API}/stories", DIRECTORY_QUERIES),
    (f"{API}/quotes", QUOTE_LIST_QUERIES),
    (f"{API}/quotes?person=big-person-0", QUOTE_LIST_QUERIES + 1),
]


# One test: building the two story graphs is what takes the time.
@override_settings(LANGUAGES=many_languages())
def test_every_operation_costs_the_same_for_1_or_50(client, no_page_cache):
    small = build_story_graph(1, tag="small")
    big = build_story_graph(50, tag="big")
    # Fifty more articles use one of the big graph's quotes.
    big_quote = big.person.quotes.first()
    for article in Article.objects.filter(slug__startswith="big-story-3"):
        article.quotes.add(big_quote)
    counted: dict[str, tuple[int, int]] = {}

    def count(url: str, expected: int) -> None:
        counted[url] = (queries_for(client, url), expected)

    # Articles: one with 1 of everything and one with 50 (versions, quotes, people…).
    queries_for(client, f"{API}/articles/{small.article.pk}")  # warm up
    for graph in (small, big):
        count(f"{API}/articles/{graph.article.pk}", ARTICLE_QUERIES)
        count(f"{API}/articles/en/{graph.article.slug}", ARTICLE_QUERIES)
    answer = client.get(f"{API}/articles/{big.article.pk}").json()
    assert len(answer["versions"]) == 50 and len(answer["quotes"]) == 50
    assert len(answer["people"]) == 50 and len(answer["authors"]) == 50

    # Lists: a page of 1, a page of 50, and the page after the first.
    for url, expected in LISTS:
        joiner = "&" if "?" in url else "?"
        one, fifty = f"{url}{joiner}limit=1", f"{url}{joiner}limit=50"
        assert len(client.get(fifty).json()["items"]) >= (5 if "stories" in url else 50), url
        count(one, expected)
        count(fifty, expected)
        count("/api/" + client.get(one).json()["next"].split("/api/", 1)[1], expected)

    # People and companies with 1 role and with 50 (and 49 subsidiaries).
    person = client.get(f"{API}/people/{big.person.slug}").json()
    assert len(person["roles"]) == 51  # 50 roles, and a member's role at their company
    company = client.get(f"{API}/companies/{big.company.slug}").json()
    assert len(company["subsidiaries"]) == 49 and len(company["roles"]) == 40
    assert company["more_roles"] is True
    for graph in (small, big):
        count(f"{API}/people/{graph.person.slug}", PERSON_QUERIES)
        count(f"{API}/companies/{graph.company.slug}", COMPANY_QUERIES)

    # A quote in 1 article and in 51; a thread of 2 articles and of 51.
    assert len(client.get(f"{API}/quotes/{big_quote.pk}").json()["articles"]) == 51
    assert len(client.get(f"{API}/stories/big-thread").json()["entries"]) == 51
    for graph in (small, big):
        count(f"{API}/quotes/{graph.person.quotes.first().pk}", QUOTE_QUERIES)
        count(f"{API}/stories/{graph.storyline.slug}", STORY_QUERIES)

    wrong = {url: found for url, found in counted.items() if found[0] != found[1]}
    assert not wrong, f"(queries, expected): {wrong}"
