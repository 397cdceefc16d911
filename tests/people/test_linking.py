"""Entity linking: sentences in English, Dutch and Turkish about the people of FACTS.md."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from people.linking import (
    COMPANY,
    LOWER_CASE,
    PARTIAL,
    PERSON,
    SHARED,
    Linker,
    pending_suggestions,
    review_mentions,
    suggest_mentions,
)
from people.models import Company, Person
from tests.properties import PROPERTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def linker():
    return Linker.load()


def found(linker, *texts):
    """{slug: confident?} for everything suggested."""
    return {s.entity.slug: s.confident for s in linker.suggest(*texts)}


def confident(linker, *texts):
    return {slug for slug, sure in found(linker, *texts).items() if sure}


# -- English --------------------------------------------------------------------------------


def test_english_names_with_possessives_and_typographic_apostrophes(linker):
    text = (
        "Lei Jun's open letter says Xiaomi’s share passed Apple's. Canalys counted it; "
        "Manu Kumar Jain had built Xiaomi India from a one-person office."
    )
    assert confident(linker, text) == {
        "lei-jun", "xiaomi", "apple", "canalys", "manu-kumar-jain", "xiaomi-india",
    }  # fmt: skip


def test_english_finds_nothing_that_is_not_there(linker):
    text = (
        "The chip maker reported strong sales in Europe; its chief executive thanked "
        "the engineers, and the board approved a dividend."
    )
    assert found(linker, text) == {}


def test_whole_words_only(linker):
    text = "Leijun and Xiaomix are not names here, nor are Kingsoftware or XiaomiIndia or 3888JD."
    assert found(linker, text) == {}


def test_the_longest_name_wins(linker):
    text = "Xiaomi Automobile Technology Co., Ltd. appointed a manager."
    assert found(linker, text) == {"xiaomi-automobile-technology": True}


def test_a_name_split_by_a_paragraph_break_is_not_a_name(linker):
    assert "lei-jun" not in confident(linker, "He thanked Lei\n\nJun Wei for the help.")


# -- Dutch ----------------------------------------------------------------------------------


def test_dutch_genitives_compounds_and_case(linker):
    text = (
        "Lei Juns open brief aan het personeel van Kingsofts dochter KINGSOFT CLOUD. "
        "De Xiaomi-oprichter noemt ook jabong en Xiaomi's Indiase tak."
    )
    result = found(linker, text)
    assert result["lei-jun"] and result["kingsoft"] and result["kingsoft-cloud"]
    assert result["xiaomi"]
    assert result["jabong"] is False  # a one-word name seen only in lower case


def test_dutch_finds_nothing_that_is_not_there(linker):
    text = "De Nederlandse markt voor telefoons groeide vorig jaar met drie procent."
    assert found(linker, text) == {}


def test_a_lower_case_name_is_confident_once_written_properly(linker):
    assert found(linker, "apple en Apple") == {"apple": True}
    suggestion = Linker.load().suggest("een apple per dag")[0]
    assert suggestion.reasons == [LOWER_CASE] and not suggestion.confident


# -- Turkish --------------------------------------------------------------------------------


def test_turkish_suffixes_after_apostrophes(linker):
    text = (
        "Lei Jun'un yeni görevi: Xiaomi'nin CEO'su, Xiaomi YouPin'deki hisselerini koruyor. "
        "Zeng Xuezhong'a göre Xiaomi Technology (Wuhan) Co., Ltd.'nin yönetimi değişti."
    )
    assert confident(linker, text) == {
        "lei-jun", "xiaomi", "xiaomi-youpin", "zeng-xuezhong", "xiaomi-technology-wuhan",
    }  # fmt: skip


def test_turkish_dotted_capitals_and_accents(linker):
    text = "XİAOMİ'NİN kurucusu LEİ JUN ile Zëng Xuézhong görüştü."
    assert confident(linker, text) == {"xiaomi", "lei-jun", "zeng-xuezhong"}


def test_turkish_finds_nothing_that_is_not_there(linker):
    text = "Şirketin yeni telefonu gelecek ay Türkiye'de satışa çıkacak."
    assert found(linker, text) == {}


# -- native scripts and aliases ----------


def test_native_script_names_without_spaces(linker):
    text = "雷军辞去金山软件执行董事职务，王翔和邹涛继续任职。"
    assert confident(linker, text) == {"lei-jun", "kingsoft", "wang-xiang", "zou-tao"}


def test_aliases_are_names_too(linker):
    text = "Richard Liu of JD and Ma Yun; Manu Jain too."
    assert confident(linker, text) == {"liu-qiangdong", "jd-com", "jack-ma", "manu-kumar-jain"}


# -- ambiguity ----------


def test_wang_alone_is_ambiguous_and_never_confident(linker):
    suggestions = {s.entity.slug: s for s in linker.suggest("Wang said the results were good.")}
    assert set(suggestions) == {"wang-hua", "wang-xiang"}
    for suggestion in suggestions.values():
        assert suggestion.ambiguous and suggestion.reasons == [PARTIAL]
    assert [p.slug for p in suggestions["wang-hua"].alternatives] == ["wang-xiang"]


def test_a_surname_after_the_full_name_means_that_person(linker):
    result = found(linker, "Wang Hua spoke first. Later, Wang added that it was normal.")
    assert result == {"wang-hua": True}


def test_a_lower_case_surname_is_not_a_name(linker):
    assert found(linker, "the wang and jain") == {}


def test_a_name_two_people_share_is_ambiguous_for_both(linker):
    Person.objects.create(name="Lei Jun", slug="lei-jun-the-cyclist")
    suggestions = Linker.load().suggest("Lei Jun won the race.")
    assert {s.entity.slug for s in suggestions} == {"lei-jun", "lei-jun-the-cyclist"}
    assert all(s.reasons == [SHARED] and not s.confident for s in suggestions)


# -- query counts ----------


def test_loading_names_takes_two_queries_however_many(django_assert_num_queries):
    with django_assert_num_queries(2):
        small = Linker.load()
    Person.objects.bulk_create(
        Person(name=f"Person {i} Example", slug=f"person-{i}", aliases=f"P{i}\nEx {i}")
        for i in range(200)
    )
    Company.objects.bulk_create(
        Company(name=f"Company {i} Holdings", slug=f"company-{i}") for i in range(200)
    )
    with django_assert_num_queries(2):
        large = Linker.load()
    assert len(large.entities) == len(small.entities) + 400
    assert found(large, "Person 7 Example joined Company 12 Holdings.") == {
        "person-7": True,
        "company-12": True,
    }
    crowded = Article.objects.create(
        language="en",
        title="Everyone at once",
        slug="everyone-at-once",
        body="".join(f"<p>Person {i} Example met Company {i} Holdings.</p>" for i in range(60)),
    )
    with django_assert_num_queries(4):
        pending = pending_suggestions(crowded)
    assert len(pending) == 120 and all(s.confident for s in pending)


def test_pending_suggestions_take_four_queries(django_assert_num_queries):
    article = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    article.people.clear()
    with django_assert_num_queries(4):
        pending = pending_suggestions(article)
    assert {s.entity.slug for s in pending} == {"lei-jun", "wang-hua", "zeng-xuezhong"}


# -- the demo newsroom ----------


def test_every_demo_story_links_what_the_linker_finds(linker):
    """Everything named in full is linked; everything linked is named in some version."""
    articles = list(Article.objects.prefetch_related("people", "companies"))
    named_in_story: dict = {}
    for article in articles:
        for suggestion in suggest_mentions(article, linker=linker):
            named_in_story.setdefault(article.translation_key, set()).add(suggestion.key)
    for article in articles:
        linked = {f"{PERSON}:{p.pk}" for p in article.people.all()}
        linked |= {f"{COMPANY}:{c.pk}" for c in article.companies.all()}
        assert linked, f"{article} links nobody"
        sure = {s.key for s in suggest_mentions(article, linker=linker) if s.confident}
        assert sure <= linked, (article, sure - linked)
        assert linked <= named_in_story[article.translation_key], (
            article,
            linked - named_in_story[article.translation_key],
        )


# -- reviewing an article's mentions ----------


def test_review_lists_what_is_pending_and_links_the_text_does_not_name(linker):
    draft = Article.objects.get(slug="lei-jun-stopt-als-bestuurder-kingsoft")  # one sentence so far
    review = review_mentions(draft, linker=linker)
    assert "Zou Tao" in review.unnamed and "Lei Jun" not in review.unnamed
    assert review.unnamed == sorted(review.unnamed)
    assert review.pending == pending_suggestions(draft, linker=linker)


def test_an_unsaved_article_has_everything_pending_and_nothing_linked(linker):
    review = review_mentions(Article(title="Lei Jun and Xiaomi"), linker=linker)
    assert {s.entity.slug for s in review.pending} == {"lei-jun", "xiaomi"}
    assert review.unnamed == []


def test_find_reads_what_an_accept_button_names(linker):
    lei_jun = Person.objects.get(slug="lei-jun")
    xiaomi = Company.objects.get(slug="xiaomi")
    assert linker.find(f"{PERSON}:{lei_jun.pk}") == lei_jun
    assert linker.find(f"{COMPANY}:{xiaomi.pk}") == xiaomi
    for value in ("person:999999", "planet:1", "person:abc", "", "person"):
        assert linker.find(value) is None


# -- The index kept between requests ------------------------------------------------------


def test_the_index_is_reused_until_a_name_changes(django_assert_num_queries):
    first = Linker.current()
    with django_assert_num_queries(0):  # no rows read: the same index as before
        assert Linker.current() is first

    person = Person.objects.create(name="Ilse Vandermeer", slug="ilse-vandermeer")
    renewed = Linker.current()
    assert renewed is not first
    assert confident(renewed, "Ilse Vandermeer joined the board.") == {"ilse-vandermeer"}

    person.aliases = "Ilse V."
    person.name = "Ilse van der Meer"
    person.save()
    renamed = Linker.current()
    assert confident(renamed, "Ilse van der Meer spoke first.") == {"ilse-vandermeer"}
    assert confident(renamed, "Ilse Vandermeer spoke first.") == set()

    company = Company.objects.create(name="Quillfeather Labs", slug="quillfeather-labs")
    assert confident(Linker.current(), "Quillfeather Labs shipped.") == {"quillfeather-labs"}
    company.delete()
    assert confident(Linker.current(), "Quillfeather Labs shipped.") == set()


@PROPERTY
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(["Lei Jun", "lei jun", "雷军", "Xiaomi'nin", "Wang", "Juns", "\n\n"]),
        ),
        max_size=30,
    ).map(" ".join)
)
def test_any_text_gives_suggestions_never_an_error(db, text):
    for suggestion in Linker.load().suggest(text[:40], "", text):
        assert suggestion.count >= 1 and suggestion.found_as
        assert suggestion.confident or suggestion.reasons


# -- Names written without spaces, and what the linker reports (mutation testing) -----------


def unsaved_linker(*names, kind=PERSON):
    """A linker over people (or companies) that exist only in memory, pks from 9001."""
    model = Person if kind == PERSON else Company
    entities = [model(pk=9001 + i, name=n, slug=f"e{i}") for i, n in enumerate(names)]
    return Linker(entities, []) if kind == PERSON else Linker([], entities)


def test_an_unspaced_name_is_quoted_as_written_not_as_folded():
    linker = unsaved_linker("MI小米", kind=COMPANY)
    [suggestion] = linker.suggest("Shares of Mi小米 rose.")
    assert suggestion.found_as == ["Mi小米"] and suggestion.confident


def test_an_unspaced_name_after_a_letter_that_folds_longer_is_still_quoted_whole():
    # "ß" folds to "ss": the folded text is one longer, so its own words are quoted.
    linker = unsaved_linker("小米", kind=COMPANY)
    [suggestion] = linker.suggest("Die Straße vor 小米 war voll.")
    assert suggestion.found_as == ["小米"]


def test_an_unspaced_name_two_people_share_is_ambiguous():
    linker = unsaved_linker("王伟", "王伟", "雷军")
    suggestions = linker.suggest("王伟和雷军见面。")
    shared = [s for s in suggestions if s.found_as == ["王伟"]]
    assert len(shared) == 2
    for suggestion in shared:
        assert not suggestion.confident and suggestion.reasons == [SHARED]
        assert len(suggestion.alternatives) == 1
    [lei] = [s for s in suggestions if s.found_as == ["雷军"]]
    assert lei.confident and lei.reasons == []


def test_a_suggestion_reads_as_its_name_and_says_when_it_is_ambiguous():
    linker = unsaved_linker("王伟", "王伟", "雷军")
    by_name = {s.entity.pk: str(s) for s in linker.suggest("王伟和雷军见面。")}
    assert by_name == {9001: "王伟 (ambiguous)", 9002: "王伟 (ambiguous)", 9003: "雷军"}


def test_a_key_names_one_entity_and_anything_else_names_none():
    linker = unsaved_linker("Ada Lovelace")
    assert linker.find("person:9001").name == "Ada Lovelace"
    for key in ("person:9002", "company:9001", "person:", "person", "person:²", "person:-1"):
        assert linker.find(key) is None, key


def test_the_linker_given_is_the_one_used():
    """Suggestions come from the linker passed in, not the site's current index."""
    article = Article(language="en", title="Ada Lovelace at Xiaomi", body="<p>No one else.</p>")
    linker = unsaved_linker("Ada Lovelace")
    assert [s.entity.name for s in suggest_mentions(article, linker=linker)] == ["Ada Lovelace"]
    assert [s.entity.name for s in pending_suggestions(article, linker=linker)] == ["Ada Lovelace"]
    assert "Ada Lovelace" not in {s.entity.name for s in suggest_mentions(article)}
