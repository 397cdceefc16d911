"""The story graph: threads in the reader's language, related articles, quotes."""

import datetime

import pytest
from django.utils import timezone

from articles import workflow
from articles.graph import quotes_in, related_articles, story_threads
from articles.models import Article, Storyline, StorylineEntry
from articles.translation import start_translation
from people.models import Person, Quote, QuoteTranslation

pytestmark = pytest.mark.django_db


def story(slug):
    return Article.objects.get(slug=slug)


@pytest.fixture
def cars():
    return story("lei-jun-gives-up-roles-for-xiaomi-cars")


@pytest.fixture
def cars_nl():
    return story("lei-jun-geeft-functies-op-voor-xiaomi-autos")


def thread(threads, title):
    return next(t for t in threads if t.storyline.title == title)


def slugs(items):
    return [item.article.slug for item in items]


def published_story(users, title, *, language="en", people=(), companies=(), storylines=()):
    article = Article.objects.create(
        language=language, title=title, body=f"<p>{title}</p>", owner=users["writer"]
    )
    article.people.set(people)
    article.companies.set(companies)
    for storyline, position in storylines:
        StorylineEntry.objects.create(storyline=storyline, article=article, position=position)
    workflow.submit_for_review(article, user=users["writer"])
    workflow.approve(article, user=users["editor"])
    workflow.publish(
        article, user=users["editor"], at=timezone.now() - datetime.timedelta(minutes=5)
    )
    return article


# -- threads ----------------------------------------------------------------------------------


def test_thread_in_english_with_previous_and_next(cars):
    threads = story_threads(cars, "en")
    assert {t.storyline.title for t in threads} == {
        "Lei Jun hands over his roles",
        "Xiaomi's leadership changes",
    }
    roles = thread(threads, "Lei Jun hands over his roles")
    # The Turkish EV story has a published English version: the reader gets that.
    assert slugs(roles.items) == [
        "lei-jun-steps-down-kingsoft-executive-director",
        "lei-jun-gives-up-roles-for-xiaomi-cars",
        "xiaomi-ceo-quits-another-role-for-electric-cars",
    ]
    assert roles.current.article == cars and roles.position_label == "2 of 3"
    assert roles.previous.article.slug == "lei-jun-steps-down-kingsoft-executive-director"
    assert roles.next.article.slug == "xiaomi-ceo-quits-another-role-for-electric-cars"
    assert all(item.in_reader_language for item in roles.items)


def test_thread_in_dutch_falls_back_to_originals(cars_nl):
    roles = thread(story_threads(cars_nl, "nl"), "Lei Jun hands over his roles")
    # Kingsoft's Dutch version is a draft (English original shown); the EV story has no
    # Dutch version (Turkish original shown). The draft in review is never shown.
    assert [(i.article.slug, i.article.language) for i in roles.items] == [
        ("lei-jun-steps-down-kingsoft-executive-director", "en"),
        ("lei-jun-geeft-functies-op-voor-xiaomi-autos", "nl"),
        ("xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor", "tr"),
    ]
    assert [i.in_reader_language for i in roles.items] == [False, True, False]
    assert roles.current.article == cars_nl
    leadership = thread(story_threads(cars_nl, "nl"), "Xiaomi's leadership changes")
    assert leadership.next.article.slug == "manu-kumar-jain-verlaat-xiaomi"


def test_first_and_last_have_no_neighbour_beyond():
    kingsoft = story("lei-jun-steps-down-kingsoft-executive-director")
    roles = thread(story_threads(kingsoft, "en"), "Lei Jun hands over his roles")
    assert roles.previous is None and roles.current_index == 0
    letter = story("lei-jun-open-letter-xiaomi-world-number-two")
    rise = thread(story_threads(letter, "en"), "Xiaomi's rise")
    assert rise.next is None and rise.previous.article.slug == "manu-kumar-jain-leaves-xiaomi"


def test_an_article_in_no_thread_has_none(users):
    lonely = published_story(users, "A story on its own")
    assert story_threads(lonely, "en") == []


def test_a_translation_without_entries_inherits_its_sources_threads(users):
    kingsoft = story("lei-jun-steps-down-kingsoft-executive-director")
    draft = start_translation(kingsoft, language="tr", user=users["editor"])
    draft.storyline_entries.all().delete()
    threads = story_threads(draft, "tr")
    assert len(threads) == 2 and all(t.current.article == draft for t in threads)


def test_threads_take_five_queries_however_long(users, cars, django_assert_num_queries):
    with django_assert_num_queries(5):
        story_threads(cars, "nl")
    roles = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    for i in range(15):
        published_story(users, f"Another role handed over, part {i}", storylines=[(roles, 20 + i)])
    with django_assert_num_queries(5):
        threads = story_threads(cars, "nl")
    assert len(thread(threads, "Lei Jun hands over his roles").items) == 18


