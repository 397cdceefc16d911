"""The reader's languages: a switcher that only offers what exists, and names in their
own script marked with the language they are in (lang="zh-Hans"), in a CJK font stack."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from articles import workflow
from articles.models import Article
from people.models import Company, Person, script_language
from tests.public_pages import Page

pytestmark = pytest.mark.django_db

CARS_EN = "/en/lei-jun-gives-up-roles-for-xiaomi-cars/"
CARS_NL = "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/"
LETTER_TR = "/tr/lei-jun-acik-mektup-xiaomi-dunya-ikincisi/"


def switcher(html: str) -> str:
    return html.split('<nav class="lang-nav"')[1].split("</nav>")[0]


def test_the_switcher_offers_only_the_languages_the_story_is_told_in(client):
    html = client.get(CARS_NL).content.decode()
    nav = switcher(html)
    assert f'<a href="{CARS_EN}" hreflang="en" lang="en">English</a>' in nav
    assert 'href="/tr/"' not in nav  # never the Turkish front page in its place
    assert (
        '<li class="lang-missing"><span lang="tr">Türkçe</span>'
        '<span class="visually-hidden">: niet beschikbaar in deze taal</span></li>'
    ) in nav
    versions = html.split('<p class="versions">')[1].split("</p>")[0]
    assert "Niet beschikbaar in" in versions and '<span lang="tr">Türkçe</span>' in versions


def test_a_scheduled_translation_is_not_offered_yet(client):
    # The letter's Dutch version is scheduled: not a version readers can open.
    html = client.get(LETTER_TR).content.decode()
    nav = switcher(html)
    assert '<span lang="nl">Nederlands</span>' in nav
    assert "/nl/" not in nav
    assert "Mevcut olmayan diller" in html


def test_a_story_in_every_language_says_nothing_is_missing(client, users):
    source = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    turkish = Article.objects.create(
        language="tr",
        title="Lei Jun otomobiller için görevlerini bırakıyor",
        slug="lei-jun-otomobiller-icin-gorevlerini-birakiyor",
        body="<p>Metin.</p>",
        translation_of=source,
        translation_key=source.translation_key,
        owner=users["translator"],
    )
    workflow.submit_for_review(turkish, user=users["editor"])
    workflow.approve(turkish, user=users["editor"])
    workflow.publish(turkish, user=users["editor"])
    html = client.get(CARS_NL).content.decode()
    assert "lang-missing" not in html and "Niet beschikbaar" not in html
    assert f'href="{turkish.get_absolute_url()}" hreflang="tr"' in switcher(html)


def test_pages_that_exist_in_every_language_link_them_all(client):
    for url in ("/nl/", "/people/lei-jun/?lang=tr", "/search/?q=xiaomi", "/articles/"):
        nav = switcher(client.get(url).content.decode())
        assert "lang-missing" not in nav, url
        assert nav.count("<a href=") == len(settings.LANGUAGES), url


def test_the_not_found_page_offers_each_languages_front_page(client):
    response = client.get("/nl/bestaat-niet/")
    assert response.status_code == 404
    nav = switcher(response.content.decode())
    assert 'href="/" hreflang="en"' in nav and 'href="/tr/" hreflang="tr"' in nav


# -- Names in their own script ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("雷军", "zh"),
        ("金山软件", "zh"),
        ("ソニー", "ja"),
        ("삼성전자", "ko"),
        ("Lei Jun", ""),
        ("", ""),
    ],
)
def test_the_script_tells_the_language_as_far_as_it_can(name, lang):
    assert script_language(name) == lang


def test_the_editors_language_tag_wins_over_the_script():
    person = Person(name="Lei Jun", native_name="雷军")
    assert person.native_lang == "zh"
    person.native_name_language = "zh-Hans"
    assert person.native_lang == "zh-Hans"
    assert Person.objects.get(slug="lei-jun").native_lang == "zh-Hans"  # the demo's
    assert Company.objects.get(slug="xiaomi").native_lang == "zh-Hans"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/", "雷军"),
        ("/people/lei-jun/", "雷军"),
        ("/companies/xiaomi/", "小米集团"),
        (CARS_EN, "雷军"),
        ("/search/?q=%E9%9B%B7%E5%86%9B", "雷军"),
    ],
)
def test_chinese_names_are_marked_simplified_chinese(client, url, name):
    html = client.get(url).content.decode()
    assert re.search(rf'<span[^>]* lang="zh-Hans"[^>]*>{name}</span>', html), url
    assert 'lang="zh"' not in html
    assert ("span", "zh-Hans") in Page.of(client.get(url)).lang_attrs


def test_a_traditional_chinese_name_is_marked_as_the_editors_say(client):
    company = Company.objects.get(slug="xiaomi")
    company.native_name, company.native_name_language = "小米集團", "zh-Hant"
    company.save()
    html = client.get("/companies/xiaomi/").content.decode()
    assert '<span class="native" lang="zh-Hant">小米集團</span>' in html


def test_the_font_stack_falls_back_to_cjk_fonts_the_machine_has():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    # Nothing fetched: no web fonts, no imported style sheets from elsewhere.
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    stack = re.search(r"--cjk-sans:([^;]+);", css).group(1)
    assert '"Noto Sans CJK SC"' in stack and '"PingFang SC"' in stack
    assert re.search(r"--sans: var\(--latin-sans\), var\(--cjk-sans\), sans-serif;", css)
    assert re.search(r":lang\(zh-Hant\) \{\s*--cjk-sans: \"Noto Sans CJK TC\"", css)
    assert not re.search(r"@font-face", css)
