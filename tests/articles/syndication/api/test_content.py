"""What the API says about the demo newsroom: each answer tells what the public pages do,
checked against the rows themselves."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, Section, StorylineEntry
from articles.translation import translation_state
from people.models import Company, Person, Position, Quote
from tests.articles.syndication.api.conftest import API, get_json, local
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db


def article_with(*, language: str, state: str, translated_quotes: bool) -> Article:
    """A published demo article in `language`, in translation `state`, whose quotes do
    (or do not) have a translation in its language."""
    for article in Article.objects.published().filter(language=language):
        quotes = list(article.quotes.prefetch_related("translations"))
        if not quotes or translation_state(article) != state:
            continue
        translated = [q for q in quotes if language in {t.language for t in q.translations.all()}]
        if bool(translated) == translated_quotes:
            return article
    raise AssertionError("the demo has no such article")


def test_an_article_says_everything_its_page_does(client):
    article = Article.objects.published().filter(lead_image__isnull=False).first()
    answer = get_json(client, f"{API}/articles/{article.pk}")
    assert answer["title"] == article.title and answer["standfirst"] == article.standfirst
    assert answer["url"] == settings.SITE_URL + article.get_absolute_url()
    assert answer["body_html"] and "<script" not in answer["body_html"]
    assert datetime.datetime.fromisoformat(answer["published_at"]) == article.published_at
    assert {a["slug"] for a in answer["authors"]} == set(
        article.authors.values_list("slug", flat=True)
    )
    assert {p["slug"] for p in answer["people"]} == set(
        article.people.values_list("slug", flat=True)
    )
    assert {c["slug"] for c in answer["companies"]} == set(
        article.companies.values_list("slug", flat=True)
    )
    assert [s["slug"] for s in answer["sections"]] == list(
        article.sections.values_list("slug", flat=True)
    )
    image = answer["lead_image"]
    assert image["alt_text"] == article.lead_image.alt_text
    types = {r["type"] for r in image["renditions"]}
    assert "image/webp" in types and types & {"image/jpeg", "image/png"}
    assert all(r["url"].startswith(settings.SITE_URL + "/media/") for r in image["renditions"])
    for reference in answer["people"] + answer["companies"] + answer["authors"]:
        assert client.get(local(reference["api_url"])).status_code == 200


def test_quotes_are_given_in_the_article_language_marked_as_translations(client):
    article = article_with(language="nl", state="original", translated_quotes=True)
    answer = get_json(client, f"{API}/articles/{article.pk}")
    assert answer["quotes"]
    for quote in answer["quotes"]:
        row = Quote.objects.get(pk=quote["id"])
        assert quote["text"] == row.text and quote["language"] == row.language
        dutch = row.translations.filter(language="nl").first()
        if dutch is not None:
            assert quote["shown"] == {"text": dutch.text, "language": "nl", "is_translation": True}
        else:
            assert quote["shown"]["is_translation"] is False
        assert {t["language"] for t in quote["translations"]} == set(
            row.translations.values_list("language", flat=True)
        )


def test_a_quote_without_a_translation_is_shown_in_its_own_words(client):
    article = article_with(language="nl", state="outdated", translated_quotes=False)
    answer = get_json(client, f"{API}/articles/{article.pk}")
    for quote in answer["quotes"]:
        assert quote["shown"] == {
            "text": quote["text"],
            "language": quote["language"],
            "is_translation": False,
        }


def test_versions_say_their_translation_state(client):
    outdated = article_with(language="nl", state="outdated", translated_quotes=False)
    answer = get_json(client, f"{API}/articles/{outdated.pk}")
    assert answer["translation_state"] == "outdated"
    source = outdated.translation_of
    assert answer["translation_of"]["id"] == source.pk
    original = get_json(client, f"{API}/articles/{source.pk}")
    assert original["translation_state"] == "original" and original["translation_of"] is None
    states = {v["language"]: v["translation_state"] for v in original["versions"]}
    assert states["nl"] == "outdated"
    assert source.language not in states


def test_an_article_says_which_threads_it_is_in_and_where(client):
    entry = StorylineEntry.objects.filter(article__in=Article.objects.published()).first()
    answer = get_json(client, f"{API}/articles/{entry.article_id}")
    assert {"slug": entry.storyline.slug, "position": entry.position} in [
        {"slug": s["slug"], "position": s["position"]} for s in answer["stories"]
    ]
    thread = get_json(client, f"{API}/stories/{entry.storyline.slug}")
    positions = [e["position"] for e in thread["entries"]]
    assert positions == sorted(positions)
    assert entry.article_id in [e["article"]["id"] for e in thread["entries"]]


ISO_AT_PRECISION = {"year": r"^\d{4}$", "month": r"^\d{4}-\d{2}$", "day": r"^\d{4}-\d{2}-\d{2}$"}


def test_roles_are_dated_at_the_precision_they_are_known(client):
    person = Person.objects.get(slug="lei-jun")
    answer = get_json(client, f"{API}/people/lei-jun")
    assert answer["native_name"] == person.native_name == "雷军"
    roles = answer["roles"]
    assert roles and len(roles) == Position.objects.public().filter(person=person).count()
    seen = set()
    for role in roles:
        for end in ("start", "end"):
            when = role[end]
            if when is None:
                continue
            seen.add(when["precision"])
            assert re.match(ISO_AT_PRECISION[when["precision"]], when["value"]), when
    assert {"year", "month", "day"} <= seen
    assert roles[0]["company"]["api_url"]


def test_a_company_has_its_tickers_aliases_parent_and_subsidiaries(client):
    company = Company.objects.public().filter(tickers__contains=":").first()
    answer = get_json(client, f"{API}/companies/{company.slug}")
    assert [f"{t['symbol']}:{t['exchange']}" for t in answer["tickers"]] == company.ticker_list
    assert answer["aliases"] == company.alias_list
    child = Company.objects.public().filter(parent__isnull=False).first()
    child_answer = get_json(client, f"{API}/companies/{child.slug}")
    assert child_answer["parent"]["slug"] == child.parent.slug
    parent_answer = get_json(client, f"{API}/companies/{child.parent.slug}")
    assert child.slug in [s["slug"] for s in parent_answer["subsidiaries"]]


def test_quotes_list_their_translations_and_the_articles_that_use_them(client):
    quote = Quote.objects.public().filter(translations__isnull=False).first()
    answer = get_json(client, f"{API}/quotes/{quote.pk}")
    assert answer["speaker"]["slug"] == quote.speaker.slug
    assert {a["id"] for a in answer["articles"]} == set(
        Article.objects.published().filter(quotes=quote).values_list("pk", flat=True)
    )
    by_person = get_json(client, f"{API}/quotes?person={quote.speaker.slug}&limit=100")
    assert quote.pk in [q["id"] for q in by_person["items"]]
    assert all(q["speaker"]["slug"] == quote.speaker.slug for q in by_person["items"])


@pytest.mark.parametrize("name", ["language", "person", "company", "section", "story"])
def test_each_filter_keeps_only_what_it_names(client, name):
    published = Article.objects.published()
    section = Section.objects.filter(articles__in=published).first()
    value, expected = {
        "language": ("nl", published.filter(language="nl")),
        "person": ("lei-jun", published.about_person(Person.objects.get(slug="lei-jun"))),
        "company": (
            "xiaomi-automobile",
            published.about_company(Company.objects.get(slug="xiaomi-automobile")),
        ),
        "section": (section.slug, published.filter(sections=section)),
        "story": (
            "lei-jun-hands-over-his-roles",
            published.filter(storyline_entries__storyline__slug="lei-jun-hands-over-his-roles"),
        ),
    }[name]
    answer = get_json(client, f"{API}/articles?{name}={value}&limit=100")
    ids = [item["id"] for item in answer["items"]]
    assert ids and sorted(ids) == sorted(expected.values_list("pk", flat=True))
    assert len(ids) < published.count()


def test_updated_since_keeps_what_changed_or_went_live_since(client, users):
    since = timezone.now()
    stamp = since.isoformat().replace("+00:00", "Z")
    assert get_json(client, f"{API}/articles?updated_since={stamp}")["items"] == []
    story = make_draft(users["admin"], title="A story published just now")
    bring_to(story, "published", by=users["admin"])
    edited = Article.objects.published().exclude(pk=story.pk).first()
    edited.save()
    naive = since.replace(tzinfo=None).isoformat()  # no offset: read as UTC
    answer = get_json(client, f"{API}/articles", data={"updated_since": naive})
    assert {item["id"] for item in answer["items"]} == {story.pk, edited.pk}


def test_lists_are_newest_first(client):
    answer = get_json(client, f"{API}/articles?limit=100")
    times = [(item["published_at"], item["id"]) for item in answer["items"]]
    assert times == sorted(times, reverse=True)
    assert len(times) == Article.objects.published().count()
