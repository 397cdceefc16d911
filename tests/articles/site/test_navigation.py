"""articles/site/navigation.py: languages, versions, threads, related articles."""

import datetime

import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from articles import workflow
from articles.models import Article, Storyline, StorylineEntry
from articles.site import navigation
from articles.translation import start_translation
from people.models import Person

pytestmark = pytest.mark.django_db


def story(language: str, slug: str) -> Article:
    return Article.objects.get(language=language, slug=slug)


@pytest.fixture
def cars_en():
    return story("en", "lei-jun-gives-up-roles-for-xiaomi-cars")


@pytest.fixture
def cars_nl():
    return story("nl", "lei-jun-geeft-functies-op-voor-xiaomi-autos")


def test_page_language_accepts_only_our_languages():
    assert navigation.page_language(None) == "en"
    assert navigation.page_language("") == "en"
    assert navigation.page_language("tr") == "tr"
    for bad in ("zz", "EN", "en-us", "x" * 1000, "\x00"):
        with pytest.raises(Http404):
            navigation.page_language(bad)


def test_front_url_puts_the_default_language_at_the_root():
    assert navigation.front_url("en") == "/"
    assert navigation.front_url("nl") == "/nl/"


def test_with_language_keeps_filters_and_drops_the_default():
    assert navigation.with_language("/people/x/", "en") == "/people/x/"
    assert navigation.with_language("/people/x/", "nl") == "/people/x/?lang=nl"
    assert (
        navigation.with_language(
            "/articles/", "tr", {"person": "lei-jun", "page": "", "lang": "nl"}
        )
        == "/articles/?person=lei-jun&lang=tr"
    )


def test_language_links_never_fall_back_to_front_pages():
    links = navigation.language_links("en", {"en": "/en/a/", "nl": "/nl/b/"})
    assert [(link.code, link.url, link.current, link.has_version) for link in links] == [
        ("en", "/en/a/", True, True),
        ("nl", "/nl/b/", False, True),
        ("tr", None, False, False),
    ]


def test_language_versions_are_published_only_and_in_language_order(cars_en, cars_nl):
    assert navigation.language_versions(cars_en) == [cars_en, cars_nl]
    letter = story("en", "lei-jun-open-letter-xiaomi-world-number-two")
    # The Dutch letter is scheduled, so only English and Turkish are public.
    assert [v.language for v in navigation.language_versions(letter)] == ["en", "tr"]


def test_x_default_is_the_default_language_then_the_original_then_the_first(users):
    manu_nl = story("nl", "manu-kumar-jain-verlaat-xiaomi")
    manu_en = story("en", "manu-kumar-jain-leaves-xiaomi")
    versions = navigation.language_versions(manu_nl)
    assert navigation.x_default_version(versions) == manu_en  # not the Dutch original
    workflow.unpublish(manu_en, user=users["editor"])
    versions = navigation.language_versions(manu_nl)
    assert manu_en not in versions
    assert navigation.x_default_version(versions) == manu_nl  # the original
    translations = [v for v in versions if v.translation_of_id is not None]
    if translations:
        assert navigation.x_default_version(translations) == translations[0]
    assert navigation.x_default_version([]) is None


def test_one_per_story_prefers_the_page_language_then_the_default():
    published = Article.objects.published()
    dutch = navigation.one_per_story(published, language="nl")
    keys = [a.translation_key for a in dutch]
    assert len(keys) == len(set(keys)) == 5
    by_key = {a.translation_key: a.language for a in dutch}
    assert by_key[story("nl", "manu-kumar-jain-verlaat-xiaomi").translation_key] == "nl"
    assert by_key[
        story("tr", "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor").translation_key
    ] == ("en")


def test_one_per_story_falls_back_to_the_earliest_version():
    with override_settings(
        LANGUAGES=[("de", "Deutsch"), ("en", "English"), ("nl", "NL"), ("tr", "TR")]
    ):
        found = navigation.one_per_story(Article.objects.published(), language="de")
        manu = [a for a in found if a.slug.startswith("manu")]
        assert [a.language for a in manu] == ["nl"]  # the original came first


def test_prefer_language_swaps_in_the_reader_version(cars_en, cars_nl):
    ev_tr = story("tr", "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor")
    chosen = navigation.prefer_language([cars_en, ev_tr, cars_nl], language="nl")
    assert [(a.language, a.slug) for a in chosen] == [
        ("nl", cars_nl.slug),
        ("en", "xiaomi-ceo-quits-another-role-for-electric-cars"),
    ]


def test_prefer_language_never_swaps_in_unpublished_versions():
    kingsoft = story("en", "lei-jun-steps-down-kingsoft-executive-director")
    assert navigation.prefer_language([kingsoft], language="nl") == [kingsoft]


