"""articles/search/views.py: the /search/ page, what it shows and what it refuses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.search.views import RESULTS_PER_PAGE
from people.models import Company, Person
from tests.articles.search.helpers import new_article, page

pytestmark = pytest.mark.django_db


def test_the_page_shows_highlighted_snippets_in_each_articles_language(client):
    response, html = page(client, q="bestuurders")
    assert response.status_code == 200
    assert '<li class="result" lang="nl">' in html
    assert "<mark>bestuurder</mark>" in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_html_in_articles_and_queries_cannot_reach_the_page(client, users):
    new_article(
        users["admin"],
        title="Zebrafish report",
        body="<p>Some &lt;script&gt;alert(1)&lt;/script&gt; text about zebrafish.</p>",
    )
    response, html = page(client, q="zebrafish")
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>zebrafish</mark>" in html

    response, html = page(client, q='zebrafish <img src=x onerror="alert(2)">')
    assert response.status_code == 200
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({}, 200, "Search for"),
        ({"q": ""}, 200, "Type one or more words"),
        ({"q": "   "}, 200, "Type one or more words"),
        ({"q": "!!! ??? ..."}, 200, "has no words in it"),
        ({"q": "🙂🙃"}, 200, "has no words in it"),
        ({"q": "zzqqxxnotaword"}, 200, "No published article matches"),
        ({"q": "x" * 201}, 400, "at most 200 characters"),
        ({"q": "lei\x00jun"}, 400, "Null characters are not allowed"),
        ({"q": "lei", "page": "abc"}, 400, "is not a page number"),
        ({"q": "lei", "page": "0"}, 404, "There is no page 0"),
        ({"q": "lei", "page": "-3"}, 400, "is not a page number"),
        ({"q": "lei", "page": "99999"}, 404, "There is no page 99999"),
        ({"q": "lei", "page": "9" * 40}, 400, "is not a page number"),
        ({"q": "lei", "page": "\u0663"}, 400, "is not a page number"),  # an Arabic-Indic 3
        ({"q": "lei", "language": "xx"}, 400, "We do not publish in “xx”"),
        ({"q": "lei", "person": "no-such-person"}, 400, "mentions a person “no-such-person”"),
        ({"q": "lei", "company": "<script>"}, 400, "mentions a company “&lt;script&gt;”"),
    ],
)
def test_bad_input_gets_a_clear_answer(client, params, status, message):
    response, html = page(client, **params)
    assert response.status_code == status
    assert message in html


@pytest.mark.parametrize(
    "query",
    [
        "\u202eevil\u202c",
        "e\u0301\u0301\u0301\u0301\u0301",
        "雷军 小米",
        "ﷺ" * 20,
        "\ud7ff\ue000\ue001\uffff",
        '"unterminated phrase',
        "- - - or OR -",
        "a & b | !c <-> d:*",
        "'; DROP TABLE articles_article; --",
        "NEAR(lei jun, 2) AND title:xiaomi",
    ],
)
def test_odd_queries_answer_200(client, query):
    response, _ = page(client, q=query)
    assert response.status_code == 200


def test_pagination_keeps_the_query_and_filters(client, users):
    for i in range(RESULTS_PER_PAGE + 2):
        new_article(users["admin"], title=f"Capybara dispatch {i}", body="<p>capybara</p>")
    response, html = page(client, q="capybara", language="en")
    assert response.status_code == 200
    assert f"{RESULTS_PER_PAGE + 2} articles found" in html
    assert 'rel="next" href="?q=capybara&amp;language=en&amp;page=2"' in html
    response, html = page(client, q="capybara", language="en", page="2")
    assert html.count('<li class="result"') == 2
    assert 'rel="prev"' in html


def test_the_search_page_runs_the_same_queries_for_one_result_or_a_full_page(
    client, users, no_page_cache
):
    """Fixed query budget: results, their lead images and filters cost no per-row queries."""
    from tests.articles.test_renditions import make_image

    owner = users["admin"]
    person = Person.objects.get(slug="lei-jun")
    company = Company.objects.get(slug="xiaomi")

    def tagged(word, count):
        for i in range(count):
            article = new_article(
                owner,
                title=f"{word} {i}",
                body=f"<p>{word} story</p>",
                lead_image=make_image(size=(400, 300)),
            )
            article.people.add(person)
            article.companies.add(company)

    tagged("Axolotl", 1)
    tagged("Pangolin", RESULTS_PER_PAGE + 1)

    def count(word):
        params = {"q": word, "language": "en", "person": "lei-jun", "company": "xiaomi"}
        with CaptureQueriesContext(connection) as queries:
            response, html = page(client, **params)
        assert response.status_code == 200
        assert html.count("<picture>") == min(
            RESULTS_PER_PAGE, 1 if word == "axolotl" else RESULTS_PER_PAGE + 1
        )
        return len(queries)

    one, many = count("axolotl"), count("pangolin")
    assert one == many
    # Search itself takes at most 9 (see the report on filters; the page's snippets are one
    # query of their own); the site layout's section navigation adds one.
    assert many <= 10


def test_the_search_page_speaks_the_language_it_was_asked_in(client):
    response = client.get("/search/", {"q": "Xiaomi", "lang": "nl"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Zoek verhalen" in html  # the header's search box, in Dutch
    # The language switcher keeps the query and goes to the same search in Turkish.
    assert 'href="/search/?q=Xiaomi&amp;lang=tr"' in html
    assert 'href="/search/?q=Xiaomi"' in html  # English, the default, needs no lang


def test_an_unknown_page_language_is_a_404_not_a_500(client):
    assert client.get("/search/", {"q": "Xiaomi", "lang": "xx"}).status_code == 404


def test_a_search_counts_no_further_than_its_cap_and_says_so(client, users, monkeypatch):
    from articles.search import postgres, views

    monkeypatch.setattr(views, "MAX_RESULTS", 3)
    monkeypatch.setattr(postgres, "MAX_RESULTS", 3)
    for i in range(5):
        new_article(users["admin"], title=f"Quokka dispatch {i}", body="<p>quokka</p>")
    response, html = page(client, q="quokka")
    assert response.status_code == 200
    assert "More than 3 articles found for “quokka”" in html
    assert "Only the first 3 are shown." in html
    assert html.count('<li class="result"') == 3
    _, html = page(client, q="quokka", lang="nl")
    assert "Meer dan 3 artikelen gevonden voor „quokka”" in html
    _, html = page(client, q="quokka", lang="tr")
    assert "“quokka” için 3 haberden fazla bulundu" in html
    # Under the cap, the count is exact.
    _, html = page(client, q="quokka dispatch 4")
    assert "1 article found for “quokka dispatch 4”" in html


def test_on_a_generated_archive_a_search_costs_the_same_queries_for_one_or_thousands(
    client, no_page_cache
):
    """~2 000 articles (with drafts, scheduled and unpublished versions): a rare word, a
    word in most of them and a filtered search take the same queries; only published
    articles appear, each with its snippet marked; a common word's count is capped."""
    from articles.generator import generate
    from articles.models import Article

    generate(2000, seed=3)
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.filter(body__icontains="report").exists()  # drafts that would match
    assert Article.objects.scheduled().filter(body__icontains="report").exists()

    def search(**params):
        with CaptureQueriesContext(connection) as queries:
            response, html = page(client, **params)
        assert response.status_code == 200
        return html, len(queries)

    rare, rare_queries = search(q="whetstones")
    assert "1 article found" in rare
    common, common_queries = search(q="report")
    assert "More than 1,000 articles found for “report”" in common
    filtered, filtered_queries = search(q="report", language="nl", page="2")
    assert rare_queries == common_queries
    # Only the first page looks up people and companies by name (one read of the name
    # keys when none match; see tests/people/test_names.py for its cost).
    assert filtered_queries == common_queries - 1

    for html in (rare, common, filtered):
        results = re.findall(r'<li class="result".*?</li>', html, re.S)
        assert results
        assert all('<p class="snippet">' in r and "<mark>" in r for r in results)
    published = {a.get_absolute_url() for a in Article.objects.published()}
    shown = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', common + filtered)
    assert len(shown) == 2 * RESULTS_PER_PAGE
    assert set(shown) <= published


