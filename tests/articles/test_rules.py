"""Object-level rules (articles/rules.py): the permission matrix of test_workflow.py
extended to what articles show: role × object state × action, asked through Django's
`user.has_perm(perm, obj)` as the admin asks it, and through the admin over HTTP."""

import pytest
from django.urls import reverse

from articles import rules
from articles.models import Article, Image, Storyline, StorylineEntry
from people.models import Person, Quote, QuoteTranslation
from tests.editorial import bring_to, make_draft, roleless_user, staff_user

pytestmark = pytest.mark.django_db

ROLES = ["writer", "other_writer", "translator", "editor", "admin", "norole"]

# Who shows the object: nobody, the writer's own draft, another writer's draft, the
# writer's own article in review, the writer's own live article, or a scheduled one.
STATES = ["unused", "own_draft", "others_draft", "own_in_review", "own_live", "own_scheduled"]

# Who may change or delete a quote or an image in each state. Editors and admins always;
# a writer only while nothing but their own unpublished work shows it.
MAY_CHANGE = {
    "unused": {"writer", "other_writer", "editor", "admin"},
    "own_draft": {"writer", "editor", "admin"},
    "others_draft": {"other_writer", "editor", "admin"},
    "own_in_review": {"editor", "admin"},
    "own_live": {"editor", "admin"},
    "own_scheduled": {"editor", "admin"},
}
ARTICLE_STATE = {
    "own_draft": "draft",
    "others_draft": "draft",
    "own_in_review": "in_review",
    "own_live": "published",
    "own_scheduled": "scheduled",
}


@pytest.fixture
def cast(users):
    return {**users, "norole": roleless_user(), "other_writer": staff_user("writer2", "Writer")}


def article_in(state: str, cast) -> Article | None:
    if state == "unused":
        return None
    owner = cast["other_writer"] if state == "others_draft" else cast["writer"]
    return bring_to(make_draft(owner), ARTICLE_STATE[state], by=cast["admin"])


def quote_in(state: str, cast) -> Quote:
    quote = Quote.objects.create(
        speaker=Person.objects.get(slug="lei-jun"), text="Words for a rules test.", language="en"
    )
    article = article_in(state, cast)
    if article is not None:
        article.quotes.add(quote)
    return quote


def image_in(state: str, cast) -> Image:
    demo_file = Image.objects.order_by("pk").first().file.name  # a real file from the demo
    image = Image.objects.create(file=demo_file, alt_text="A test picture")
    article = article_in(state, cast)
    if article is not None:
        Article.objects.filter(pk=article.pk).update(lead_image=image)
    return image


MATRIX = [(state, role) for state in STATES for role in ROLES]


@pytest.mark.parametrize(("state", "role"), MATRIX)
@pytest.mark.parametrize("action", ["change", "delete"])
def test_quote_matrix(cast, state, role, action):
    quote = quote_in(state, cast)
    user = cast[role]
    assert user.has_perm(f"people.{action}_quote", quote) == (role in MAY_CHANGE[state])
    # Without an object the role alone answers: the rules never widen a role.
    assert user.has_perm(f"people.{action}_quote") == (
        role in {"writer", "other_writer", "editor", "admin"}
    )


@pytest.mark.parametrize(("state", "role"), MATRIX)
@pytest.mark.parametrize("action", ["change", "delete"])
def test_image_matrix(cast, state, role, action):
    image = image_in(state, cast)
    assert cast[role].has_perm(f"articles.{action}_image", image) == (role in MAY_CHANGE[state])


@pytest.mark.parametrize("role", ROLES)
def test_a_persons_photo_is_the_editors_to_change(cast, role):
    image = image_in("unused", cast)
    Person.objects.filter(slug="lei-jun").update(photo=image)
    assert cast[role].has_perm("articles.change_image", image) == (role in {"editor", "admin"})


@pytest.mark.parametrize(("state", "role"), MATRIX)
def test_quote_translation_matrix(cast, state, role):
    """A Dutch translation of a quote is shown by Dutch articles only; translators hold
    the permission and are narrowed the same way (their own drafts)."""
    quote = Quote.objects.create(
        speaker=Person.objects.get(slug="lei-jun"), text="Words to translate.", language="en"
    )
    dutch = QuoteTranslation.objects.create(quote=quote, language="nl", text="Woorden.")
    owner = {"others_draft": cast["other_writer"]}.get(state, cast["translator"])
    if state != "unused":
        source = bring_to(make_draft(cast["writer"]), "published", by=cast["admin"])
        source.quotes.add(quote)  # the English source shows the quote, not its translation
        target = ARTICLE_STATE[state]
        translation = bring_to(
            make_draft(owner, language="nl", translation_of=source), target, by=cast["admin"]
        )
        translation.quotes.add(quote)
    may = {
        "unused": {"writer", "other_writer", "translator", "editor", "admin"},
        "own_draft": {"translator", "editor", "admin"},
        "others_draft": {"other_writer", "editor", "admin"},
    }.get(state, {"editor", "admin"})
    for action in ("change", "delete"):
        perm = f"people.{action}_quotetranslation"
        assert cast[role].has_perm(perm, dutch) == (role in may), action


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "in_review", "published"])
def test_story_thread_entries_go_with_the_article(cast, role, state):
    article = bring_to(make_draft(cast["writer"]), state, by=cast["admin"])
    entry = StorylineEntry.objects.create(storyline=Storyline.objects.first(), article=article)
    may = {"editor", "admin"} | ({"writer"} if state == "draft" else set())
    for action in ("change", "delete"):
        perm = f"articles.{action}_storylineentry"
        assert cast[role].has_perm(perm, entry) == (role in may), action
        assert cast[role].has_perm(perm, article) == (role in may), action