def test_article_threads_know_previous_and_next(cars_nl):
    page = Article.objects.with_page_data().get(pk=cars_nl.pk)
    threads = {t.storyline.slug: t for t in navigation.article_threads(page, language="nl")}
    handover = threads["lei-jun-hands-over-his-roles"]
    assert handover.position == 2 and len(handover.stories) == 3
    assert handover.previous.slug == "lei-jun-steps-down-kingsoft-executive-director"
    assert handover.next.slug == "xiaomi-ceo-quits-another-role-for-electric-cars"
    assert handover.stories[1] == page


def test_thread_ends_have_no_neighbour():
    kingsoft = Article.objects.with_page_data().get(
        slug="lei-jun-steps-down-kingsoft-executive-director"
    )
    [first, _] = navigation.article_threads(kingsoft, language="en")
    assert first.previous is None and first.next is not None
    thread = navigation.Thread(Storyline(title="x"), [kingsoft], None)
    assert thread.previous is None and thread.next is None and thread.position is None


def test_related_articles_score_shared_mentions_and_skip_own_versions(cars_en):
    page = Article.objects.with_page_data().get(pk=cars_en.pk)
    related = navigation.related_articles(page, language="en")
    assert related, "the cars story shares people with others"
    assert all(a.translation_key != cars_en.translation_key for a in related)
    assert related[0].slug == "xiaomi-ceo-quits-another-role-for-electric-cars"  # most shared
    assert len({a.translation_key for a in related}) == len(related)


def test_related_articles_without_any_links_are_only_the_picks(cars_en):
    lonely = Article.objects.create(language="en", title="Lonely", slug="lonely")
    lonely.related.add(cars_en)
    page = Article.objects.with_page_data().get(pk=lonely.pk)
    assert navigation.related_articles(page, language="nl") == [
        story("nl", "lei-jun-geeft-functies-op-voor-xiaomi-autos")
    ]


def test_related_picks_are_published_only(cars_en):
    draft = story("nl", "lei-jun-stopt-als-bestuurder-kingsoft")
    lonely = Article.objects.create(language="en", title="Lonely", slug="lonely")
    lonely.related.add(draft)
    page = Article.objects.with_page_data().get(pk=lonely.pk)
    assert navigation.related_articles(page, language="nl") == []


# -- Threads and related articles, in depth --------------------------------------------


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


def page_article(article: Article) -> Article:
    return Article.objects.with_page_data().get(pk=article.pk)


def thread_titled(threads, title):
    return next(t for t in threads if t.storyline.title == title)


def test_thread_in_english_with_its_place_in_it(cars_en):
    threads = navigation.article_threads(page_article(cars_en), language="en")
    assert [t.storyline.title for t in threads] == [
        "Lei Jun hands over his roles",
        "Xiaomi's leadership changes",
    ]
    roles = threads[0]
    # The EV story was written in Turkish; its published English version is shown.
    assert [a.slug for a in roles.stories] == [
        "lei-jun-steps-down-kingsoft-executive-director",
        "lei-jun-gives-up-roles-for-xiaomi-cars",
        "xiaomi-ceo-quits-another-role-for-electric-cars",
    ]
    assert roles.position == 2 and roles.stories[1] == cars_en
    assert all(a.language == "en" for a in roles.stories)


def test_thread_in_dutch_falls_back_to_published_versions(cars_nl):
    roles = thread_titled(
        navigation.article_threads(page_article(cars_nl), language="nl"),
        "Lei Jun hands over his roles",
    )
    # Kingsoft's Dutch version is still a draft and the EV story has no Dutch version:
    # the reader gets the default language's. Drafts are never shown.
    assert [(a.slug, a.language) for a in roles.stories] == [
        ("lei-jun-steps-down-kingsoft-executive-director", "en"),
        ("lei-jun-geeft-functies-op-voor-xiaomi-autos", "nl"),
        ("xiaomi-ceo-quits-another-role-for-electric-cars", "en"),
    ]
    assert all(a.is_live for a in roles.stories)


def test_an_article_in_no_thread_has_none(users):
    lonely = published_story(users, "A story on its own")
    assert navigation.article_threads(page_article(lonely), language="en") == []


def test_a_translation_without_entries_inherits_its_sources_threads(users):
    kingsoft = story("en", "lei-jun-steps-down-kingsoft-executive-director")
    draft = start_translation(kingsoft, language="tr", user=users["editor"])
    draft.storyline_entries.all().delete()
    threads = navigation.article_threads(page_article(draft), language="tr")
    assert len(threads) == 2
    assert all(t.stories[t.current] == draft and t.position == 1 for t in threads)


def test_threads_take_two_queries_however_long(users, cars_nl, django_assert_num_queries):
    page = page_article(cars_nl)
    # The threads' entries with their articles; the versions in the page's language.
    with django_assert_num_queries(2):
        navigation.article_threads(page, language="nl")
    roles = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    for i in range(15):
        published_story(users, f"Another role handed over, part {i}", storylines=[(roles, 20 + i)])
    with django_assert_num_queries(2):
        threads = navigation.article_threads(page, language="nl")
    assert len(thread_titled(threads, "Lei Jun hands over his roles").stories) == 18
    with django_assert_num_queries(2):
        thread = navigation.storyline_thread(roles, language="nl")
    assert len(thread.stories) == 18 and thread.current is None