# -- People and companies above the articles ----------------------------------------------


def entity_block(html: str) -> str:
    match = re.search(r'<section class="entity-results".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_a_native_name_finds_the_person_above_the_articles(client):
    response, html = page(client, q="雷军")
    assert response.status_code == 200
    block = entity_block(html)
    assert '<h2 id="entities-heading">People and companies</h2>' in block
    assert '<a class="entity-name" href="/people/lei-jun/">Lei Jun' in block
    assert '<span class="native" lang="zh-Hans">雷军</span>' in block
    assert "Person" in block
    assert (
        '<a class="entity-stories" href="/articles/?person=lei-jun">Stories about Lei Jun' in block
    )
    assert html.index("entity-results") < html.index('id="results-heading"')


def test_the_chinese_name_and_the_aliases_find_the_company(client):
    for query in ("小米", "小米集团", "Xiaomi Corporation"):
        _response, html = page(client, q=query)
        assert '<a class="entity-name" href="/companies/xiaomi/">Xiaomi Group' in entity_block(
            html
        ), query


def test_the_block_speaks_the_pages_language_and_links_in_it(client):
    _response, html = page(client, q="雷军", lang="nl")
    block = entity_block(html)
    assert "Personen en bedrijven" in block and "Persoon" in block
    assert 'href="/articles/?person=lei-jun&amp;lang=nl">Verhalen over Lei Jun' in block
    assert 'href="/people/lei-jun/?lang=nl"' in block
    assert '<p class="entity-about" lang="en">' in block  # the bio is in English


def test_the_block_is_short_and_only_on_the_first_page(client):
    _response, html = page(client, q="xiaomi")
    assert entity_block(html).count('<li class="entity">') == 6
    _response, html = page(client, q="xiaomi", page="2")
    assert entity_block(html) == ""


def test_no_block_when_no_name_matches_and_none_for_people_without_a_page(client):
    Person.objects.create(name="Zed Unpublished", native_name="未发表")
    for query in ("bestuurders", "未发表", "zed unpublished"):
        _response, html = page(client, q=query)
        assert entity_block(html) == "", query


def test_renaming_a_person_refreshes_a_cached_search_that_shows_them(client):
    page(client, q="雷军")
    again, _ = page(client, q="雷军")
    assert again["X-Page-Cache"] == "hit"
    person = Person.objects.get(slug="lei-jun")
    person.name = "Lei Jun (雷军)"
    person.save()
    response, html = page(client, q="雷军")
    assert response["X-Page-Cache"] == "miss"
    assert "Lei Jun (雷军)" in entity_block(html)