# The article itself: change directly, or propose a change (staged) -----------------------

ARTICLE_STATES = ["draft", "changes_requested", "in_review", "approved", "published",
                  "scheduled", "unpublished"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ARTICLE_STATES)
def test_article_matrix_direct_staged_or_neither(cast, role, state):
    article = bring_to(make_draft(cast["writer"]), state, by=cast["admin"])
    user = cast[role]
    direct = role in {"editor", "admin"} or (
        role == "writer" and state in {"draft", "changes_requested"}
    )
    staged = role == "writer" and state in {"published", "scheduled"}
    assert rules.can_edit(user, article) == direct
    assert rules.can_stage_change(user, article) == staged
    assert user.has_perm("articles.change_article", article) == (direct or staged)
    assert user.has_perm("articles.delete_article", article) == (role in {"editor", "admin"})
    assert user.has_perm("articles.publish_change", article) == (role in {"editor", "admin"})


@pytest.mark.parametrize("role", ROLES)
def test_a_translator_stages_changes_to_own_live_translation(cast, role):
    source = bring_to(make_draft(cast["writer"]), "published", by=cast["admin"])
    live = bring_to(
        make_draft(cast["translator"], language="nl", translation_of=source),
        "published",
        by=cast["admin"],
    )
    assert rules.can_stage_change(cast[role], live) == (role == "translator")


# Through the admin, as people use it ----------------------------------------------------


def test_a_writer_cannot_change_a_quote_a_live_article_shows(client, cast):
    quote = quote_in("own_live", cast)
    url = reverse("admin:people_quote_change", args=[quote.pk])
    client.force_login(cast["writer"])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {
        "speaker": quote.speaker_id, "text": "Made-up words in a real mouth.",
        "language": "en", "said_on_precision": "unknown", "edit_version": quote.edit_version,
        "translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0,
    }  # fmt: skip
    assert client.post(url, data).status_code == 403
    quote.refresh_from_db()
    assert quote.text == "Words for a rules test."

    client.force_login(cast["editor"])
    assert client.post(url, data).status_code == 302
    quote.refresh_from_db()
    assert quote.text == "Made-up words in a real mouth."


def test_a_writer_edits_and_deletes_a_quote_only_their_draft_uses(client, cast):
    quote = quote_in("own_draft", cast)
    client.force_login(cast["writer"])
    url = reverse("admin:people_quote_change", args=[quote.pk])
    assert 'name="_save"' in client.get(url).content.decode()
    delete = reverse("admin:people_quote_delete", args=[quote.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_the_delete_action_checks_every_selected_object(client, cast):
    mine, live = quote_in("own_draft", cast), quote_in("own_live", cast)
    client.force_login(cast["writer"])
    response = client.post(
        reverse("admin:people_quote_changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, live.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Quote.objects.filter(pk__in=[mine.pk, live.pk]).count() == 2


def test_a_writer_cannot_change_the_picture_of_a_live_article(client, cast):
    image = image_in("own_live", cast)
    client.force_login(cast["writer"])
    url = reverse("admin:articles_image_change", args=[image.pk])
    response = client.post(url, {"alt_text": "Something else", "caption": "", "credit": ""})
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt_text == "A test picture"


@pytest.mark.parametrize("role", ["writer", "other_writer", "translator", "editor"])
@pytest.mark.parametrize("state", ["unused", "own_draft", "others_draft", "own_live"])
def test_quote_matrix_through_the_admin(client, cast, state, role):
    quote = quote_in(state, cast)
    client.force_login(cast[role])
    data = {
        "speaker": quote.speaker_id, "text": f"Changed by {role}.", "language": "en",
        "said_on_precision": "unknown", "edit_version": quote.edit_version,
        "translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post(reverse("admin:people_quote_change", args=[quote.pk]), data)
    quote.refresh_from_db()
    if role in MAY_CHANGE[state]:
        assert response.status_code == 302
        assert quote.text == f"Changed by {role}."
    else:
        assert response.status_code == 403
        assert quote.text == "Words for a rules test."
