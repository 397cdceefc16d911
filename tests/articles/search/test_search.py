"""Full-text search: backends, filters, the /search/ page and what it refuses."""

import datetime
import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search, workflow
from articles.models import Article
from people.models import Company, Person

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL text search configurations"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")


def slugs(query, **filters):
    queryset = Article.objects.published().filter(**filters)
    return [a.slug for a in search.search_articles(query, queryset=queryset)]


def publish(article, user, *, at=None):
    workflow.submit_for_review(article, user=user)
    workflow.approve(article, user=user)
    return workflow.publish(article, user=user, at=at)


def new_article(user, *, language="en", title, body, slug=None, published=True, **fields):
    article = Article(
        language=language,
        title=title,
        slug=slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60],
        body=body,
        owner=user,
        **fields,
    )
    article.full_clean()
    article.save()
    if published:
        publish(article, user, at=timezone.now() - datetime.timedelta(hours=1))
    return article


def page(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()


# --- Pieces --------------------------------------------------------------------------------


def test_each_language_has_its_configuration_and_unknown_ones_fall_back_to_simple():
    assert search.search_config("en") == "english"
    assert search.search_config("nl") == "dutch"
    assert search.search_config("tr") == "turkish"
    assert search.search_config("xx") == "simple"


def test_the_migration_indexes_with_the_same_configurations_the_queries_use():
    migration = importlib.import_module("articles.migrations.0004_search_renditions")
    assert migration.LANGUAGE_CONFIGS == search.LANGUAGE_CONFIGS
    assert migration.TAG_PATTERN == search.TAG_PATTERN


def test_plain_text_drops_tags_decodes_entities_and_keeps_words_apart():
    text = search.plain_text('<p>AT&amp;T</p><p title="a>b">said <q>hi</q>\ue000</p>')
    assert text == "AT&T said hi"


def test_snippets_escape_article_text_and_only_markers_become_mark():
    raw = "<script>alert(1)</script> \ue000zebra\ue001 &amp; <b>"
    html = search.render_snippet(raw)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>zebra</mark>" in html
    # Text from stored HTML is decoded once, then escaped: entities stay entities.
    assert search.render_snippet("a &amp; \ue000b\ue001", unescape=True) == "a &amp; <mark>b</mark>"
    # Unbalanced markers cannot leave an element open.
    assert search.render_snippet("\ue000a \ue000b") == "<mark>a b</mark>"
    assert search.render_snippet("a\ue001 b") == "a b"


def test_queries_are_normalised_and_stripped_of_control_and_direction_characters():
    assert search.clean_query("  ＬＥＩ\u202e  jun\x07 ") == "LEI jun"
    assert not search.has_words("!!! ... ???")
    assert search.has_words("雷军")


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
    assert search.fts5_expression(query) == expected


def test_fts5_operators_typed_by_a_reader_are_only_words():
    expression = search.fts5_expression('NEAR(lei jun) AND title:xiaomi "a ""b')
    assert expression == '("NEAR lei" AND "jun" AND "AND" AND "title xiaomi" AND "a" AND "b")'


def test_fts5_expressions_have_a_bounded_number_of_terms():
    expression = search.fts5_expression(" ".join(f"word{i}" for i in range(100)))
    assert expression.count(" AND ") == search.MAX_TERMS - 1


# --- Finding articles ----------------------------------------------------------------------


def test_finds_published_articles_by_title_standfirst_and_body():
    assert "lei-jun-steps-down-kingsoft-executive-director" in slugs("Tianyancha")
    assert slugs("whetstones") == ["lei-jun-open-letter-xiaomi-world-number-two"]
    assert "manu-kumar-jain-leaves-xiaomi" in slugs("Jabong")


def test_the_title_outranks_the_body(users):
    in_body = new_article(users["admin"], title="Zoo notes", body="<p>An okapi was seen.</p>")
    in_title = new_article(users["admin"], title="Okapi spotted", body="<p>At the zoo.</p>")
    assert slugs("okapi") == [in_title.slug, in_body.slug]


def test_drafts_and_articles_in_review_are_never_found():
    # Words only in the Dutch Kingsoft translation (a draft) and the review draft.
    assert slugs("uitvoerend") == []
    assert slugs("explainer") == []


def test_scheduled_articles_appear_when_their_time_comes():
    scheduled = Article.objects.get(slug="open-brief-lei-jun-xiaomi-nummer-twee")
    assert scheduled.is_scheduled
    assert scheduled.slug not in slugs("kracht vooruit")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert slugs("kracht vooruit") == [scheduled.slug]


def test_unpublished_articles_disappear(users):
    article = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    assert slugs("whetstones") == [article.slug]
    workflow.unpublish(article, user=users["editor"])
    assert slugs("whetstones") == []


def test_dutch_plural_finds_the_singular_in_dutch_articles():
    # The Dutch Gasgoo story says "teruggetreden als bestuurder".
    assert slugs("bestuurders") == ["lei-jun-geeft-functies-op-voor-xiaomi-autos"]


def test_turkish_word_finds_the_turkish_story():
    assert "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor" in slugs("istifa")


@on_postgres
@pytest.mark.parametrize("form", ["istifalar", "istifasını", "istifasından", "İSTİFALAR"])
def test_turkish_stemming_finds_inflected_forms(form):
    # The Turkish story has "istifa etti"; PostgreSQL's Turkish stemmer reduces these
    # forms to "istifa". (It leaves the bare possessive "istifası" as "istifas".)
    assert slugs(form) == ["xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor"]


@on_postgres
def test_turkish_stemming_joins_forms_of_one_noun():
    # The title says "görevinden", the standfirst "görevlerini".
    assert "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor" in slugs("görevleri")


@on_postgres
def test_dutch_stemming_finds_inflected_forms():
    # The Manu story has "merken" and "kantoor"; the Gasgoo translation "het bestuur".
    assert "manu-kumar-jain-verlaat-xiaomi" in slugs("merk")
    assert slugs("kantoren") == ["manu-kumar-jain-verlaat-xiaomi"]
    assert "lei-jun-geeft-functies-op-voor-xiaomi-autos" in slugs("besturen")


@on_postgres
def test_each_article_is_matched_in_its_own_language():
    # English stemming makes "cars" into "car"; the Dutch article has "auto's", not "car".
    found = slugs("cars")
    assert "lei-jun-gives-up-roles-for-xiaomi-cars" in found
    assert all(Article.objects.get(slug=s).language == "en" for s in found)


@on_postgres
def test_stop_words_alone_match_nothing():
    assert slugs("the of and") == []


@on_postgres
def test_the_database_keeps_the_vector_even_for_bulk_updates():
    article = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    Article.objects.filter(pk=article.pk).update(body="<p>Quokkas everywhere</p>")
    assert slugs("quokka") == [article.slug]
    assert slugs("whetstones") == []


@on_postgres
def test_the_search_can_use_the_gin_index():
    # The query parsed in every language, OR-ed, is one constant the GIN index answers; the
    # per-language test then runs on those rows only. With a handful of rows the planner
    # would rather read the table (or the visibility index), so look at the text condition
    # alone and nudge it.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.search_articles("kingsoft xiaomi", queryset=Article.objects.all()).explain()
    assert "Bitmap Index Scan on article_search_vector_gin" in plan


@on_postgres
def test_the_trigger_indexes_each_language_with_its_configuration(users):
    article = new_article(users["admin"], title="Bestuurders running", body="<p>x &amp; y</p>")
    expected_sql = (
        "SELECT search_vector = setweight(to_tsvector(%s::regconfig, %s), 'A') "
        "|| setweight(to_tsvector(%s::regconfig, ''), 'B') "
        "|| setweight(to_tsvector(%s::regconfig, ' x &amp; y '), 'C') "
        "FROM articles_article WHERE id = %s"
    )
    for code, config in [*search.LANGUAGE_CONFIGS.items(), ("xx", "simple")]:
        Article.objects.filter(pk=article.pk).update(language=code)
        with connection.cursor() as cursor:
            cursor.execute(expected_sql, [config, article.title, config, config, article.pk])
            assert cursor.fetchone()[0] is True, code


@on_postgres
def test_rebuilding_the_index_touches_every_row():
    assert search.rebuild_index() == Article.objects.count()
    assert slugs("whetstones") == ["lei-jun-open-letter-xiaomi-world-number-two"]


@on_sqlite
def test_the_fts5_index_follows_saves_and_deletes(users):
    article = new_article(users["admin"], title="Platypus news", body="<p>About a wombat</p>")
    assert slugs("wombat") == [article.slug]
    article.body = "<p>About a numbat</p>"
    article.save()
    assert slugs("wombat") == [] and slugs("numbat") == [article.slug]
    pk = article.pk
    article.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE} WHERE rowid = %s", [pk])
        assert cursor.fetchone()[0] == 0


