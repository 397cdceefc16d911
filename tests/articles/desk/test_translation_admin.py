"""Translations in the admin: the panel on the change page, the filter, "Translate into …"
and "Mark synced", as editors and translators see them."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import staging
from articles.models import Article
from articles.translation import start_translation, translation_state
from tests.articles.test_admin import article_form_data
from tests.articles.test_translation import (
    IN_PROGRESS,
    MISSING,
    ORIGINAL,
    OUTDATED,
    UP_TO_DATE,
    WITH_GERMAN,
    edit,
    publish,
    state_in,
)
from tests.editorial import staff_user

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """The admin change form for `article` as it stands, with `overrides` applied."""
    entries = list(article.storyline_entries.all())
    published = timezone.localtime(article.published_at) if article.published_at else None
    data = article_form_data(
        article,
        published_at_0=f"{published:%Y-%m-%d}" if published else "",
        published_at_1=f"{published:%H:%M:%S}" if published else "",
        owner=article.owner_id or "",
        authors=[p.pk for p in article.authors.all()],
        source_url=article.source_url,
        dateline=article.dateline,
        lead_image=article.lead_image_id or "",
        people=[p.pk for p in article.people.all()],
        companies=[c.pk for c in article.companies.all()],
        quotes=[q.pk for q in article.quotes.all()],
        sections=[s.pk for s in article.sections.all()],
        related=[r.pk for r in article.related.all()],
        translation_of=article.translation_of_id or "",
        _continue="Save and continue editing",
        # The version this form was loaded at (no-lost-edits check, newsroom/concurrency.py).
        edit_version=article.edit_version,
    )
    data["storyline_entries-TOTAL_FORMS"] = str(len(entries))
    data["storyline_entries-INITIAL_FORMS"] = str(len(entries))
    for i, entry in enumerate(entries):
        data.update({
            f"storyline_entries-{i}-id": entry.pk,
            f"storyline_entries-{i}-article": article.pk,
            f"storyline_entries-{i}-storyline": entry.storyline_id,
            f"storyline_entries-{i}-position": entry.position,
        })  # fmt: skip
    data.update(overrides)
    return data


def save_in_admin(client, article, **overrides):
    response = client.post(change_url(article), form_data(article, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


def test_the_whole_cycle_through_the_admin(client, kingsoft, users):
    editor, translator = users["editor"], users["translator"]
    client.force_login(editor)
    page = client.get(change_url(kingsoft)).content.decode()
    assert "Translate into Türkçe" in page and "translation-missing" in page

    response = client.post(
        reverse("admin:articles_article_translate", args=[kingsoft.pk, "tr"]),
        {"translation_assignee": translator.pk, "return_to": kingsoft.pk},
    )
    draft = kingsoft.versions().get(language="tr")
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert draft.owner == translator
    assert state_in(kingsoft, "tr") == IN_PROGRESS
    assert "In progress" in client.get(change_url(kingsoft)).content.decode()

    publish(draft, writer=translator, editor=editor)
    assert "Up to date" in client.get(change_url(kingsoft)).content.decode()

    save_in_admin(client, kingsoft, dateline="Hong Kong", source="Tianyancha records")
    assert state_in(kingsoft, "tr") == UP_TO_DATE  # metadata only

    # A browser posts the body back with CRLF line endings: still no change of words.
    save_in_admin(client, kingsoft, body=kingsoft.body.replace("\n", "\r\n"))
    assert state_in(kingsoft, "tr") == UP_TO_DATE

    save_in_admin(client, kingsoft, title="Lei Jun leaves the Kingsoft board")
    assert state_in(kingsoft, "tr") == OUTDATED
    page = client.get(change_url(draft)).content.decode()
    assert "Outdated" in page and "Mark synced" in page
    assert "<del" in page and "leaves the Kingsoft board" in page

    listed = client.get(
        reverse("admin:articles_article_changelist"), {"translation_state": "outdated"}
    )
    assert draft.title in listed.content.decode()

    # The translator's text is unchanged: "Mark synced" is not open to them yet.
    client.force_login(translator)
    sync_url = reverse("admin:articles_article_mark_synced", args=[draft.pk])
    refused = client.post(sync_url, {"return_to": draft.pk}, follow=True)
    assert "own words have changed" in refused.content.decode()
    assert state_in(kingsoft, "tr") == OUTDATED

    # The translation is live: the translator's update waits for an editor...
    save_in_admin(client, draft, title="Lei Jun, Kingsoft yönetim kurulundan ayrılıyor")
    draft.refresh_from_db()
    assert draft.title != "Lei Jun, Kingsoft yönetim kurulundan ayrılıyor"
    change = staging.pending_change(draft)
    assert change.values["title"] == "Lei Jun, Kingsoft yönetim kurulundan ayrılıyor"
    # ...who publishes it; now the translator marks it in sync.
    staging.publish_change(change, user=editor)
    response = client.post(sync_url, {"return_to": draft.pk})
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert state_in(kingsoft, "tr") == UP_TO_DATE


def test_the_outdated_filter_costs_the_same_however_many_are_outdated(client, users, kingsoft):
    client.force_login(users["admin"])
    url = reverse("admin:articles_article_changelist")

    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"translation_state": "outdated"})
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    queries_before, count_before = listing()
    for language in ("tr",):
        start_translation(kingsoft, language=language, user=users["editor"])
    letter = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    edit(kingsoft, users["editor"], body=kingsoft.body + "<p>Update.</p>")
    edit(letter, users["editor"], body=letter.body + "<p>Update.</p>")
    queries_after, count_after = listing()
    assert count_after == count_before + 4  # kingsoft nl + tr, letter tr + nl
    assert queries_after == queries_before


def test_each_filter_choice_lists_only_articles_in_that_state(client, users):
    client.force_login(users["admin"])
    url = reverse("admin:articles_article_changelist")
    for state in (ORIGINAL, IN_PROGRESS, UP_TO_DATE, OUTDATED, MISSING):
        response = client.get(url, {"translation_state": state})
        assert response.status_code == 200
        assert response.context["cl"].result_list, state  # the demo has each state
        for article in response.context["cl"].result_list:
            if state == MISSING:
                assert article.configured_versions < 3
            else:
                assert translation_state(article) == state


@override_settings(LANGUAGES=WITH_GERMAN)
def test_an_added_language_shows_in_the_admin(client, users, kingsoft):
    client.force_login(users["editor"])
    page = client.get(change_url(kingsoft)).content.decode()
    assert "Translate into Deutsch" in page
    listed = client.get(
        reverse("admin:articles_article_changelist"), {"translation_state": "missing"}
    )
    assert listed.context["cl"].result_count == Article.objects.count()
    response = client.post(reverse("admin:articles_article_translate", args=[kingsoft.pk, "de"]))
    assert response.status_code == 302
    assert kingsoft.versions().filter(language="de", owner=users["editor"]).exists()


def test_translate_page_lets_an_editor_choose_the_translator(client, users, kingsoft):
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_translate", args=[kingsoft.pk, "tr"])
    page = client.get(url).content.decode()
    assert 'name="translation_assignee"' in page and "Tuba Translator" in page
    assert (
        client.get(
            reverse("admin:articles_article_translate", args=[kingsoft.pk, "xx"])
        ).status_code
        == 404
    )


def test_bad_requests_to_translate_change_nothing(client, users, kingsoft):
    url = reverse("admin:articles_article_translate", args=[kingsoft.pk, "tr"])
    client.force_login(users["writer"])
    response = client.post(url, {"translation_assignee": users["translator"].pk}, follow=True)
    assert "Only editors can give a translation to someone else" in response.content.decode()
    client.force_login(users["editor"])
    response = client.post(url, {"translation_assignee": 999999}, follow=True)
    assert "cannot be given translations" in response.content.decode()
    response = client.post(
        reverse("admin:articles_article_translate", args=[kingsoft.pk, "nl"]), follow=True
    )
    assert "already has a Nederlands version" in response.content.decode()
    assert not kingsoft.versions().filter(language="tr").exists()
    missing = reverse("admin:articles_article_translate", args=[999999, "tr"])
    assert client.post(missing).status_code == 404


def test_mark_synced_page_shows_the_changes_and_refuses_the_unpermitted(client, users):
    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    url = reverse("admin:articles_article_mark_synced", args=[outdated.pk])
    client.force_login(users["translator"])
    page = client.get(url).content.decode()
    assert "Zeng Xuezhong<ins>, who took over the Wuhan roles,</ins>" in page
    # Its translator has not changed a word since the source changed: not open yet.
    assert "Mark synced: the translation now says this" not in page
    assert "opens once the translation's own words have changed" in page
    client.force_login(users["editor"])
    assert "Mark synced: the translation now says this" in client.get(url).content.decode()
    client.force_login(users["writer"])
    response = client.post(url, follow=True)
    assert "permission" in response.content.decode()
    outdated.refresh_from_db()
    assert translation_state(outdated) == OUTDATED


def test_linking_a_translation_by_hand_starts_it_in_sync(client, users, kingsoft):
    client.force_login(users["editor"])
    standalone = Article.objects.create(
        language="tr", title="Kingsoft", slug="kingsoft-tr", body="<p>Lei Jun.</p>"
    )
    save_in_admin(client, standalone, translation_of=kingsoft.pk)
    assert standalone.source_hash == kingsoft.content_hash
    assert state_in(kingsoft, "tr") == IN_PROGRESS
    edit(kingsoft, users["editor"], body=kingsoft.body + "<p>More.</p>")
    assert state_in(kingsoft, "tr") == OUTDATED


# -- the translator's workspace -----------------------------------------------------------


def field_row(html: str, name: str) -> str:
    """The form row holding field `name` (Django's class="form-row field-…")."""
    start = html.index(f"field-{name}")
    start = html.rindex('<div class="form-row', 0, start)
    end = html.find('<div class="form-row', start + 10)
    return html[start:end]


def test_a_translation_shows_its_source_beside_each_field(client, users, kingsoft):
    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    client.force_login(users["translator"])
    html = client.get(change_url(draft)).content.decode()

    title_row = field_row(html, "source_title")
    assert 'name="title"' in title_row  # the field and its source on one line
    assert kingsoft.title.replace("'", "&#x27;") in title_row
    assert 'name="standfirst"' in field_row(html, "source_standfirst")
    body_row = field_row(html, "source_body")
    assert 'name="body"' in body_row and 'class="source-blocks"' in body_row
    assert body_row.count('<li class="source-block same" data-block>') >= 3
    assert "Suggested:" in field_row(html, "slug_suggestion")
    assert "admin/translation-workspace.js" in html

    # An original has no source to show.
    client.force_login(users["editor"])
    original = client.get(change_url(kingsoft)).content.decode()
    assert "field-source_title" not in original and 'name="title"' in original


def test_an_outdated_translation_marks_what_changed_in_the_source(client, users, kingsoft):
    draft = kingsoft.versions().get(language="nl")
    edit(kingsoft, users["editor"], body=kingsoft.body + "<p>Kingsoft confirmed it.</p>")
    client.force_login(users["editor"])
    body_row = field_row(client.get(change_url(draft)).content.decode(), "source_body")
    assert "changed since your last sync" in body_row
    assert '<li class="source-block added" data-block>' in body_row
    assert "Kingsoft confirmed it." in body_row


def test_the_workspace_costs_two_queries_whatever_the_archive(
    users, kingsoft, django_assert_num_queries
):
    from articles.translation import carries_copied_slug, source_workspace, suggested_slug

    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    draft = Article.objects.get(pk=draft.pk)
    draft.title = "Lei Jun ayrılıyor"
    # The source row (for all three panes), and the slugs that the suggestion must avoid
    # (a bounded prefix look-up on the language-and-slug unique index).
    with django_assert_num_queries(2):
        source_workspace(draft)
        suggested_slug(draft)
        carries_copied_slug(draft)


def test_a_translator_cannot_mark_another_translators_translation_synced(client, users):
    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    source = outdated.translation_of
    url = reverse("admin:articles_article_mark_synced", args=[outdated.pk])
    client.force_login(staff_user("translator2", "Translator"))
    # Neither the source's panel nor the page offers the button to someone else...
    panel = client.get(change_url(source)).content.decode()
    assert "What changed" in panel and "Mark synced" not in panel
    assert 'value="Mark synced' not in client.get(url).content.decode()  # no button
    # ... and a forged POST is refused with a message, changing nothing.
    response = client.post(url, {"return_to": source.pk}, follow=True)
    assert "only its translator or an editor may" in response.content.decode()
    outdated.refresh_from_db()
    assert translation_state(outdated) == OUTDATED
    # Its own translator may, once the translation's words have changed since the source's.
    edit(outdated, users["translator"], body=outdated.body + "<p>Meer.</p>")
    client.force_login(users["translator"])
    assert "Mark synced" in client.get(change_url(source)).content.decode()
    client.post(url, {"return_to": source.pk})
    outdated.refresh_from_db()
    assert translation_state(outdated) == UP_TO_DATE


@pytest.mark.parametrize("assignee", ["abc", "²", "1; DROP TABLE", "9" * 40, "-1"])
def test_a_garbled_assignee_is_a_message_not_a_500(client, users, kingsoft, assignee):
    url = reverse("admin:articles_article_translate", args=[kingsoft.pk, "tr"])
    client.force_login(users["editor"])
    response = client.post(url, {"translation_assignee": assignee}, follow=True)
    assert response.status_code == 200
    assert "That person cannot be given translations." in response.content.decode()
    assert not kingsoft.versions().filter(language="tr").exists()
