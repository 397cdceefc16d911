"""Section names and story-thread titles in the reader's language: pages, feeds, SEO, the
admin that edits them, and the cached pages that show them."""

import json

import feedparser
import pytest

from articles.models import Section, Storyline
from tests.public_pages import Page

pytestmark = pytest.mark.django_db

CARS_EN = "/en/lei-jun-gives-up-roles-for-xiaomi-cars/"
CARS_NL = "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/"
THREAD = "/stories/lei-jun-hands-over-his-roles/"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_model_falls_back_to_the_house_language_word_by_word():
    thread = Storyline(
        title="Lei Jun hands over his roles",
        description="How Xiaomi's founder gave up posts.",
        translations={"nl": {"title": "Lei Jun draagt zijn functies over"}},
    )
    assert thread.shown_in("title", "nl") == ("Lei Jun draagt zijn functies over", "nl")
    assert thread.shown_in("description", "nl") == ("How Xiaomi's founder gave up posts.", "en")
    assert thread.shown_in("title", "tr") == ("Lei Jun hands over his roles", "en")
    assert thread.translated("title", "en") == "Lei Jun hands over his roles"


def test_saving_keeps_only_known_fields_with_words():
    section = Section.objects.get(name="Healthcare")
    section.translations = {
        "nl": {"name": "  Zorg  ", "colour": "red"},
        "tr": {"name": "   "},
    }
    section.save()
    section.refresh_from_db()
    assert section.translations == {"nl": {"name": "Zorg"}}


def test_dutch_and_turkish_front_pages_name_sections_and_threads_in_their_language(client):
    dutch = html_of(client, "/nl/")
    for words in ("Technologie", "Auto&#x27;s", "Gezondheidszorg", "De opkomst van Xiaomi"):
        assert words in dutch
    assert "Van start-up tot de op één na grootste smartphonemaker ter wereld." in dutch
    assert "Xiaomi&#x27;s rise" not in dutch
    turkish = html_of(client, "/tr/")
    for words in ("Teknoloji", "Otomotiv", "Akıllı telefonlar", "Xiaomi&#x27;nin yükselişi"):
        assert words in turkish
    english = html_of(client, "/")
    assert "Xiaomi&#x27;s rise" in english and "Technologie" not in english


def test_translated_words_are_not_marked_as_english_but_fallbacks_are(client):
    section = Section.objects.get(name="Healthcare")
    section.translations = {"tr": section.translations["tr"]}  # no Dutch name any more
    section.save()
    page = Page.of(client.get("/nl/"))
    nav = html_of(client, "/nl/").split('class="section-nav"')[1].split("</nav>")[0]
    assert '<a href="/articles/?section=technology&amp;lang=nl">Technologie</a>' in nav
    assert 'lang="en">Healthcare</a>' in nav
    assert ("a", "en") in page.lang_attrs


def test_the_dutch_article_page_shows_dutch_sections_and_thread(client):
    html = html_of(client, CARS_NL)
    kicker = html.split('<p class="kicker">')[1].split("</p>")[0]
    assert ">Auto&#x27;s</a>" in kicker and ">Technologie</a>" in kicker
    assert "Lei Jun draagt zijn functies over" in html
    assert "Lei Jun hands over his roles" not in html
    page = Page.of(client.get(CARS_NL))
    assert set(page.meta["article:section"]) == {"Auto's", "Technologie"}
    (news,) = [d for d in page.json_ld if d.get("@type") == "NewsArticle"]
    assert set(news["articleSection"]) == {"Auto's", "Technologie"}


def test_the_english_article_keeps_the_english_names(client):
    page = Page.of(client.get(CARS_EN))
    assert set(page.meta["article:section"]) == {"Automotive", "Technology"}
    assert "Lei Jun hands over his roles" in page.text


def test_the_thread_page_in_turkish_has_a_turkish_title_everywhere(client):
    response = client.get(f"{THREAD}?lang=tr")
    page = Page.of(response)
    html = response.content.decode()
    assert '<h1 class="page-title">Lei Jun görevlerini devrediyor</h1>' in html
    assert page.meta["og:title"] == ["Lei Jun görevlerini devrediyor"]
    assert "otomobil işine öncelik vermek" in page.meta["description"][0]
    (listing,) = [d for d in page.json_ld if d.get("@type") == "ItemList"]
    assert listing["name"] == "Lei Jun görevlerini devrediyor"


