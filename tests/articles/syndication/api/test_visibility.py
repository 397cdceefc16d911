"""Anonymous callers see what the public site shows and nothing more: a draft, scheduled or
withdrawn article is not found by id or by slug, and appears in no list and in no other
object's answer (versions, threads, quotes, roles, people and companies known only from
it). Found by crawling everything the API links to, not by asking the code under test
what it hides."""

import datetime

import pytest
import time_machine

from articles.models import Article, Storyline, StorylineEntry
from people.models import Company, Person, Position, Quote
from tests.articles.syndication.api.conftest import API, LISTS, crawl, get_json
from tests.editorial import bring_to, later, make_draft

pytestmark = pytest.mark.django_db

# In every hidden thing's title or name, and nowhere in the demo.
MARK = "Zyxwv"


@pytest.fixture
def hidden(users):
    """Drafts, a scheduled story and translation, and a withdrawn story, tied to new and to
    public people, companies, quotes and threads."""
    admin = users["admin"]
    lei_jun = Person.objects.get(slug="lei-jun")
    xiaomi = Company.objects.get(slug="xiaomi")
    public_thread = Storyline.objects.public().order_by("pk").first()
    public_quote = Quote.objects.public().order_by("pk").first()

    ghost = Person.objects.create(name=f"{MARK} Ghost", slug="zyxwv-ghost")
    shell = Company.objects.create(name=f"{MARK} Shell Holdings", slug="zyxwv-shell")
    thread = Storyline.objects.create(title=f"{MARK} thread", slug="zyxwv-thread")
    words = Quote.objects.create(
        speaker=ghost, text=f"{MARK}: nobody may read this.", language="en"
    )

    draft = make_draft(admin, title=f"{MARK} draft story", slug="zyxwv-draft")
    draft.people.add(ghost, lei_jun)
    draft.authors.add(ghost)
    draft.companies.add(shell, xiaomi)
    draft.quotes.add(words, public_quote)
    StorylineEntry.objects.create(storyline=thread, article=draft, position=1)
    StorylineEntry.objects.create(storyline=public_thread, article=draft, position=99)

    scheduled = make_draft(admin, title=f"{MARK} scheduled story", slug="zyxwv-scheduled")
    scheduled.people.add(lei_jun)
    scheduled.companies.add(xiaomi)
    scheduled.quotes.add(public_quote)
    StorylineEntry.objects.create(storyline=public_thread, article=scheduled, position=98)
    bring_to(scheduled, "scheduled", by=admin, at=later(hours=6))

    # A scheduled Turkish version of a published English story: not yet one of its versions.
    source = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    assert not source.versions().filter(language="tr").exists()
    translation = make_draft(
        admin, language="tr", translation_of=source, title=f"{MARK} zamanlanmış çeviri"
    )
    bring_to(translation, "scheduled", by=admin, at=later(hours=6))

    withdrawn = make_draft(admin, title=f"{MARK} withdrawn story", slug="zyxwv-withdrawn")
    withdrawn.people.add(lei_jun)
    withdrawn.companies.add(xiaomi)
    bring_to(withdrawn, "unpublished", by=admin)

    # Roles known only from hidden stories.
    for article, title in [(withdrawn, "withdrawn role"), (draft, "draft role")]:
        role = Position.objects.create(person=lei_jun, company=xiaomi, title=f"{MARK} {title}")
        role.sources.add(article)
    # The demo's own: a draft Dutch translation and a story in review.
    demo = list(Article.objects.exclude(status=Article.Status.PUBLISHED))
    assert {a.status for a in demo} >= {"draft", "in_review"}
    return {
        "articles": [draft, scheduled, translation, withdrawn, *demo],
        "ghost": ghost,
        "shell": shell,
        "thread": thread,
        "quote": words,
        "public_thread": public_thread,
    }


def hidden_marks(hidden) -> list[str]:
    marks = [MARK, hidden["ghost"].slug, hidden["shell"].slug, hidden["thread"].slug]
    for article in hidden["articles"]:
        marks += [f'{API}/articles/{article.pk}"', f"/{article.language}/{article.slug}/"]
    marks.append(f'{API}/quotes/{hidden["quote"].pk}"')
    return marks


def everything(client) -> dict:
    """Every answer the API links to, from its lists (small pages, so cursors are used)
    and the public objects the hidden stories are tied to."""
    return crawl(
        client,
        [
            *(f"{url}?limit=3" for url in LISTS),
            f"{API}/people/lei-jun",
            f"{API}/companies/xiaomi",
            f"{API}/articles?person=lei-jun",
            f"{API}/articles?company=xiaomi",
        ],
    )


def test_nothing_hidden_appears_anywhere(client, hidden):
    answers = everything(client)
    assert len(answers) > 40
    for url, response in answers.items():
        assert response.status_code == 200, url
        body = response.content.decode()
        for mark in hidden_marks(hidden):
            assert mark not in body, (url, mark)


def test_hidden_articles_are_not_found_by_id_or_slug(client, hidden):
    for article in hidden["articles"]:
        problem = get_json(client, f"{API}/articles/{article.pk}", 404)
        assert str(article.pk) in problem["detail"]
        get_json(client, f"{API}/articles/{article.language}/{article.slug}", 404)


def test_people_companies_quotes_and_threads_known_only_from_drafts_are_not_found(client, hidden):
    get_json(client, f"{API}/people/{hidden['ghost'].slug}", 404)
    get_json(client, f"{API}/companies/{hidden['shell'].slug}", 404)
    get_json(client, f"{API}/stories/{hidden['thread'].slug}", 404)
    get_json(client, f"{API}/quotes/{hidden['quote'].pk}", 404)
    # As filters they are as unknown as a slug nobody has.
    for name, slug in [
        ("person", "zyxwv-ghost"),
        ("company", "zyxwv-shell"),
        ("story", "zyxwv-thread"),
    ]:
        problem = get_json(client, f"{API}/articles?{name}={slug}", 400)
        assert problem["invalid-params"][0]["name"] == name
    assert get_json(client, f"{API}/quotes?person=zyxwv-ghost", 400)


def test_the_public_thread_lists_only_its_published_stories(client, hidden):
    thread = hidden["public_thread"]
    answer = get_json(client, f"{API}/stories/{thread.slug}")
    shown = [entry["article"]["id"] for entry in answer["entries"]]
    published = Article.objects.published().filter(storyline_entries__storyline=thread)
    assert sorted(shown) == sorted(published.values_list("pk", flat=True)) and shown


def test_a_scheduled_story_appears_when_its_time_comes(client, hidden):
    scheduled = hidden["articles"][1]
    url = f"{API}/articles?person=lei-jun&limit=100"
    before = client.get(url)
    assert MARK not in before.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"  # kept, but only until it goes live
    with time_machine.travel(scheduled.published_at + datetime.timedelta(seconds=1)):
        after = get_json(client, url)
        assert scheduled.pk in [item["id"] for item in after["items"]]
        assert get_json(client, f"{API}/articles/{scheduled.pk}")["title"].startswith(MARK)
        person = get_json(client, f"{API}/people/lei-jun")
        assert f"{MARK} draft role" not in str(person)


def test_withdrawing_a_story_takes_it_out_of_every_answer(client, users):
    story = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    marker = f'{API}/articles/{story.pk}"'
    before = everything(client)
    assert any(marker in r.content.decode() for r in before.values())

    from articles import workflow

    workflow.unpublish(story, user=users["editor"])
    after = everything(client)
    for url, response in after.items():
        assert marker not in response.content.decode(), url
    get_json(client, f"{API}/articles/{story.pk}", 404)
