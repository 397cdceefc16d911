"""SEO and sharing metadata: every public demo page, walked and checked, plus the parts."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from articles.models import Article
from articles.site import seo
from newsroom.languages import language_codes
from newsroom.site import absolute_url
from tests.articles.site.test_sitemaps import entries as sitemap_entries
from tests.public_pages import Page, public_urls, sitemap_urls

pytestmark = pytest.mark.django_db

NEWS_ARTICLE_FIELDS = {
    "headline",
    "description",
    "datePublished",
    "dateModified",
    "author",
    "image",
    "inLanguage",
    "publisher",
    "mentions",
}


def expected_language(url: str) -> str:
    parts = urlsplit(url)
    lang = parse_qs(parts.query).get("lang")
    if lang:
        return lang[0]
    first = parts.path.strip("/").split("/")[0]
    return first if first in language_codes() else language_codes()[0]


def expected_canonical(url: str) -> str:
    """The page's own address, with the default language's front page at /."""
    default = language_codes()[0]
    if url == f"/{default}/":
        url = "/"
    return settings.SITE_URL + url


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    """Every public page, fetched once: {url: (response, Page)}."""
    from django.test import Client

    from newsroom import pagecache

    client = Client()
    pages = {}
    # Module fixtures are set up before the autouse per-test purge: without this, a page
    # cached by an earlier test (whose database changes were rolled back) is walked.
    pagecache.invalidate(pagecache.SITE_TAG)
    with django_db_blocker.unblock():
        # The pages search engines find through the sitemap, and the ones found by
        # following the published articles: each list checks the other.
        found = sitemap_urls(client)
        assert found, "the sitemap lists no pages"
        for url in dict.fromkeys([*found, *public_urls()]):
            response = client.get(url)
            pages[url] = (response, Page.of(response) if response.status_code == 200 else None)
    return pages


@pytest.mark.django_db
def test_the_sitemap_lists_every_page_the_published_articles_lead_to(client):
    """What readers can reach by following published articles, search engines can find."""
    listed = set(sitemap_urls(client))
    expected = {url for url in public_urls() if not url.startswith("/articles/")}
    # The sitemap names each page once, in its canonical (default-language) form.
    expected = {url for url in expected if "?lang=" not in url}
    missing = expected - listed - {f"/{language_codes()[0]}/"}
    assert not missing, sorted(missing)


def test_the_walk_covers_every_kind_of_page(walked):
    urls = list(walked)
    assert "/" in urls and "/nl/" in urls and "/tr/" in urls
    published = Article.objects.published()
    assert {a.get_absolute_url() for a in published} <= set(urls)
    assert any(url.startswith("/people/") for url in urls)
    assert any(url.startswith("/companies/") for url in urls)
    assert any(url.startswith("/stories/") for url in urls)
    assert any(url.startswith("/articles/") for url in urls)
    assert len(urls) > 100


def test_every_public_page_answers_200_in_its_language(walked):
    problems = []
    for url, (response, page) in walked.items():
        if response.status_code != 200:
            problems.append((url, response.status_code))
        elif page.html_lang != expected_language(url):
            problems.append((url, page.html_lang))
        elif response["Content-Language"] != expected_language(url):
            problems.append((url, "Content-Language", response["Content-Language"]))
    assert problems == []


def test_every_article_page_is_in_the_article_language(walked):
    for article in Article.objects.published():
        _response, page = walked[article.get_absolute_url()]
        assert page.html_lang == article.language


def test_every_page_has_one_absolute_canonical_url(walked):
    problems = []
    for url, (_response, page) in walked.items():
        if page.canonical != [expected_canonical(url)]:
            problems.append((url, page.canonical))
        if page.first_meta("og:url") != expected_canonical(url):
            problems.append((url, "og:url", page.first_meta("og:url")))
    assert problems == []


def test_hreflang_alternates_are_reciprocal_with_one_x_default(walked):
    by_canonical = {page.canonical[0]: page for _response, page in walked.values()}
    problems = []
    for url, (_response, page) in walked.items():
        alternates = dict(page.alternates)
        if len(alternates) != len(page.alternates):
            problems.append((url, "repeated hreflang"))
        me = page.canonical[0]
        if alternates.get(page.html_lang) != me:
            problems.append((url, "does not list itself", alternates))
        if "x-default" not in alternates:
            problems.append((url, "no x-default"))
        for hreflang, target in alternates.items():
            if hreflang == "x-default" or target == me:
                continue
            other = by_canonical.get(target)
            if other is None:
                problems.append((url, "alternate is not a public page", target))
            elif dict(other.alternates).get(page.html_lang) != me:
                problems.append((url, "not reciprocal", target))
            elif dict(other.alternates).get("x-default") != alternates["x-default"]:
                problems.append((url, "x-default differs", target))
    assert problems == []


def test_pages_and_the_sitemap_name_the_same_x_default(walked, client):
    sitemap_x_default = {}
    for url, (_lastmod, links) in sitemap_entries(client).items():
        if "x-default" in links:
            sitemap_x_default[urlsplit(url).path] = links["x-default"]
    assert sitemap_x_default, "the sitemap has no x-default links"
    for path, x_default in sitemap_x_default.items():
        _response, page = walked[path]
        assert dict(page.alternates)["x-default"] == x_default, path


def test_every_image_has_alt_text_and_dimensions(walked):
    problems = []
    for url, (_response, page) in walked.items():
        for image in page.images:
            if not image.get("alt", "").strip():
                problems.append((url, image.get("src"), "alt"))
            if not (image.get("width", "").isdigit() and image.get("height", "").isdigit()):
                problems.append((url, image.get("src"), "size"))
    assert problems == []
    assert sum(len(page.images) for _r, page in walked.values()) > 50


def test_headings_start_at_one_h1_and_never_skip_a_level(walked):
    problems = []
    for url, (_response, page) in walked.items():
        levels = page.headings
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append((url, levels))
            continue
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                problems.append((url, levels))
                break
    assert problems == []


def test_every_page_has_the_landmarks(walked):
    for url, (_response, page) in walked.items():
        assert {"header", "nav", "main", "footer"} <= page.tags, url


def test_every_page_has_open_graph_and_twitter_cards(walked):
    problems = []
    for url, (_response, page) in walked.items():
        for key in ("og:title", "og:type", "og:image", "og:image:alt", "og:locale"):
            if not page.first_meta(key):
                problems.append((url, key))
        if page.first_meta("twitter:card") != "summary_large_image":
            problems.append((url, "twitter:card"))
        if not (page.first_meta("og:image") or "").startswith(settings.SITE_URL):
            problems.append((url, "og:image not absolute"))
    assert problems == []


def test_article_pages_carry_news_article_json_ld(walked):
    for article in Article.objects.published().prefetch_related("people", "companies"):
        url = article.get_absolute_url()
        _response, page = walked[url]
        [data] = [d for d in page.json_ld if d["@type"] == "NewsArticle"]
        assert data.keys() >= NEWS_ARTICLE_FIELDS, url
        assert data["inLanguage"] == article.language
        assert data["headline"] == article.title
        assert data["datePublished"] == article.published_at.isoformat()
        assert data["dateModified"] >= data["datePublished"]
        assert data["url"] == absolute_url(url)
        assert data["publisher"]["name"] == settings.SITE_NAME
        assert data["image"][0]["url"].startswith(settings.SITE_URL)
        mentioned = {(m["@type"], m["name"]) for m in data["mentions"]}
        assert mentioned == {("Person", p.name) for p in article.people.all()} | {
            ("Organization", c.name) for c in article.companies.all()
        }
        assert all(m["url"].startswith(settings.SITE_URL) for m in data["mentions"])
        assert data["author"]


def test_person_and_company_pages_carry_their_json_ld(walked):
    seen = set()
    for url, (_response, page) in walked.items():
        if url.startswith("/people/"):
            [data] = page.json_ld
            assert data["@type"] == "Person" and data["name"] and data["url"] == page.canonical[0]
            seen.add("Person")
        elif url.startswith("/companies/"):
            [data] = page.json_ld
            assert data["@type"] == "Organization" and data["url"] == page.canonical[0]
            seen.add("Organization")
    assert seen == {"Person", "Organization"}


def test_company_json_ld_names_parent_and_subsidiaries(walked):
    _r, xiaomi = walked["/companies/xiaomi/"]
    _r, india = walked["/companies/xiaomi-india/"]
    [group] = xiaomi.json_ld
    [branch] = india.json_ld
    assert "Xiaomi India" in {sub["name"] for sub in group["subOrganization"]}
    assert branch["parentOrganization"]["name"] == "Xiaomi Group"


def test_no_page_reveals_unpublished_articles(walked):
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.count() >= 3  # a draft, one in review, a scheduled translation
    problems = []
    for article in hidden:
        for url, (response, page) in walked.items():
            html = response.content.decode()
            if article.get_absolute_url() in html or article.title in page.text:
                problems.append((url, article.slug))
    assert problems == []


# -- The parts -------------------------------------------------------------------------


def test_json_ld_cannot_close_its_script_element():
    hostile = {"headline": "</script><script>alert(1)</script><!-- & \u2028 \u2029"}
    script = str(seo.json_ld_script(hostile))
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert "\u2028" not in body and "\u2029" not in body
    assert json.loads(body) == hostile


def test_json_ld_keeps_non_ascii_text_readable():
    script = str(seo.json_ld_script({"name": "雷军 Türkçe"}))
    assert "雷军 Türkçe" in script


def test_an_article_title_with_markup_stays_inside_json_ld(client):
    article = Article.objects.published().get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    Article.objects.filter(pk=article.pk).update(title="Cars </script><script>alert(1)</script>")
    response = client.get(article.get_absolute_url())
    page = Page.of(response)
    [data] = page.json_ld
    assert data["headline"] == "Cars </script><script>alert(1)</script>"
    assert b"<script>alert(1)" not in response.content


@override_settings(SITE_URL="https://news.example.com")
def test_absolute_urls_use_the_site_url():
    assert absolute_url("/nl/x/") == "https://news.example.com/nl/x/"
    assert absolute_url("nl/x/") == "https://news.example.com/nl/x/"
    assert absolute_url("https://cdn.example.com/a.png") == "https://cdn.example.com/a.png"


def test_description_falls_back_to_the_body_and_is_short():
    assert seo.describe("", "<p>Hello <b>world</b></p>") == "Hello world"
    assert len(seo.describe("word " * 100)) <= seo.DESCRIPTION_LENGTH


def test_alternates_add_x_default_last():
    links = seo.alternates({"en": "/en/a/", "nl": "/nl/b/"}, x_default="/en/a/")
    assert [(link.hreflang, link.url) for link in links] == [
        ("en", settings.SITE_URL + "/en/a/"),
        ("nl", settings.SITE_URL + "/nl/b/"),
        ("x-default", settings.SITE_URL + "/en/a/"),
    ]


def test_og_locale_for_configured_and_new_languages():
    assert seo.og_locale("nl") == "nl_NL"
    assert seo.og_locale("en") == "en_GB"
    assert seo.og_locale("de") == "de_DE"
    assert seo.og_locale("it") == "it_IT"
