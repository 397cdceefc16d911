"""Translation workflow: states through real edits, the diff, the filter, the admin screens."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import Article
from articles.translation import (
    TranslationState,
    mark_synced,
    missing_a_language,
    source_changes,
    start_translation,
    translation_state,
    translations_panel,
    with_translation_state,
)

pytestmark = pytest.mark.django_db

MISSING = TranslationState.MISSING
IN_PROGRESS = TranslationState.IN_PROGRESS
UP_TO_DATE = TranslationState.UP_TO_DATE
OUTDATED = TranslationState.OUTDATED
ORIGINAL = TranslationState.ORIGINAL

WITH_GERMAN = [("en", "English"), ("nl", "Nederlands"), ("tr", "Türkçe"), ("de", "Deutsch")]


@pytest.fixture
def kingsoft():
    """English original with a Dutch draft translation and no Turkish version."""
    return Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")


def state_in(article, language):
    return {v.language: v.state for v in translations_panel(article)}[language]


def edit(article, user, **fields):
    """Save an edit the way an editor does: one revision, the whole article."""
    article.refresh_from_db()
    with reversion.create_revision():
        for name, value in fields.items():
            setattr(article, name, value)
        article.full_clean()
        article.save()
        reversion.set_user(user)
    return article


def publish(article, *, writer, editor):
    workflow.submit_for_review(article, user=writer)
    workflow.approve(article, user=editor)
    workflow.publish(article, user=editor)


# -- states through the operations ----------


def test_state_goes_missing_in_progress_up_to_date_outdated_up_to_date(kingsoft, users):
    editor, translator = users["editor"], users["translator"]
    assert state_in(kingsoft, "tr") == MISSING

    draft = start_translation(kingsoft, language="tr", user=editor, assignee=translator)
    assert state_in(kingsoft, "tr") == IN_PROGRESS
    assert draft.owner == translator and draft.status == Article.Status.DRAFT

    edit(
        draft,
        translator,
        title="Lei Jun, Kingsoft'taki görevinden ayrıldı",
        body="<p>Lei Jun, Kingsoft Corporation'daki icra direktörlüğünden istifa etti.</p>",
    )
    assert state_in(kingsoft, "tr") == IN_PROGRESS

    publish(draft, writer=translator, editor=editor)
    assert state_in(kingsoft, "tr") == UP_TO_DATE

    edit(kingsoft, editor, body=kingsoft.body.replace("Zou Tao", "Zou Tao (邹涛)"))
    assert state_in(kingsoft, "tr") == OUTDATED
    draft.refresh_from_db()
    assert translation_state(draft) == OUTDATED

    mark_synced(draft, user=translator)
    assert state_in(kingsoft, "tr") == UP_TO_DATE


def test_metadata_only_and_unchanged_saves_do_not_outdate(users):
    editor = users["editor"]
    source = Article.objects.get(slug="manu-kumar-jain-verlaat-xiaomi")
    assert state_in(source, "en") == UP_TO_DATE

    edit(source, editor)  # saved, nothing changed
    edit(source, editor, dateline="Bangalore", source="Instagram", byline_note="Redactie")
    source.sections.clear()
    assert state_in(source, "en") == UP_TO_DATE

    edit(source, editor, standfirst=source.standfirst + " Hij is trots op zijn team.")
    assert state_in(source, "en") == OUTDATED


def test_state_annotation_agrees_with_translation_state_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        annotated = list(with_translation_state(Article.objects.select_related("translation_of")))
    states = {a.translation_state for a in annotated}
    assert {ORIGINAL, IN_PROGRESS, UP_TO_DATE, OUTDATED} <= states
    for article in annotated:
        assert article.translation_state == translation_state(article), article


def test_panel_is_one_query_however_many_languages(kingsoft, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(translations_panel(kingsoft)) == 3
    many = [*WITH_GERMAN, ("fr", "Français"), ("es", "Español"), ("it", "Italiano")]
    with override_settings(LANGUAGES=many), django_assert_num_queries(1):
        panel = translations_panel(kingsoft)
    assert [v.language for v in panel] == [code for code, _ in many]
    assert {v.state for v in panel[3:]} == {MISSING}


@override_settings(LANGUAGES=WITH_GERMAN)
def test_an_added_language_is_missing_everywhere(users):
    articles = list(Article.objects.all())
    for article in articles:
        assert state_in(article, "de") == MISSING, article
    assert set(missing_a_language(Article.objects.all())) == set(articles)
    draft = start_translation(articles[0], language="de", user=users["editor"])
    assert state_in(articles[0], "de") == IN_PROGRESS
    assert draft.get_language_display() == "Deutsch"


def test_without_the_added_language_complete_stories_are_not_missing_one():
    complete = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")  # en, tr, nl
    missing = set(missing_a_language(Article.objects.all()))
    assert complete not in missing
    assert Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director") in missing


# -- start_translation and mark_synced -----------------------------------------------------------


def test_a_translation_starts_as_a_copy_of_its_source(kingsoft, users):
    letter = Article.objects.get(slug="lei-jun-open-letter-xiaomi-world-number-two")
    kingsoft.related.add(letter)
    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    assert (draft.title, draft.standfirst, draft.body) == (
        kingsoft.title,
        kingsoft.standfirst,
        kingsoft.body,
    )
    assert draft.translation_of == kingsoft and draft.translation_key == kingsoft.translation_key
    assert draft.lead_image == kingsoft.lead_image and draft.owner == users["translator"]
    for relation in ("people", "companies", "quotes", "sections", "authors", "related"):
        before = set(getattr(kingsoft, relation).all())
        assert set(getattr(draft, relation).all()) == before, relation
    assert set(draft.storylines.all()) == set(kingsoft.storylines.all())
    assert draft.source_snapshot["body"] == kingsoft.body
    versions = Version.objects.get_for_object(draft)
    assert versions.count() == 1
    assert "Started Türkçe translation" in versions[0].revision.comment


def test_start_translation_refuses_what_makes_no_sense(kingsoft, users):
    editor = users["editor"]
    with pytest.raises(ValidationError, match="another language"):
        start_translation(kingsoft, language="en", user=editor)
    with pytest.raises(ValidationError, match="already has a Nederlands version"):
        start_translation(kingsoft, language="nl", user=editor)
    with pytest.raises(ValidationError, match="not one of the newsroom's languages"):
        start_translation(kingsoft, language="de", user=editor)
    assert kingsoft.versions().count() == 2


def test_only_editors_give_translations_to_someone_else(kingsoft, users):
    with pytest.raises(PermissionDenied, match="Only editors"):
        start_translation(
            kingsoft, language="tr", user=users["writer"], assignee=users["translator"]
        )
    with pytest.raises(ValidationError, match="cannot translate"):
        start_translation(kingsoft, language="tr", user=users["editor"], assignee=users["writer"])
    assert not kingsoft.versions().filter(language="tr").exists()
    own = start_translation(kingsoft, language="tr", user=users["translator"])
    assert own.owner == users["translator"]


def test_mark_synced_needs_a_translation_and_the_right(kingsoft, users):
    with pytest.raises(ValidationError, match="not a translation"):
        mark_synced(kingsoft, user=users["editor"])
    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    with pytest.raises(PermissionDenied):
        mark_synced(outdated, user=users["writer"])
    assert translation_state(outdated) == OUTDATED


# -- what changed ----------


def test_the_diff_shows_the_demo_correction_word_by_word():
    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    changes = source_changes(outdated)
    assert [c.name for c in changes] == ["body"]
    diff = str(changes[0].inline)
    assert "Zeng Xuezhong<ins>, who took over the Wuhan roles,</ins>" in diff
    assert "<del>, and</del><ins>. He</ins>" in diff
    assert "<p>" not in diff  # compared as text, not markup
    assert "…" in diff  # long unchanged stretches are cut


def test_the_diff_escapes_what_the_source_says(kingsoft, users):
    draft = start_translation(kingsoft, language="tr", user=users["editor"])
    edit(kingsoft, users["editor"], title="Lei Jun <script>alert(1)</script> & Kingsoft")
    draft.refresh_from_db()
    (change,) = source_changes(draft)
    assert change.name == "title"
    assert "<script>" not in change.inline
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change.inline
    assert "&amp;" in change.inline


def test_a_markup_only_change_outdates_but_has_no_word_changes(kingsoft, users):
    draft = start_translation(kingsoft, language="tr", user=users["editor"])
    edit(
        kingsoft, users["editor"], body=kingsoft.body.replace("Zou Tao", "<strong>Zou Tao</strong>")
    )
    draft.refresh_from_db()
    assert translation_state(draft) == OUTDATED
    assert source_changes(draft) == []


# -- the admin ----------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """The admin change form for `article` as it stands, with `overrides` applied."""
    entries = list(article.storyline_entries.all())
    published = timezone.localtime(article.published_at) if article.published_at else None
    data = {
        "language": article.language,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "published_at_0": f"{published:%Y-%m-%d}" if published else "",
        "published_at_1": f"{published:%H:%M:%S}" if published else "",
        "owner": article.owner_id or "",
        "authors": [p.pk for p in article.authors.all()],
        "byline_note": article.byline_note,
        "source": article.source,
        "source_url": article.source_url,
        "dateline": article.dateline,
        "lead_image": article.lead_image_id or "",
        "people": [p.pk for p in article.people.all()],
        "companies": [c.pk for c in article.companies.all()],
        "quotes": [q.pk for q in article.quotes.all()],
        "sections": [s.pk for s in article.sections.all()],
        "related": [r.pk for r in article.related.all()],
        "translation_of": article.translation_of_id or "",
        "storyline_entries-TOTAL_FORMS": str(len(entries)),
        "storyline_entries-INITIAL_FORMS": str(len(entries)),
        "storyline_entries-MIN_NUM_FORMS": "0",
        "storyline_entries-MAX_NUM_FORMS": "1000",
        "_continue": "Save and continue editing",
        # The version this form was loaded at (no-lost-edits check, newsroom/concurrency.py).
        "edit_version": article.edit_version,
    }
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

    client.force_login(translator)
    response = client.post(
        reverse("admin:articles_article_mark_synced", args=[draft.pk]), {"return_to": draft.pk}
    )
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


def test_each_filter_choice_answers(client, users):
    client.force_login(users["admin"])
    url = reverse("admin:articles_article_changelist")
    for state in (ORIGINAL, IN_PROGRESS, UP_TO_DATE, OUTDATED, MISSING):
        response = client.get(url, {"translation_state": state})
        assert response.status_code == 200
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
    assert "Mark synced" in page
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