def test_related_never_includes_the_story_itself_and_is_published_only(cars_en, cars_nl):
    for article, language in ((cars_en, "en"), (cars_nl, "nl"), (cars_en, "tr")):
        related = navigation.related_articles(page_article(article), language=language)
        keys = [a.translation_key for a in related]
        assert cars_en.translation_key not in keys
        assert all(a.is_live for a in related)
        assert len(set(keys)) == len(keys)  # one entry per story


def test_editors_picks_come_first_in_the_readers_language(cars_en, cars_nl):
    letter = story("en", "lei-jun-open-letter-xiaomi-world-number-two")
    cars_en.related.add(letter)
    related = navigation.related_articles(page_article(cars_en), language="tr")
    assert related[0].slug == "lei-jun-acik-mektup-xiaomi-dunya-ikincisi"
    # A pick made on another version of the story counts too.
    cars_en.related.clear()
    cars_nl.related.add(letter)
    assert navigation.related_articles(page_article(cars_en), language="en")[0] == letter


def test_automatic_related_by_shared_mentions_and_threads(cars_en):
    related = navigation.related_articles(page_article(cars_en), language="en")
    # The EV and Kingsoft stories share Lei Jun, companies and threads with this one:
    # they come before stories that only share Lei Jun and Xiaomi.
    assert {a.slug for a in related[:2]} == {
        "lei-jun-steps-down-kingsoft-executive-director",
        "xiaomi-ceo-quits-another-role-for-electric-cars",
    }


def test_a_translation_that_lost_its_mentions_still_finds_its_sources_related(users):
    cars = story("en", "lei-jun-gives-up-roles-for-xiaomi-cars")
    draft = start_translation(cars, language="tr", user=users["editor"])
    draft.people.clear()
    draft.companies.clear()
    draft.storyline_entries.all().delete()
    found = {
        a.translation_key for a in navigation.related_articles(page_article(draft), language="tr")
    }
    expected = {
        a.translation_key for a in navigation.related_articles(page_article(cars), language="tr")
    }
    assert found == expected and found


def test_unrelated_and_unpublished_stories_stay_out(users, cars_en):
    lei_jun = Person.objects.get(slug="lei-jun")
    unrelated = published_story(users, "Weather in Amsterdam")
    draft = Article.objects.create(language="en", title="Draft about Lei Jun", slug="draft-lj")
    draft.people.add(lei_jun)
    found = set(navigation.related_articles(page_article(cars_en), language="en", limit=50))
    assert unrelated not in found and draft not in found


def test_related_takes_six_queries_however_many(users, cars_en, django_assert_num_queries):
    page = page_article(cars_en)
    # Editors' picks; the neighbours before and after in time; shared threads; shared
    # people (a subquery per candidate); the chosen stories in the page's language.
    with django_assert_num_queries(6):
        navigation.related_articles(page, language="nl")
    lei_jun = Person.objects.get(slug="lei-jun")
    roles = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    for i in range(12):
        published_story(users, f"Lei Jun story {i}", people=[lei_jun], storylines=[(roles, 30 + i)])
    picks = list(Article.objects.filter(title__startswith="Lei Jun story")[:3])
    cars_en.related.add(*picks)
    with django_assert_num_queries(6):
        related = navigation.related_articles(page, language="nl", limit=10)
    assert len(related) == 10 and set(related[:3]) == set(picks)


def test_related_looks_only_around_the_story_and_in_its_threads(users, cars_en):
    """An article far outside the window shares a person but is not considered; one in
    the story's thread is, however old."""
    lei_jun = Person.objects.get(slug="lei-jun")
    roles = Storyline.objects.get(slug="lei-jun-hands-over-his-roles")
    old_in_thread = published_story(users, "Old thread story", storylines=[(roles, 99)])
    Article.objects.filter(pk=old_in_thread.pk).update(
        published_at=cars_en.published_at - datetime.timedelta(days=3000)
    )
    far = published_story(users, "Far away Lei Jun story", people=[lei_jun])
    Article.objects.filter(pk=far.pk).update(
        published_at=cars_en.published_at - datetime.timedelta(days=4000)
    )
    # More stories than the window holds, between the article and the far one (made in
    # bulk as the generator makes archives: a workflow run each would be slow).
    day_before = cars_en.published_at - datetime.timedelta(days=1)
    filler = Article.objects.bulk_create(
        Article(
            language="en",
            title=f"Filler {i}",
            slug=f"filler-{i}",
            status=Article.Status.PUBLISHED,
            published_at=day_before,
            first_published_at=day_before,
        )
        for i in range(navigation.RELATED_WINDOW + 1)
    )
    Article.people.through.objects.bulk_create(
        Article.people.through(article_id=a.pk, person_id=lei_jun.pk) for a in filler
    )
    found = navigation.related_articles(page_article(cars_en), language="en", limit=500)
    assert old_in_thread in found
    assert far not in found