def test_list_filters_offer_and_show_names_in_the_pages_language(client):
    html = html_of(client, "/articles/?lang=nl&section=automotive&storyline=xiaomi-rise")
    assert '<option value="automotive" selected>Auto&#x27;s</option>' in html
    assert '<option value="healthcare">Gezondheidszorg</option>' in html
    filters = html.split('class="active-filters"')[1].split("</ul>")[0]
    assert "De opkomst van Xiaomi" in filters and "Auto&#x27;s" in filters


def test_a_thread_can_be_typed_by_its_title_in_the_pages_language(client):
    html = html_of(client, "/articles/?lang=nl&storyline=de+opkomst+van+xiaomi")
    filters = html.split('class="active-filters"')[1].split("</ul>")[0]
    assert 'href="/stories/xiaomi-rise/?lang=nl">De opkomst van Xiaomi</a>' in filters
    # The Dutch title means nothing on a Turkish page; the English one works everywhere.
    assert client.get("/articles/?lang=tr&storyline=de+opkomst+van+xiaomi").status_code == 400
    assert client.get("/articles/?lang=tr&storyline=Xiaomi%27s+rise").status_code == 200


def test_feeds_are_titled_in_their_language_with_categories_in_it(client):
    thread = feedparser.parse(
        client.get("/feeds/nl/stories/lei-jun-hands-over-his-roles/rss.xml").content
    )
    assert "Lei Jun draagt zijn functies over" in thread.feed.title
    assert "Lei Jun draagt zijn functies over" in thread.feed.description
    section = feedparser.parse(client.get("/feeds/tr/sections/automotive/atom.xml").content)
    assert "Otomotiv" in section.feed.title
    dutch = feedparser.parse(client.get("/feeds/nl/rss.xml").content)
    categories = {tag.term for entry in dutch.entries for tag in entry.get("tags", [])}
    assert "Technologie" in categories and "Technology" not in categories
    english = json.loads(client.get("/feeds/en/stories/xiaomi-rise/feed.json").content)
    assert "Xiaomi's rise" in english["title"]


def test_the_subscribe_page_names_each_languages_feeds_in_that_language(client):
    html = html_of(client, "/feeds/")
    turkish = html.split('id="feeds-tr"')[1]
    assert 'lang="tr"' in turkish.split("Xiaomi&#x27;nin yükselişi")[0].rsplit("<a", 1)[1]


def test_renaming_a_section_refreshes_every_cached_page_that_names_it(client):
    # Cards name their sections; the thread page and the search form name it only in
    # the site's navigation.
    pages = [
        "/nl/",
        CARS_NL,
        "/articles/?lang=nl",
        "/stories/xiaomi-rise/?lang=nl",
        "/search/?lang=nl",
    ]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    section = Section.objects.get(name="Technology")
    section.translations = {**section.translations, "nl": {"name": "Techniek"}}
    section.save()
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        html = response.content.decode()
        assert "Techniek" in html and ">Technologie<" not in html, url


def test_retitling_a_thread_in_dutch_refreshes_the_dutch_pages_that_show_it(client):
    for url in ("/nl/", CARS_NL, f"{THREAD}?lang=nl"):
        client.get(url)
    thread = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    thread.translations["nl"]["title"] = "Lei Jun geeft zijn functies op"
    thread.save()
    for url in ("/nl/", CARS_NL, f"{THREAD}?lang=nl"):
        assert "Lei Jun geeft zijn functies op" in html_of(client, url), url


def test_editors_set_the_names_per_language_in_the_admin(admin_user_client):
    section = Section.objects.get(name="Healthcare")
    url = f"/admin/articles/section/{section.pk}/change/"
    form = admin_user_client.get(url).content.decode()
    assert "Name (Nederlands)" in form and "Name (Türkçe)" in form
    assert 'value="Gezondheidszorg"' in form
    response = admin_user_client.post(
        url,
        {
            "name": "Healthcare",
            "slug": "healthcare",
            "description": "",
            "name__nl": "Zorg",
            "name__tr": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert section.translations == {"nl": {"name": "Zorg"}}


def test_the_thread_form_has_each_languages_title_and_description(admin_user_client):
    thread = Storyline.objects.get(slug="xiaomi-rise")
    form = admin_user_client.get(f"/admin/articles/storyline/{thread.pk}/change/")
    html = form.content.decode()
    for label in ("Title (Nederlands)", "Description (Nederlands)", "Title (Türkçe)"):
        assert label in html
    assert "De opkomst van Xiaomi" in html and "Xiaomi&#x27;nin yükselişi" in html
    assert 'name="translations"' not in html  # edited through the fields, not as JSON
