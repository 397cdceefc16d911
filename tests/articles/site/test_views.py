"""Public article pages: front pages, article pages, lists, story threads, errors."""

import datetime

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from articles import workflow
from articles.models import Article, Storyline
from people.models import Person
from tests.public_pages import Page
from tests.story_graph import build_story_graph, many_languages

pytestmark = pytest.mark.django_db

CARS_EN = "/en/lei-jun-gives-up-roles-for-xiaomi-cars/"
CARS_NL = "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/"
EV_TR = "/tr/xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor/"
EV_EN = "/en/xiaomi-ceo-quits-another-role-for-electric-cars/"
KINGSOFT_EN = "/en/lei-jun-steps-down-kingsoft-executive-director/"
MANU_NL = "/nl/manu-kumar-jain-verlaat-xiaomi/"
MANU_EN = "/en/manu-kumar-jain-leaves-xiaomi/"
LETTER_EN = "/en/lei-jun-open-letter-xiaomi-world-number-two/"
LETTER_TR = "/tr/lei-jun-acik-mektup-xiaomi-dunya-ikincisi/"


def get_page(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return Page.of(response)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


# -- Front pages -------------------------------------------------------------------------


def test_front_page_is_the_default_language(client):
    page = get_page(client, "/")
    assert page.html_lang == "en"
    assert "Latest stories" in page.text and "People in the news" in page.text
    assert "Story threads" in page.text and "Lei Jun hands over his roles" in page.text
    assert "Manu Kumar Jain leaves Xiaomi after nine years" in page.text


def test_language_front_pages_speak_their_language(client):
    dutch = get_page(client, "/nl/")
    assert dutch.html_lang == "nl"
    assert "Laatste verhalen" in dutch.text and "Mensen in het nieuws" in dutch.text
    assert "Manu Kumar Jain verlaat Xiaomi na negen jaar" in dutch.text
    turkish = get_page(client, "/tr/")
    assert turkish.html_lang == "tr" and "Son haberler" in turkish.text
    # Stories without a Turkish version are offered in English, marked as such.
    assert "Diğer dillerde" in turkish.text
    assert ("article", "en") in turkish.lang_attrs


def test_the_url_not_the_browser_chooses_the_language(client):
    page = get_page(client, "/nl/", HTTP_ACCEPT_LANGUAGE="tr")
    assert page.html_lang == "nl" and "Laatste verhalen" in page.text
    page = get_page(client, "/people/lei-jun/", HTTP_ACCEPT_LANGUAGE="nl")
    assert page.html_lang == "en" and "Roles over time" in page.text


def test_front_page_shows_only_published_stories(client):
    page = get_page(client, "/nl/")
    assert "Open brief van Lei Jun" not in page.text  # scheduled for later
    assert "Lei Jun stopt als uitvoerend bestuurder" not in page.text  # a draft


# -- Article pages -----------------------------------------------------------------------


def test_article_page_has_everything_a_reader_needs(client):
    page = get_page(client, CARS_EN)
    text = page.text
    assert "Lei Jun gives up company roles to put Xiaomi's car business first" in text
    assert "Xiaomi's founder has left the boards" in text  # standfirst
    assert "Newsroom staff" in text and "Beijing" in text  # byline, dateline
    assert "Published Dec. 10, 2021" in text
    assert "Photo credit: Xiaomi" in text  # credit
    assert "The changes, in order" in text  # body
    assert "signifies Xiaomi's accelerated vehicle making development" in text  # quote
    hrefs = {link.get("href") for link in page.links}
    assert "/people/zeng-xuezhong/" in hrefs and "/companies/xiaomi-automobile/" in hrefs
    assert "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/" in hrefs  # other version
    assert "Related" in text


def test_author_byline_links_to_the_author(client):
    page = get_page(client, KINGSOFT_EN)
    assert any(
        link.get("href") == "/people/yingwei-fu/" and link.get("rel") == "author"
        for link in page.links
    )


def test_dutch_article_keeps_readers_in_dutch(client):
    page = get_page(client, CARS_NL)
    assert page.html_lang == "nl"
    assert "Gepubliceerd 13 december 2021" in page.text
    hrefs = {link.get("href") for link in page.links}
    assert "/people/lei-jun/?lang=nl" in hrefs
    assert "/stories/lei-jun-hands-over-his-roles/?lang=nl" in hrefs


def test_quotes_in_the_reader_language_or_the_original_with_its_lang(client):
    dutch = client.get(MANU_NL).content.decode()
    assert '<blockquote lang="nl"><p>Verandering is de enige constante in het leven.' in dutch
    english = client.get(LETTER_EN).content.decode()
    assert '<blockquote lang="en"><p>Full speed ahead!' in english
    assert "Translated from Simplified Chinese" in english
    turkish = client.get(LETTER_TR).content.decode()
    assert '<blockquote lang="tr"><p>Tam yol ileri!' in turkish
    # No Dutch rendering of Wang Hua's words: the English original, marked as English.
    cars = client.get(CARS_NL).content.decode()
    assert '<blockquote lang="en"><p>signifies' in cars


def test_quotes_say_who_when_and_where(client):
    page = get_page(client, CARS_NL)
    text = page.text
    assert "Wang Hua" in text
    assert "dec 2021" in text  # month precision, in Dutch
    assert "Comment on Lei Jun's resignations, reported by Gasgoo" in text
    html = client.get(CARS_NL).content.decode()
    assert '<time datetime="2021-12">dec 2021</time>' in html


def test_language_switcher_goes_to_the_same_story_or_the_front_page(client):
    page = get_page(client, CARS_EN)
    switcher = {}  # the header's switcher comes before the footer's front-page links
    for link in page.links:
        if link.get("hreflang"):
            switcher.setdefault(link["hreflang"], link["href"])
    assert switcher["nl"] == CARS_NL
    assert switcher["tr"] == "/tr/"  # no Turkish version: the Turkish front page
    assert switcher["en"] == CARS_EN


def test_story_thread_navigation_in_the_reader_language(client):
    html = client.get(CARS_NL).content.decode()
    # The Dutch Kingsoft story is only a draft, so "previous" is the English one; there is
    # no Dutch EV story, so "next" is the English version rather than the Turkish original.
    assert f'<a href="{KINGSOFT_EN}" rel="prev">' in html
    assert f'<a href="{EV_EN}" rel="next">' in html
    assert "Deel 2 van 3" in html
    turkish = client.get(EV_TR).content.decode()
    assert f'<a href="{CARS_EN}" rel="prev">' in turkish
    assert 'rel="next"' not in turkish.split("Xiaomi&#x27;s rise")[0]
    english = client.get(CARS_EN).content.decode()
    assert f'<a href="{EV_EN}" rel="next">' in english


def test_whole_thread_is_listed_in_order(client):
    html = client.get(CARS_EN).content.decode()
    thread = html.split("Lei Jun hands over his roles", 1)[1].split("</details>", 1)[0]
    positions = [thread.index(url) for url in (KINGSOFT_EN, EV_EN)]
    assert positions == sorted(positions)
    assert '<li aria-current="true"><strong>Lei Jun gives up' in thread


def test_related_articles_put_the_editors_picks_first(client):
    cars = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    letter = Article.objects.get(language="en", slug="lei-jun-open-letter-xiaomi-world-number-two")
    cars.related.add(letter)
    html = client.get(CARS_EN).content.decode()
    related = html.split('id="related-heading"', 1)[1]
    assert related.index(LETTER_EN) < related.index(EV_EN)


def test_related_articles_prefer_the_reader_language(client):
    html = client.get(MANU_EN).content.decode()
    related = html.split('id="related-heading"', 1)[1]
    assert CARS_EN in related and CARS_NL not in related
    dutch = client.get(MANU_NL).content.decode().split('id="related-heading"', 1)[1]
    assert CARS_NL in dutch and CARS_EN not in dutch


def test_unpublished_article_is_gone_everywhere(client, users):
    cars = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    workflow.unpublish(cars, user=users["editor"], comment="Legal check")
    assert client.get(CARS_EN).status_code == 404
    for url in ("/", "/articles/", CARS_NL, "/people/lei-jun/", "/companies/xiaomi/",
                "/stories/lei-jun-hands-over-his-roles/", KINGSOFT_EN):  # fmt: skip
        html = client.get(url).content.decode()
        assert CARS_EN not in html, url
        assert "Lei Jun gives up company roles" not in html, url


def test_scheduled_article_appears_only_when_its_time_comes(client):
    scheduled = Article.objects.get(slug="open-brief-lei-jun-xiaomi-nummer-twee")
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=scheduled.published_at - datetime.timedelta(days=30)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200


# -- Lists ----------------------------------------------------------------------------


def test_list_shows_each_story_once_in_the_page_language(client):
    page = get_page(client, "/articles/?lang=nl")
    hrefs = [link.get("href") for link in page.links]
    assert CARS_NL in hrefs and CARS_EN not in hrefs
    assert MANU_NL in hrefs and MANU_EN not in hrefs
    assert EV_EN in hrefs and EV_TR not in hrefs  # no Dutch version: the English one


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("language=tr", [EV_TR, LETTER_TR], [EV_EN, CARS_EN]),
        ("person=manu-kumar-jain", [MANU_EN], [CARS_EN]),
        ("company=kingsoft", [KINGSOFT_EN], [MANU_EN]),
        ("storyline=xiaomi-rise", [MANU_EN, LETTER_EN], [CARS_EN]),
        ("section=automotive", [CARS_EN, EV_EN], [MANU_EN]),
        ("date_from=2021-01-01&date_to=2021-12-31", [CARS_EN, LETTER_EN], [KINGSOFT_EN, MANU_EN]),
        ("language=en&company=xiaomi&section=smartphones", [LETTER_EN, MANU_EN], [CARS_EN]),
    ],
)
def test_list_filters(client, query, present, absent):
    page = get_page(client, f"/articles/?{query}")
    hrefs = {link.get("href") for link in page.links}
    assert set(present) <= hrefs
    assert not set(absent) & hrefs


