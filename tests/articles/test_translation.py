"""Translation workflow: states through real edits, the diff, the state annotations.

The admin screens are tested in tests/articles/desk/test_translation_admin.py."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from reversion.models import Version

from articles import workflow
from articles.models import Article
from articles.translation import (
    TranslationState,
    mark_synced,
    missing_a_language,
    source_changes,
    start_translation,
    take_sync_baseline,
    translation_state,
    translations_panel,
    with_translation_state,
)
from tests.editorial import make_draft, staff_user

pytestmark = pytest.mark.django_db

MISSING = TranslationState.MISSING
IN_PROGRESS = TranslationState.IN_PROGRESS
UP_TO_DATE = TranslationState.UP_TO_DATE
OUTDATED = TranslationState.OUTDATED
ORIGINAL = TranslationState.ORIGINAL

WITH_GERMAN = [("en", "English"), ("nl", "Nederlands"), ("tr", "Türkçe"), ("de", "Deutsch")]


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

    # Nothing of the translation changed since the source did: not in sync yet.
    with pytest.raises(PermissionDenied, match="own words have changed"):
        mark_synced(draft, user=translator)
    assert state_in(kingsoft, "tr") == OUTDATED

    edit(draft, editor, body=draft.body.replace("Lei Jun,", "Lei Jun (雷军),"))
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


# -- the translator's workspace --------------------------------------------------------


def test_workspace_shows_the_source_as_it_is_while_up_to_date(kingsoft, users):
    from articles.translation import source_workspace

    draft = kingsoft.versions().get(language="nl")
    workspace = source_workspace(draft)
    assert workspace.source == kingsoft and not workspace.outdated
    assert workspace.panes["title"].html == kingsoft.title.replace("'", "&#x27;")
    body = workspace.panes["body"]
    assert not body.changed and body.blocks
    assert {block.state for block in body.blocks} == {"same"}
    # The pane shows the whole body, block after block.
    assert body.html == "".join(block.html for block in body.blocks)
    assert "Kingsoft" in body.html
    assert len(body.blocks) == kingsoft.body.count("<p>") + kingsoft.body.count("<h2>") + (
        kingsoft.body.count("<ul>") + kingsoft.body.count("<ol>")
    )
    assert source_workspace(kingsoft) is None  # an original has no source


def test_workspace_marks_what_changed_in_the_source_since_the_last_sync(kingsoft, users):
    from articles.translation import source_workspace

    draft = kingsoft.versions().get(language="nl")
    edit(
        kingsoft,
        users["editor"],
        title=kingsoft.title + " (updated)",
        body=kingsoft.body + "<p>Kingsoft confirmed it on <b>Friday</b>.</p>",
    )
    draft.refresh_from_db()
    workspace = source_workspace(draft)
    assert workspace.outdated
    assert (
        workspace.panes["title"].changed
        and "<ins> (updated)</ins>" in workspace.panes["title"].html
    )
    assert not workspace.panes["standfirst"].changed
    body = workspace.panes["body"]
    assert body.changed
    assert body.blocks[-1].state == "added" and "Kingsoft confirmed it" in body.blocks[-1].html
    assert "Kingsoft confirmed it" in body.html
    assert all(block.state == "same" for block in body.blocks[:-1])

    mark_synced(draft, user=users["editor"])  # (a translator only after updating it)
    assert not source_workspace(draft).outdated


def test_slug_is_suggested_from_the_translated_title_until_published(kingsoft, users):
    from articles.translation import carries_copied_slug, suggested_slug

    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    assert carries_copied_slug(draft)
    draft.title = "Lei Jun'un Kingsoft'taki görevi sona erdi"  # ı and ö folded, not dropped
    assert suggested_slug(draft) == "lei-junun-kingsofttaki-gorevi-sona-erdi"
    assert not carries_copied_slug(kingsoft.versions().get(language="nl"))  # its own slug
    # Unique in its language.
    make_draft(users["writer"], language="tr", slug="lei-jun-ayriliyor", title="Başka")
    draft.title = "Lei Jun ayrılıyor"
    assert suggested_slug(draft) == "lei-jun-ayriliyor-2"
    # A published translation keeps its address.
    live = Article.objects.filter(translation_of__isnull=False, status="published").first()
    live.title = "Iets heel anders"
    assert suggested_slug(live) is None


def test_only_the_translator_of_a_translation_or_an_editor_marks_it_synced(users):
    outdated = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    assert outdated.owner == users["translator"]
    colleague = staff_user("translator2", "Translator")
    with pytest.raises(PermissionDenied, match="only its translator or an editor"):
        mark_synced(outdated, user=colleague)
    assert translation_state(outdated) == OUTDATED
    # Its own translator, once the translation's words have changed since the source's.
    edit(outdated, users["translator"], body=outdated.body + "<p>Meer.</p>")
    mark_synced(outdated, user=users["translator"])
    assert translation_state(outdated) == UP_TO_DATE
    edit(
        outdated.translation_of, users["editor"], body=outdated.translation_of.body + "<p>More.</p>"
    )
    outdated.refresh_from_db()
    assert translation_state(outdated) == OUTDATED
    mark_synced(outdated, user=users["editor"])
    assert translation_state(outdated) == UP_TO_DATE


def test_a_translation_whose_slug_is_taken_in_its_language_gets_the_language_added(kingsoft, users):
    # A Turkish article already uses the source's slug: the draft must not collide with it.
    squatter = make_draft(users["writer"], language="tr", title="Başka", slug=kingsoft.slug)
    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    assert draft.slug == f"{kingsoft.slug}-tr"
    assert Article.objects.get(pk=squatter.pk).slug == kingsoft.slug
    # Without the collision the source's slug is kept as it is.
    with override_settings(LANGUAGES=WITH_GERMAN):
        other = start_translation(kingsoft, language="de", user=users["translator"])
    assert other.slug == kingsoft.slug


# -- found by mutation testing (docs/testing.md) ------------------------------------------


def test_a_translation_never_synced_is_in_progress_in_the_annotation_too(users):
    source = make_draft(users["writer"])
    draft = make_draft(users["writer"], language="nl", translation_of=source)
    assert draft.source_hash == ""  # linked, never synced: no baseline to be outdated against
    annotated = with_translation_state(Article.objects.filter(pk=draft.pk)).get()
    assert annotated.translation_state == translation_state(draft) == IN_PROGRESS
    assert source_changes(draft) is None  # nothing to compare with
    unlinked = make_draft(users["writer"], language="tr")
    unlinked.source_snapshot = {"title": "A snapshot left from an old link"}
    assert source_changes(unlinked) is None


def test_a_version_in_a_language_no_longer_offered_does_not_count(users):
    english = make_draft(users["writer"])
    make_draft(users["writer"], language="tr", translation_of=english)
    turkish_only = make_draft(users["writer"], language="tr")
    with override_settings(LANGUAGES=[("en", "English"), ("nl", "Nederlands")]):
        # Turkish was dropped: the story still lacks Dutch.
        assert english in set(missing_a_language(Article.objects.filter(pk=english.pk)))
    with override_settings(LANGUAGES=[("en", "English")]):
        # A story left with no version in any offered language lacks them all.
        assert list(missing_a_language(Article.objects.filter(pk=turkish_only.pk))) == [
            turkish_only
        ]


def test_workspace_shows_an_empty_source_field_as_empty(users):
    from articles.translation import source_workspace

    source = make_draft(users["writer"], standfirst="")
    draft = make_draft(users["writer"], language="nl", translation_of=source)
    assert source_workspace(draft).panes["standfirst"].html == ""


def test_workspace_shows_a_field_the_last_sync_lacked_as_wholly_added(users):
    from articles.translation import source_workspace

    source = make_draft(users["writer"], standfirst="", body="")
    draft = make_draft(users["writer"], language="nl", translation_of=source)
    take_sync_baseline(draft)
    draft.save()
    edit(source, users["editor"], standfirst="Words the source gained.", body="<p>New.</p>")
    draft.refresh_from_db()
    panes = source_workspace(draft).panes
    assert panes["standfirst"].changed and "<del>" not in panes["standfirst"].html
    assert "<ins>Words the source gained.</ins>" in panes["standfirst"].html
    assert panes["body"].changed
    assert [block.state for block in panes["body"].blocks] == ["added"]


def test_workspace_shows_every_word_of_a_long_changed_field(users):
    from articles.translation import source_workspace

    words = " ".join(f"word{n}" for n in range(40))
    source = make_draft(users["writer"], standfirst=words + " before.")
    draft = make_draft(users["writer"], language="nl", translation_of=source)
    take_sync_baseline(draft)
    draft.save()
    edit(source, users["editor"], standfirst=words + " after.")
    draft.refresh_from_db()
    pane = source_workspace(draft).panes["standfirst"]
    assert pane.changed and pane.html.endswith("<del> before</del><ins> after</ins>.")
    # The translator needs every word, not the change with a few words around it.
    assert pane.html.startswith(words + "<del>")


def test_linking_by_hand_starts_in_sync_and_unlinking_forgets_the_baseline(users):
    source = make_draft(users["writer"])
    article = make_draft(users["writer"], language="nl")
    article.translation_of = source
    take_sync_baseline(article)
    article.save()
    article.refresh_from_db()
    assert article.source_hash == source.content_hash
    assert article.source_snapshot == {
        "title": source.title,
        "standfirst": source.standfirst,
        "body": source.body,
    }
    assert article.synced_at is not None
    assert translation_state(article) == IN_PROGRESS
    edit(source, users["editor"], title=source.title + ", updated")
    article.refresh_from_db()
    assert translation_state(article) == OUTDATED

    article.translation_of = None
    take_sync_baseline(article)
    assert (article.source_hash, article.source_snapshot, article.synced_at) == ("", {}, None)


def test_a_slug_suggested_from_a_long_title_is_cut_cleanly(users):
    from articles.translation import suggested_slug

    # The slug of this title has a hyphen as its 190th character, where it is cut.
    draft = make_draft(users["writer"], language="nl", title="a" * 189 + " bc")
    assert suggested_slug(draft) == "a" * 189


def test_no_slug_is_suggested_from_a_title_with_no_letters(users):
    from articles.translation import suggested_slug

    draft = make_draft(users["writer"], language="nl", title="?!")
    assert suggested_slug(draft) is None


def test_the_suggestion_ignores_the_translation_itself_and_other_languages(users):
    from articles.translation import suggested_slug

    make_draft(users["writer"], language="nl", slug="kingsoft-nieuws", title="Ander")
    # Already on the first free slug for its title: nothing to suggest.
    draft = make_draft(users["writer"], language="nl", slug="kingsoft-nieuws-2", title="X")
    draft.title = "Kingsoft nieuws"
    assert suggested_slug(draft) is None
    # Another language's article with that slug does not take it here.
    make_draft(users["writer"], language="tr", slug="kingsoft-haberleri", title="Başka")
    draft.title = "Kingsoft haberleri"
    assert suggested_slug(draft) == "kingsoft-haberleri"


def test_only_a_translation_carries_a_copied_slug_even_a_long_one(users):
    from articles.translation import carries_copied_slug

    original = make_draft(users["writer"], slug="k" * 198)
    assert not carries_copied_slug(original)
    # The source's slug is taken in Dutch, so the copy gets the language added, cut to fit.
    make_draft(users["writer"], language="nl", slug="k" * 198)
    draft = start_translation(original, language="nl", user=users["editor"])
    assert draft.slug == "k" * 198 + "-n"
    assert carries_copied_slug(draft)


def test_no_slug_is_suggested_when_every_numbered_one_is_taken(users):
    from articles.translation import suggested_slug

    for slug in ["bezet", *(f"bezet-{n}" for n in range(2, 21))]:
        make_draft(users["writer"], language="nl", slug=slug, title="Ander")
    draft = make_draft(users["writer"], language="nl", title="Bezet")
    assert suggested_slug(draft) is None  # the editor picks one; no error


def test_a_translation_whose_slug_is_taken_twice_gets_a_number(kingsoft, users):
    make_draft(users["writer"], language="tr", title="Bir", slug=kingsoft.slug)
    make_draft(users["writer"], language="tr", title="İki", slug=f"{kingsoft.slug}-tr")
    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    assert draft.slug == f"{kingsoft.slug}-tr-2"


def test_a_translation_of_a_full_length_slug_that_is_taken_still_starts(users):
    """The language cannot be added to a 200-character slug, so a number ends it instead."""
    original = make_draft(users["writer"], slug="k" * 200)
    make_draft(users["writer"], language="nl", slug="k" * 200)
    draft = start_translation(original, language="nl", user=users["editor"])
    assert draft.slug == "k" * 197 + "-2"
    assert len(draft.slug) <= Article._meta.get_field("slug").max_length


def test_a_slug_of_the_translator_s_own_that_starts_like_a_copy_is_not_one(kingsoft, users):
    from articles.translation import carries_copied_slug

    make_draft(users["writer"], language="tr", title="Bir", slug=kingsoft.slug)
    draft = start_translation(kingsoft, language="tr", user=users["translator"])
    assert draft.slug == f"{kingsoft.slug}-tr" and carries_copied_slug(draft)
    for own, copied in [("-trade-talks", False), ("-2", True), ("-ab12cd34", True), ("-x", False)]:
        draft.slug = f"{kingsoft.slug}-tr{own}"
        assert carries_copied_slug(draft) is copied, draft.slug