# -- related articles ------------------------------------------------------------------------------


def test_related_never_includes_the_story_itself_and_is_published_only(cars, cars_nl):
    for article, language in ((cars, "en"), (cars_nl, "nl"), (cars, "tr")):
        related = related_articles(article, language)
        keys = {r.article.translation_key for r in related}
        assert cars.translation_key not in keys
        assert all(r.article.is_live for r in related)
        assert len(keys) == len(related)  # one entry per story


def test_editors_picks_come_first_in_the_readers_language(users, cars):
    letter = story("lei-jun-open-letter-xiaomi-world-number-two")
    cars.related.add(letter)
    related = related_articles(cars, "tr")
    assert (
        related[0].manual and related[0].article.slug == "lei-jun-acik-mektup-xiaomi-dunya-ikincisi"
    )
    assert not any(r.manual for r in related[1:])
    # a pick made on another version of the story counts too
    cars.related.clear()
    story("lei-jun-geeft-functies-op-voor-xiaomi-autos").related.add(letter)
    assert related_articles(cars, "en")[0].article == letter


def test_automatic_related_by_shared_mentions_and_threads(cars):
    related = related_articles(cars, "en")
    # Kingsoft shares Lei Jun, Xiaomi and two threads; the EV story Lei Jun, two companies
    # and one thread: both come before stories that only share Lei Jun and Xiaomi.
    assert [r.article.slug for r in related[:2]] == [
        "lei-jun-steps-down-kingsoft-executive-director",
        "xiaomi-ceo-quits-another-role-for-electric-cars",
    ]
    scores = [r.score for r in related]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0


def test_unrelated_and_unpublished_stories_stay_out(users, cars):
    lei_jun = Person.objects.get(slug="lei-jun")
    unrelated = published_story(users, "Weather in Amsterdam")
    draft = Article.objects.create(language="en", title="Draft about Lei Jun", slug="draft-lj")
    draft.people.add(lei_jun)
    found = {r.article for r in related_articles(cars, "en", limit=50)}
    assert unrelated not in found and draft not in found


def test_related_takes_five_queries_however_many(users, cars, django_assert_num_queries):
    with django_assert_num_queries(5):
        related_articles(cars, "en")
    lei_jun = Person.objects.get(slug="lei-jun")
    roles = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    for i in range(12):
        published_story(users, f"Lei Jun story {i}", people=[lei_jun], storylines=[(roles, 30 + i)])
    cars.related.add(*Article.objects.filter(title__startswith="Lei Jun story")[:3])
    with django_assert_num_queries(5):
        related = related_articles(cars, "en", limit=10)
    assert len(related) == 10 and [r.manual for r in related[:4]] == [True] * 3 + [False]


# -- quotes ----------


def test_quotes_in_the_readers_language_or_marked_as_original():
    manu = Article.objects.with_page_data().get(slug="manu-kumar-jain-verlaat-xiaomi")
    by_text = {q.quote.text: q for q in quotes_in(manu, "tr")}
    change = by_text["Change is the only constant in life."]
    assert (change.text, change.language, change.is_translation) == (
        "Hayatta değişmeyen tek şey değişimdir.",
        "tr",
        True,
    )
    nothing = by_text["Nothing is impossible when people with the right intent come together."]
    assert nothing.language == "en" and not nothing.is_translation
    assert nothing.is_foreign_to("tr") and nothing.rendered_from == "nl"
    assert nothing.speaker.name == "Manu Kumar Jain" and nothing.said_on_display == "2023"
    assert "Instagram" in nothing.context


def test_quotes_cost_nothing_when_prefetched(django_assert_num_queries):
    letter = Article.objects.with_page_data().get(
        slug="lei-jun-open-letter-xiaomi-world-number-two"
    )
    with django_assert_num_queries(0):
        quotes = quotes_in(letter, "nl")
    assert [q.language for q in quotes] == ["nl", "nl", "en"]  # the mission has no Dutch


def test_quotes_take_two_queries_however_many(users, django_assert_num_queries):
    letter = story("lei-jun-open-letter-xiaomi-world-number-two")
    with django_assert_num_queries(2):
        assert len(quotes_in(letter, "tr")) == 3
    lei_jun = Person.objects.get(slug="lei-jun")
    for i in range(10):
        quote = Quote.objects.create(speaker=lei_jun, text=f"Saying {i}", language="en")
        QuoteTranslation.objects.create(quote=quote, language="tr", text=f"Söz {i}")
        letter.quotes.add(quote)
    letter = story("lei-jun-open-letter-xiaomi-world-number-two")
    with django_assert_num_queries(2):
        quotes = quotes_in(letter, "tr")
    assert len(quotes) == 13 and {q.language for q in quotes} == {"tr"}
