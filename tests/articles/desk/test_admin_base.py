"""What the article admin's views share: one rule for the article a view acts on, and
panels drawn for whoever is looking."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from articles.desk.admin_base import user_display_name
from articles.models import Article, PreviewLink
from people.models import Person
from tests.articles.test_concurrency import form_payload
from tests.editorial import bring_to, make_draft, roleless_user

pytestmark = pytest.mark.django_db

# Every view of ArticleAdmin's own, from each of its mixins: (url name, extra args, method).
VIEWS = [
    ("articles_article_workflow", ["submit"], "post"),  # desk/workflow_admin.py
    ("articles_article_compare", [], "get"),
    ("articles_article_preview", [], "get"),
    ("articles_article_previewlinks", [], "post"),
    ("articles_article_history", [], "get"),
    ("articles_article_translate", ["tr"], "get"),  # desk/translation_admin.py
    ("articles_article_translate", ["tr"], "post"),
    ("articles_article_mark_synced", [], "get"),
    ("articles_article_mark_synced", [], "post"),
    ("articles_article_mentions", [], "get"),  # desk/mentions_admin.py
    ("articles_article_mentions", [], "post"),
]


def request(client, name, pk, args, method):
    url = reverse(f"admin:{name}", args=[pk, *args])
    return getattr(client, method)(url, {"accept_all": "1"} if method == "post" else {})


@pytest.mark.parametrize(("name", "args", "method"), VIEWS)
def test_a_missing_article_is_404_in_every_view(client, users, name, args, method):
    client.force_login(users["editor"])
    assert request(client, name, 999999, args, method).status_code == 404


@pytest.mark.parametrize(("name", "args", "method"), VIEWS)
def test_an_article_the_user_may_not_open_is_403_in_every_view(client, users, name, args, method):
    article = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    before = (article.edit_version, article.status, article.people.count())
    client.force_login(roleless_user())
    assert request(client, name, article.pk, args, method).status_code == 403
    article.refresh_from_db()
    assert (article.edit_version, article.status, article.people.count()) == before
    assert not article.versions().filter(language="tr").exists()


def test_panels_show_each_viewer_their_own_buttons(client, users):
    """The same article, opened by three people: each sees the buttons they may press."""
    draft = make_draft(users["writer"], title="Lei Jun meets Xiaomi's board")
    url = reverse("admin:articles_article_change", args=[draft.pk])
    pages = {}
    for role in ("writer", "translator", "editor"):
        client.force_login(users[role])
        pages[role] = client.get(url).content.decode()
    accept = 'name="_accept_mention"'
    assert accept in pages["writer"] and accept not in pages["translator"]
    assert "Me (Esther Editor)" in pages["editor"]
    assert 'name="translation_assignee"' not in pages["writer"]


def test_users_are_named_by_full_name_else_username(users):
    assert user_display_name(users["editor"]) == "Esther Editor"
    assert user_display_name(roleless_user()) == "norole"
    assert user_display_name(None) == "nobody"


# Save first, then act: the change form's panel buttons post everything typed -------------


def typed(client, article, **changes):
    """The change page as the browser would post it back, with `changes` typed in."""
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    return {**form_payload(page), **changes}


def post_change(client, article, data):
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_submit_for_review_saves_the_typed_words_first(client, users):
    draft = make_draft(users["writer"], body="<p>First words.</p>")
    client.force_login(users["writer"])
    data = typed(client, draft, title="Typed just now", body="<p>Typed just now.</p>")
    response = post_change(client, draft, {**data, "_workflow": "submit", "comment": "Ready"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Typed just now", "<p>Typed just now.</p>")
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.events.first().comment == "Ready"
    # One revision for the request: the typed words and the step together.
    newest = Version.objects.get_for_object(draft).first()
    assert newest.field_dict["title"] == "Typed just now"
    assert newest.field_dict["status"] == Article.Status.IN_REVIEW
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        "Your changes are saved.",
        "Submit for review: done. Status now: In review.",
    ]


def test_a_save_refused_by_validation_takes_no_step_and_keeps_what_was_typed(client, users):
    draft = make_draft(users["writer"], title="Stored title")
    client.force_login(users["writer"])
    data = typed(client, draft, title="", body="<p>Words nobody may lose.</p>")
    response = post_change(client, draft, {**data, "_workflow": "submit", "comment": "Mine"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "Words nobody may lose." in page and ">Mine</textarea>" in page
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Stored title", Article.Status.DRAFT)
    assert not draft.events.exists()


def test_a_stale_form_takes_no_step_and_shows_the_conflict(client, users):
    draft = make_draft(users["writer"])
    client.force_login(users["editor"])
    data = typed(client, draft, body="<p>The editor's version.</p>")
    Article.objects.filter(pk=draft.pk).update(edit_version=draft.edit_version + 1)
    response = post_change(client, draft, {**data, "_workflow": "submit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this while you were editing" in page and "The editor&#x27;s version." in page
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.body == "<p>Words for a test.</p>"


def test_a_step_missing_its_input_is_refused_before_anything_is_saved(client, users):
    article = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    client.force_login(users["editor"])
    data = typed(client, article, title="An editor's new headline")
    response = post_change(client, article, {**data, "_workflow": "request_changes"})
    assert response.status_code == 200
    assert "say in the comment what should change" in response.content.decode()
    article.refresh_from_db()
    assert (
        article.status == Article.Status.IN_REVIEW and article.title != "An editor's new headline"
    )


def test_accepting_a_mention_saves_the_typed_text_then_links_the_name(client, users):
    draft = make_draft(users["writer"], body="<p>Nothing yet.</p>")
    lei_jun = Person.objects.get(slug="lei-jun")
    client.force_login(users["writer"])
    data = typed(client, draft, body="<p>Lei Jun spoke today.</p>")
    response = post_change(client, draft, {**data, "_accept_mention": f"person:{lei_jun.pk}"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "<p>Lei Jun spoke today.</p>"
    assert list(draft.people.all()) == [lei_jun]


def test_translate_into_saves_the_source_first_and_copies_what_was_typed(client, users):
    source = make_draft(users["editor"], title="Source as stored")
    client.force_login(users["editor"])
    data = typed(client, source, title="Source as typed")
    response = post_change(client, source, {**data, "_translate": "nl"})
    draft = source.versions().get(language="nl")
    assert response["Location"] == reverse("admin:articles_article_change", args=[draft.pk])
    source.refresh_from_db()
    assert source.title == draft.title == "Source as typed"


def test_a_reader_of_the_article_takes_the_step_with_nothing_to_save(client, users):
    article = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    client.force_login(users["writer"])  # may not edit it in review, may pull it back
    response = post_change(
        client, article, {"_workflow": "return_to_draft", "comment": "One more fact"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.events.first().comment == "One more fact"


def test_a_step_not_open_to_the_user_is_refused_and_nothing_saved(client, users):
    draft = make_draft(users["writer"], title="Stored")
    client.force_login(users["writer"])
    data = typed(client, draft, title="Typed")
    response = post_change(client, draft, {**data, "_workflow": "publish"})
    assert response.status_code == 200
    assert "is not open to you" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Stored", Article.Status.DRAFT)


def test_publish_now_from_the_form_puts_a_scheduled_article_live(client, users):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    client.force_login(users["editor"])
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'name="_workflow" value="publish_now"' in page.content.decode()
    response = post_change(client, article, {**typed(client, article), "_workflow": "publish_now"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live


def test_a_preview_link_made_from_the_form_keeps_the_typed_words(client, users):
    draft = make_draft(users["writer"])
    client.force_login(users["editor"])
    data = typed(client, draft, standfirst="Typed before sharing.")
    response = post_change(client, draft, {**data, "_preview_link": "1", "lifetime": "1d"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.standfirst == "Typed before sharing."
    link = PreviewLink.objects.get(article=draft)
    data = typed(client, draft)
    post_change(client, draft, {**data, "_revoke_preview_link": str(link.pk)})
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_mark_synced_from_the_panel_saves_the_typed_translation_first(client, users):
    from articles.translation import TranslationState, translation_state

    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    client.force_login(users["editor"])
    data = typed(client, outdated, standfirst="Bijgewerkt naar de nieuwe bron.")
    response = post_change(client, outdated, {**data, "_mark_synced": str(outdated.pk)})
    assert response.status_code == 302
    outdated.refresh_from_db()
    assert outdated.standfirst == "Bijgewerkt naar de nieuwe bron."
    assert translation_state(outdated) == TranslationState.UP_TO_DATE
