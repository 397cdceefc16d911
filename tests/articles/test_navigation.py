"""articles/navigation.py: languages, versions, threads, related articles, public pages."""

import pytest
from django.http import Http404
from django.test import override_settings

from articles import navigation, workflow
from articles.models import Article, Storyline, StorylineEntry
from people.models import Company, Person, Position

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


def test_language_links_fall_back_to_front_pages():
    links = navigation.language_links("en", {"en": "/en/a/", "nl": "/nl/b/"})
    assert [(link.code, link.url, link.current, link.has_version) for link in links] == [
        ("en", "/en/a/", True, True),
        ("nl", "/nl/b/", False, True),
        ("tr", "/tr/", False, False),
    ]


def test_language_versions_are_published_only_and_in_language_order(cars_en, cars_nl):
    assert navigation.language_versions(cars_en) == [cars_en, cars_nl]
    letter = story("en", "lei-jun-open-letter-xiaomi-world-number-two")
    # The Dutch letter is scheduled, so only English and Turkish are public.
    assert [v.language for v in navigation.language_versions(letter)] == ["en", "tr"]


def test_default_version_is_the_original():
    manu_nl = story("nl", "manu-kumar-jain-verlaat-xiaomi")
    versions = navigation.language_versions(manu_nl)
    assert navigation.default_version(versions) == manu_nl


def test_default_version_without_a_public_original_is_the_default_language(users):
    manu_nl = story("nl", "manu-kumar-jain-verlaat-xiaomi")
    workflow.unpublish(manu_nl, user=users["editor"])
    versions = navigation.language_versions(story("en", "manu-kumar-jain-leaves-xiaomi"))
    assert [v.language for v in versions] == ["en"]
    assert navigation.default_version(versions).language == "en"


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


def test_public_people_and_companies_are_those_published_content_names():
    people = set(navigation.public_people().values_list("slug", flat=True))
    assert {"lei-jun", "yingwei-fu", "zeng-xuezhong", "wang-hua"} <= people
    hidden = Person.objects.create(name="Nobody Yet", slug="nobody-yet")
    assert not navigation.public_people().filter(pk=hidden.pk).exists()
    companies = set(navigation.public_companies().values_list("slug", flat=True))
    assert {"xiaomi", "kingsoft", "xiaomi-youpin", "chengdu-beida"} <= companies
    assert Company.objects.count() == len(companies)  # the demo links every company


def test_a_role_makes_its_people_public():
    person = Person.objects.create(name="New Chief", slug="new-chief")
    role = Position.objects.create(
        person=person, company=Company.objects.get(slug="jabong"), title="Chief"
    )
    assert not navigation.public_people().filter(pk=person.pk).exists()
    role.sources.add(story("nl", "manu-kumar-jain-verlaat-xiaomi"))
    assert navigation.public_people().filter(pk=person.pk).exists()


def test_public_storylines_need_a_published_article():
    empty = Storyline.objects.create(title="Nothing yet", slug="nothing-yet")
    StorylineEntry.objects.create(
        storyline=empty, article=story("nl", "lei-jun-stopt-als-bestuurder-kingsoft")
    )
    slugs = set(navigation.public_storylines().values_list("slug", flat=True))
    assert "nothing-yet" not in slugs and "xiaomi-rise" in slugs