@on_sqlite
def test_the_fts5_index_can_be_rebuilt():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    assert slugs("whetstones") == []
    assert search.rebuild_index() == Article.objects.count()
    assert slugs("whetstones") == ["lei-jun-open-letter-xiaomi-world-number-two"]


def test_the_icontains_fallback_finds_and_marks_words():
    found = list(search.search_articles("whetstones", backend="icontains"))
    assert [a.slug for a in found] == ["lei-jun-open-letter-xiaomi-world-number-two"]
    found = list(search.search_articles("Tianyancha <b>", backend="icontains"))
    search.highlighted(found, "Tianyancha <b>", backend="icontains")
    assert found and all("<b>" not in a.snippet for a in found)
    assert list(search.search_articles("!!!", backend="icontains")) == []


# --- Filters -------------------------------------------------------------------------------


def test_filters_combine_with_the_words(client):
    _, html = page(client, q="xiaomi", language="nl")
    langs = set(re.findall(r'<li class="result" lang="(\w+)"', html))
    assert langs == {"nl"}

    _, html = page(client, q="xiaomi", person="manu-kumar-jain")
    found = set(re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html))
    assert found == {"/nl/manu-kumar-jain-verlaat-xiaomi/", "/en/manu-kumar-jain-leaves-xiaomi/"}

    _, html = page(client, q="lei jun", company="kingsoft", language="en")
    found = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html)
    assert found == ["/en/lei-jun-steps-down-kingsoft-executive-director/"]