def test_list_is_paginated(client, no_page_cache):
    build_story_graph(25, tag="pages")
    total = Article.objects.published().filter(language="en").count()
    pages = -(-total // 20)
    assert pages > 2
    first = get_page(client, "/articles/?language=en")
    assert "Page 1" in first.text
    assert any(link.get("rel") == "next" for link in first.links)
    second = get_page(client, "/articles/?language=en&page=2")
    assert "Page 2" in second.text
    assert any(link.get("rel") == "prev" for link in second.links)
    last = get_page(client, f"/articles/?language=en&page={pages}")
    assert not any(link.get("rel") == "next" for link in last.links)
    assert any(link.get("rel") == "prev" for link in last.links)
    assert second.canonical[0].endswith("/articles/?language=en&page=2")
    # Pages hold the whole list, newest first, each story once.
    seen = []
    for number in range(1, pages + 1):
        seen += [
            a.pk
            for a in client.get(f"/articles/?language=en&page={number}").context["page"].object_list
        ]
    assert len(seen) == len(set(seen)) == total
    assert client.get(f"/articles/?language=en&page={pages + 1}").status_code == 404


def test_filtered_lists_are_not_indexed_but_language_lists_are(client):
    assert get_page(client, "/articles/?person=lei-jun").first_meta("robots") == "noindex, follow"
    assert get_page(client, "/articles/?language=nl").first_meta("robots") is None


def test_canonical_of_a_list_puts_its_filters_in_order(client):
    page = get_page(client, "/articles/?lang=nl&section=automotive&language=en&utm_source=x")
    assert page.canonical[0].endswith("/articles/?language=en&section=automotive&lang=nl")


# -- Story threads -------------------------------------------------------------------------


def test_story_page_lists_the_thread_in_order_in_the_reader_language(client):
    html = client.get("/stories/lei-jun-hands-over-his-roles/?lang=nl").content.decode()
    order = [html.index(url) for url in (KINGSOFT_EN, CARS_NL, EV_EN)]
    assert order == sorted(order)
    assert CARS_EN not in html and EV_TR not in html
    assert "3 verhalen, oudste eerst" in html


def test_story_page_without_published_articles_is_not_found(client):
    Storyline.objects.create(title="Coming soon", slug="coming-soon")
    assert client.get("/stories/coming-soon/").status_code == 404


# -- Bad input never gives a 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/en/no-such-story/", 404),
        ("/zz/", 404),
        ("/zz/lei-jun-gives-up-roles-for-xiaomi-cars/", 404),
        ("/nl/lei-jun-gives-up-roles-for-xiaomi-cars/", 404),
        ("/en/" + "a" * 400 + "/", 404),
        ("/en/%C3%A7ay/", 404),
        ("/en/%F0%9F%92%A5/", 404),
        ("/stories/no-such-thread/", 404),
        ("/stories/lei-jun-hands-over-his-roles/?lang=zz", 404),
        ("/stories/lei-jun-hands-over-his-roles/?lang=%00", 404),
        ("/?lang=xx", 200),  # the front page takes its language from the path only
        ("/articles/?page=abc", 400),
        ("/articles/?page=1e3", 400),
        ("/articles/?page=-1", 400),
        ("/articles/?page=%D9%A3", 400),  # an Arabic-Indic digit
        ("/articles/?page=" + "9" * 40, 400),
        ("/articles/?page=99999", 404),
        ("/articles/?page=0", 404),
        ("/articles/?page=", 200),
        ("/articles/?language=xx", 400),
        ("/articles/?person=nobody", 400),
        ("/articles/?person=%00", 400),
        ("/articles/?person=" + "a" * 10000, 400),
        ("/articles/?company=%F0%9F%92%A5", 400),
        ("/articles/?storyline=nope", 400),
        ("/articles/?section=%E2%80%AEevil", 400),
        ("/articles/?date_from=yesterday", 400),
        ("/articles/?date_from=2021-13-45", 400),
        ("/articles/?date_from=99999-01-01", 400),
        ("/articles/?date_from=2022-01-01&date_to=2021-01-01", 400),
        ("/articles/?lang=zz", 404),
        ("/articles/?lang=" + "x" * 5000, 404),
        ("/articles/?unknown=1&lang=nl", 200),
        ("/articles/?date_from=0001-01-01&date_to=9999-12-31", 200),
        ("/articles/?lang=nl&lang=tr&page=1&page=1", 200),
    ],
)
def test_bad_input_gets_a_clear_answer_not_a_500(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    page = Page.of(response)
    assert page.html_lang  # a whole page, in our layout
    assert "main" in page.tags


def test_list_errors_say_what_went_wrong(client):
    page = get_page(client, "/articles/?page=abc", status=400)
    assert "The page number must be a whole number" in page.text
    page = get_page(client, "/articles/?page=99999", status=404)
    assert "There is no page 99999 of this list." in page.text
    page = get_page(client, "/articles/?date_from=2022-01-01&date_to=2021-01-01", status=400)
    assert "The start date is after the end date." in page.text
    page = get_page(client, "/articles/?person=nobody&lang=nl", status=400)
    assert "Sommige filters konden niet worden gebruikt" in page.text
    assert page.first_meta("robots") == "noindex, follow"


def test_not_found_page_is_friendly_and_in_the_url_language(client):
    page = get_page(client, "/nl/bestaat-niet/", status=404)
    assert page.html_lang == "nl"
    assert "We konden deze pagina niet vinden" in page.text
    assert page.first_meta("robots") == "noindex"
    page = get_page(client, "/nl/a/b/c/", status=404, HTTP_ACCEPT_LANGUAGE="tr")
    assert page.html_lang == "nl"
    page = get_page(client, "/no/such/path/", status=404, HTTP_ACCEPT_LANGUAGE="tr")
    assert page.html_lang == "en" and "We could not find that page" in page.text


def test_not_found_suggests_the_story_in_another_language(client):
    page = get_page(client, "/nl/lei-jun-gives-up-roles-for-xiaomi-cars/", status=404)
    assert any(link.get("href") == CARS_EN for link in page.links)


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_bad_request_page_is_friendly(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = Page.of(response)
    assert "We could not understand that request" in page.text


def boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("boom/", boom), path("ok/", lambda request: HttpResponse("ok"))]


@pytest.mark.urls("tests.articles.site.test_views")
def test_server_error_page_stands_alone(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = Page.of(response)
    assert "Something went wrong on our side" in page.text
    assert page.first_meta("robots") == "noindex"


# -- Query budgets -------------------------------------------------------------------------

# The article (with its lead image and source); its authors, sections, people, companies,
# quotes (with speakers) and the quotes' translations; its thread entries (with threads)
# and its correction notes; its published versions in every language (the alternates);
# its threads' entries with their articles, and the versions in the page's language
# (`article_threads`, two); related articles (six: editors' picks, the two neighbours in
# time, shared threads, shared people, the chosen stories in the page's language); the
# sections in the site menu.
ARTICLE_PAGE_QUERIES = 19
# The latest page in the page's language, its authors and sections; the latest in other
# languages, their authors and sections; threads in the news (their entries among recent
# articles, then the threads); the people in the news; the sections in the site menu.
FRONT_PAGE_QUERIES = 10
# The person typed in the filter, the page and one row more (the list is never counted),
# its authors and sections, the sections in the site menu and those the filter offers.
# Story threads are typed, not listed, so their number costs nothing.
LIST_PAGE_QUERIES = 6
# The thread; its entries with their articles and the versions in the page's language
# (`storyline_thread`, two); the sections in the site menu.
STORY_PAGE_QUERIES = 4


@override_settings(LANGUAGES=many_languages())
def test_article_page_queries_do_not_grow_with_the_story_graph(
    client, django_assert_num_queries, no_page_cache
):
    small = build_story_graph(1, tag="small").article
    big = build_story_graph(50, tag="big").article
    assert big.versions().count() == 51 and big.related.count() == 50
    queries_for(client, small.get_absolute_url())  # warm up
    assert queries_for(client, small.get_absolute_url()) == ARTICLE_PAGE_QUERIES
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(big.get_absolute_url())
    page = Page.of(response)
    assert len(dict(page.alternates)) == 52  # 51 versions and x-default
    assert page.text.count("big said") == 50


def test_front_page_queries_do_not_grow(client, no_page_cache):
    build_story_graph(1, tag="small")
    queries_for(client, "/nl/")
    small = queries_for(client, "/nl/")
    build_story_graph(50, tag="big")
    assert queries_for(client, "/nl/") == small == FRONT_PAGE_QUERIES


def test_list_page_queries_do_not_grow(client, no_page_cache):
    small = build_story_graph(1, tag="small")
    big = build_story_graph(50, tag="big")
    queries_for(client, f"/articles/?person={small.person.slug}")
    assert queries_for(client, f"/articles/?person={small.person.slug}") == LIST_PAGE_QUERIES
    assert queries_for(client, f"/articles/?person={big.person.slug}") == LIST_PAGE_QUERIES
    assert queries_for(client, "/articles/?lang=nl") == LIST_PAGE_QUERIES - 1


def test_story_page_queries_do_not_grow(client, no_page_cache):
    small = build_story_graph(1, tag="small")
    big = build_story_graph(50, tag="big")
    queries_for(client, small.storyline.get_absolute_url())
    assert queries_for(client, small.storyline.get_absolute_url() + "?lang=nl") == (
        STORY_PAGE_QUERIES
    )
    assert queries_for(client, big.storyline.get_absolute_url() + "?lang=nl") == (
        STORY_PAGE_QUERIES
    )


def test_people_only_in_drafts_have_no_page(client):
    Person.objects.create(name="Secret Source", slug="secret-source")
    assert client.get("/people/secret-source/").status_code == 404
