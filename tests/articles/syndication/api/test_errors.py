"""Bad input is a 400 or 404 as RFC 9457 problem details naming what was wrong (never a
500); any origin may read the API; cursors continue where their page ended."""

import pytest

from articles.models import Article
from articles.syndication.api import cursors
from tests.articles.syndication.api.conftest import API, get_json, local
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("language=klingon", "language"),
        ("language=de", "language"),
        ("person=no-such-person", "person"),
        ("person=%00", "person"),
        ("company=no-such-company", "company"),
        ("section=no-such-section", "section"),
        ("story=no-such-thread", "story"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=1700000000", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"),
        ("cursor=bm9uc2Vuc2U", "cursor"),  # base64 of "nonsense"
        ("cursor=!!", "cursor"),
        (f"cursor={cursors.encode('people', 'lei-jun')}", "cursor"),  # another list's
        (f"cursor={cursors.encode('articles', '2024-01-01T00:00:00', 3)}", "cursor"),  # naive
        (f"cursor={cursors.encode('articles', '2024-01-01T00:00:00+00:00', 2**70)}", "cursor"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, parameter):
    response = client.get(f"{API}/articles?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert problem["instance"].startswith(f"{API}/articles?")
    assert [p["name"] for p in problem["invalid-params"]] == [parameter]
    assert problem["invalid-params"][0]["reason"]
    assert parameter in problem["detail"]


@pytest.mark.parametrize(
    "url, parameter",
    [
        (f"{API}/articles/0", "id"),
        (f"{API}/articles/abc", "id"),
        (f"{API}/articles/{2**64}", "id"),
        (f"{API}/people/bad%20slug", "slug"),
        (f"{API}/quotes?language=tlh", "language"),
        (
            f"{API}/people?cursor={cursors.encode('articles', '2024-01-01T00:00:00+00:00', 1)}",
            "cursor",
        ),
    ],
)
def test_bad_path_values_are_400s_too(client, url, parameter):
    problem = get_json(client, url, 400)
    assert [p["name"] for p in problem["invalid-params"]] == [parameter]


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/articles/987654321",
        f"{API}/articles/en/no-such-story",
        f"{API}/articles/de/lei-jun-gives-up-roles-for-xiaomi-cars",
        f"{API}/people/no-such-person",
        f"{API}/companies/no-such-company",
        f"{API}/quotes/987654321",
        f"{API}/stories/no-such-thread",
        f"{API}/no-such-thing",
        "/api/v2/articles",
        "/api/",
    ],
)
def test_what_is_not_there_is_a_404_problem(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["title"] == "Not Found" and problem["detail"]


def test_writing_is_not_allowed(client):
    response = client.post(f"{API}/articles", {})
    assert response.status_code == 405


def test_any_origin_may_read(client):
    response = client.get(f"{API}/articles", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Origin" not in response.get("Vary", "")  # one copy serves every origin
    for url in [f"{API}/articles/987654321", f"{API}/openapi.json", f"{API}/articles?limit=0"]:
        assert client.get(url)["Access-Control-Allow-Origin"] == "*", url
    # The public pages are not the API: no CORS there.
    assert "Access-Control-Allow-Origin" not in client.get("/en/")


def test_a_preflight_is_answered(client):
    response = client.options(
        f"{API}/articles",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_pages_hold_while_stories_are_published(client, users):
    first = get_json(client, f"{API}/articles?limit=3")
    for n in range(2):  # two new stories go on top of the list meanwhile
        bring_to(make_draft(users["admin"], title=f"Breaking {n}"), "published", by=users["admin"])
    rest, url = [], first["next"]
    while url:
        page = get_json(client, local(url))
        rest += [item["id"] for item in page["items"]]
        url = page["next"]
    seen = [item["id"] for item in first["items"]] + rest
    # Every story that was there once, none twice, and none of the new ones.
    before = Article.objects.published().exclude(title__startswith="Breaking")
    assert sorted(seen) == sorted(before.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_the_last_page_says_so(client):
    total = Article.objects.published().count()
    answer = get_json(client, f"{API}/articles?limit={total}")
    assert len(answer["items"]) == total
    assert answer["next_cursor"] is None and answer["next"] is None


def test_the_next_page_keeps_the_filters(client):
    answer = get_json(client, f"{API}/articles?language=en&limit=1")
    assert "language=en" in answer["next"] and "limit=1" in answer["next"]
    following = get_json(client, local(answer["next"]))
    assert following["items"][0]["language"] == "en"
    assert following["items"][0]["id"] != answer["items"][0]["id"]


def test_the_index_lists_what_there_is(client):
    index = get_json(client, f"{API}/")
    for name in ("openapi", "docs", "articles", "people", "companies", "quotes", "stories"):
        assert client.get(local(index[name])).status_code == 200, name
