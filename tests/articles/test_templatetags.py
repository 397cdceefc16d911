"""articles/templatetags/public_site.py: dates, language names and quotes for readers."""

import datetime

import pytest
from django.utils import translation

from articles.models import Article
from articles.templatetags import public_site
from people.models import Position, Quote, format_partial_date

pytestmark = pytest.mark.django_db

OCT_15 = datetime.date(2021, 10, 15)


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [
        ("en", "15 Oct 2021", "Oct 2021", "2021"),
        ("nl", "15 okt 2021", "okt 2021", "2021"),
        ("tr", "15 Eki 2021", "Eki 2021", "2021"),
    ],
)
def test_partial_dates_in_each_language(language, day, month, year):
    with translation.override(language):
        assert public_site.partial_date(OCT_15, "day") == day
        assert public_site.partial_date(OCT_15, "month") == month
        assert public_site.partial_date(OCT_15, "year") == year
        assert public_site.partial_date(OCT_15, "unknown") == ""
        assert public_site.partial_date(None, "day") == ""


def test_english_partial_dates_match_the_model_for_every_demo_date():
    with translation.override("en"):
        for position in Position.objects.all():
            for field in ("start", "end"):
                value = getattr(position, f"{field}_date")
                precision = getattr(position, f"{field}_precision")
                assert public_site.partial_date(value, precision) == format_partial_date(
                    value, precision
                )
        for quote in Quote.objects.all():
            assert (
                public_site.partial_date(quote.said_on, quote.said_on_precision)
                == quote.said_on_display
            )


def test_partial_iso_and_time_element():
    assert public_site.partial_iso(OCT_15, "month") == "2021-10"
    assert public_site.partial_iso(OCT_15, "year") == "2021"
    assert public_site.partial_iso(OCT_15, "day") == "2021-10-15"
    with translation.override("en"):
        assert str(public_site.partial_time(OCT_15, "month")) == (
            '<time datetime="2021-10">Oct 2021</time>'
        )
    assert public_site.partial_time(None, "day") == ""


def test_language_labels_in_the_reader_language():
    with translation.override("nl"):
        assert public_site.language_label("en") == "Engels"
    with translation.override("tr"):
        assert public_site.language_label("en") == "İngilizce"
    with translation.override("en"):
        assert public_site.language_label("zh") == "Simplified Chinese"
        assert public_site.language_label("xx") == "xx"


def test_quote_in_uses_a_translation_when_there_is_one():
    quote = Quote.objects.prefetch_related("translations").get(text="Full speed ahead!")
    shown = public_site.quote_in(quote, "tr")
    assert (shown.text, shown.language, shown.is_translation) == ("Tam yol ileri!", "tr", True)
    shown = public_site.quote_in(quote, "en")
    assert (shown.text, shown.language, shown.is_translation) == (quote.text, "en", False)
    shown = public_site.quote_in(quote, "de")
    assert (shown.language, shown.is_translation) == ("en", False)


def test_house_lang_marks_default_language_text_on_other_pages():
    assert public_site.house_lang("en") == ""
    assert public_site.house_lang("nl") == ' lang="en"'


@pytest.mark.parametrize(
    ("name", "lang"), [("雷军", "zh"), ("金山软件", "zh"), ("Lei Jun", ""), ("", "")]
)
def test_native_lang_from_the_script(name, lang):
    assert public_site.native_lang(name) == lang


def test_initials():
    assert public_site.initials("Lei Jun") == "LJ"
    assert public_site.initials("Xiaomi Technology (Wuhan) Co., Ltd.") == "XT"
    assert public_site.initials("") == ""


def test_quote_in_marks_words_known_only_through_a_translation(django_assert_num_queries):
    manu = Article.objects.with_page_data().get(slug="manu-kumar-jain-verlaat-xiaomi")
    with django_assert_num_queries(0):  # the page's prefetch is all it needs
        shown = {q.text: public_site.quote_in(q, "tr") for q in manu.quotes.all()}
    change = shown["Change is the only constant in life."]
    assert (change.text, change.language, change.is_translation) == (
        "Hayatta değişmeyen tek şey değişimdir.",
        "tr",
        True,
    )
    nothing = shown["Nothing is impossible when people with the right intent come together."]
    assert (nothing.language, nothing.is_translation) == ("en", False)
    assert nothing.quote.rendered_from == "nl"