def test_filter_lists_offer_only_people_and_companies_in_published_articles(client, users):
    hidden = Person.objects.create(name="Nobody Published")
    draft = new_article(users["admin"], title="A draft", body="<p>x</p>", published=False)
    draft.people.add(hidden)
    _, html = page(client)
    assert "lei-jun" in html and hidden.slug not in html
    response, html = page(client, q="x", person=hidden.slug)
    assert response.status_code == 400
    assert "No published article mentions a person" in html


# --- The page and bad input ----------------------------------------------------------------


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
        ({"q": "lei", "page": "0"}, 400, "is not a page number"),
        ({"q": "lei", "page": "-3"}, 400, "is not a page number"),
        ({"q": "lei", "page": "99999"}, 404, "There is no page 99999"),
        ({"q": "lei", "page": "9" * 40}, 404, "There is no page"),
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
    for i in range(search.RESULTS_PER_PAGE + 2):
        new_article(users["admin"], title=f"Capybara dispatch {i}", body="<p>capybara</p>")
    response, html = page(client, q="capybara", language="en")
    assert response.status_code == 200
    assert f"{search.RESULTS_PER_PAGE + 2} articles found" in html
    assert 'rel="next" href="?q=capybara&amp;language=en&amp;page=2"' in html
    response, html = page(client, q="capybara", language="en", page="2")
    assert html.count('<li class="result"') == 2
    assert 'rel="prev"' in html


def test_the_search_page_runs_the_same_queries_for_one_result_or_a_full_page(client, users):
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
    tagged("Pangolin", search.RESULTS_PER_PAGE + 1)

    def count(word):
        params = {"q": word, "language": "en", "person": "lei-jun", "company": "xiaomi"}
        with CaptureQueriesContext(connection) as queries:
            response, html = page(client, **params)
        assert response.status_code == 200
        assert html.count("<picture>") == min(
            search.RESULTS_PER_PAGE, 1 if word == "axolotl" else search.RESULTS_PER_PAGE + 1
        )
        return len(queries)

    one, many = count("axolotl"), count("pangolin")
    assert one == many
    # Search itself takes at most 8 (see the report on filters); the site layout's section
    # navigation adds one.
    assert many <= 9


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
