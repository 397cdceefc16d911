"""History you can read: word-level comparison, revert as a new version, recovery."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from articles import history, workflow
from articles.mentions import accept_mentions
from articles.models import Article, Correction, StorylineEntry
from people.models import Person
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db


def save_version(article, user, comment, **changes):
    with reversion.create_revision():
        people = changes.pop("people", None)
        for field, value in changes.items():
            setattr(article, field, value)
        article.save()
        if people is not None:
            article.people.set(people)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).first()


@pytest.fixture
def story(users):
    return Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")


def test_compare_two_versions_highlights_title_body_and_mentions(story, users):
    first = save_version(story, users["editor"], "v1", title="Lei Jun quits to build cars")
    second = save_version(
        story,
        users["editor"],
        "v2",
        title="Lei Jun steps back to build cars",
        body=story.body + "<p>Extra paragraph about Wuhan.</p>",
        people=[Person.objects.get(slug="jack-ma")],
    )
    changes = {c.name: c for c in history.compare_versions(first, second)}
    assert changes["title"].changed
    assert "<del> quits</del>" in changes["title"].old
    assert "<ins> steps back</ins>" in changes["title"].new
    assert changes["body"].changed
    assert "Extra paragraph about Wuhan.</ins>" in changes["body"].new
    assert "<del>" not in changes["body"].old
    assert not changes["standfirst"].changed
    assert changes["people"].changed
    assert "<ins>Jack Ma" in changes["people"].new
    assert "<del>Lei Jun" in changes["people"].old


def test_comparison_costs_a_fixed_number_of_queries(story, users, django_assert_num_queries):
    first = save_version(story, users["editor"], "v1", title="One")
    second = save_version(story, users["editor"], "v2", title="Two")
    history.compare_versions(first, second)  # warms the content-type cache
    first, second = Version.objects.get(pk=first.pk), Version.objects.get(pk=second.pk)
    with django_assert_num_queries(3):  # names of people, companies, quotes
        history.compare_versions(first, second)


def test_revert_restores_words_and_links_but_keeps_the_workflow_state(story, users):
    original = Version.objects.get_for_object(story).first()
    original_people = set(story.people.values_list("pk", flat=True))
    original_threads = set(story.storyline_entries.values_list("storyline_id", flat=True))
    live_since, status = story.published_at, story.status
    save_version(story, users["editor"], "rewrite", title="Rewritten", people=[])
    story.storyline_entries.all().delete()
    count = Version.objects.get_for_object(story).count()
    stamp = Article.objects.get(pk=story.pk).edit_version

    reverted = history.revert_to_version(story, version=original, user=users["editor"])

    assert reverted.title == original.field_dict["title"]
    assert set(reverted.people.values_list("pk", flat=True)) == original_people
    assert set(reverted.storyline_entries.values_list("storyline_id", flat=True)) == (
        original_threads
    )
    assert (reverted.status, reverted.published_at) == (status, live_since)
    assert reverted.edit_version == stamp + 1  # open forms become stale; never goes back
    versions = Version.objects.get_for_object(story)
    assert versions.count() == count + 1
    assert versions.first().revision.get_comment().startswith("Reverted to the version of")
    assert versions.first().revision.user == users["editor"]
    assert story.events.first().transition == "revert"


def test_revert_of_a_scheduled_article_keeps_the_mentions_accepted_since(users):
    article = bring_to(make_draft(users["writer"], title="Before"), "scheduled", by=users["admin"])
    with reversion.create_revision():
        article.save()
    before = Version.objects.get_for_object(article).first()
    assert before.field_dict["people"] == []
    save_version(article, users["editor"], "new headline", title="After")
    lei_jun = Person.objects.get(slug="lei-jun")
    accept_mentions(article, user=users["editor"], people=[lei_jun])

    reverted = history.revert_to_version(article, version=before, user=users["editor"])

    assert reverted.title == "Before" and reverted.is_scheduled
    assert list(reverted.people.all()) == [lei_jun]
    # The revert page says so: the mention is not among what would change.
    changes = history.compare_field_dicts(
        history.current_field_dict(reverted), history.reverted_field_dict(reverted, before)
    )
    assert not {c.name: c for c in changes}["people"].changed


def test_reverting_a_draft_to_its_published_text_does_not_publish_it(users):
    article = make_draft(users["writer"], title="Draft title")
    with reversion.create_revision():
        article.save()
    first = Version.objects.get_for_object(article).first()
    bring_to(article, "published", by=users["admin"])
    workflow.unpublish(article, user=users["editor"])
    history.revert_to_version(article, version=first, user=users["editor"])
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED


def test_only_someone_who_may_edit_can_revert(story, users):
    version = Version.objects.get_for_object(story).last()
    with pytest.raises(PermissionDenied):
        history.revert_to_version(story, version=version, user=users["writer"])


def test_a_deleted_article_is_recovered_as_a_draft(story, users):
    pk, title = story.pk, story.title
    people = set(story.people.values_list("pk", flat=True))
    with reversion.create_revision():
        story.delete()
    deleted = history.deleted_articles().get(object_id=str(pk))

    with pytest.raises(PermissionDenied):
        history.recover_article(deleted, user=users["writer"])
    recovered = history.recover_article(deleted, user=users["editor"])

    assert (recovered.pk, recovered.title) == (pk, title)
    assert recovered.status == Article.Status.DRAFT
    assert set(recovered.people.values_list("pk", flat=True)) == people
    assert StorylineEntry.objects.filter(article_id=pk).exists()
    assert recovered.events.first().transition == "recover"
    assert recovered.events.first().from_status == "published"


# Through the admin -------------------------------------------------------------------


def test_history_page_lets_you_pick_two_versions(client, story, users):
    save_version(story, users["editor"], "Tightened the headline", title="Shorter")
    client.force_login(users["editor"])
    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    assert "Compare selected versions" in html and "Tightened the headline" in html
    assert html.count('name="old"') == Version.objects.get_for_object(story).count()


def test_compare_page_shows_changes_side_by_side(client, story, users):
    old = save_version(story, users["editor"], "v1", title="Xiaomi boss quits")
    new = save_version(story, users["editor"], "v2", title="Xiaomi boss resigns")
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_compare", args=[story.pk])
    html = client.get(url, {"old": old.pk, "new": new.pk}).content.decode()
    assert "<del> quits</del>" in html and "<ins> resigns</ins>" in html
    # Any two, in either order, and nonsense falls back to the latest two.
    assert "<del> quits</del>" in client.get(url, {"old": new.pk, "new": old.pk}).content.decode()
    assert client.get(url, {"old": "x", "new": "999999"}).status_code == 200


def test_revert_through_the_admin_asks_first_then_makes_a_new_version(client, story, users):
    old = save_version(story, users["editor"], "v1", title="The old headline")
    save_version(story, users["editor"], "v2", title="The new headline")
    url = reverse("admin:articles_article_revision", args=[story.pk, old.pk])
    client.force_login(users["editor"])
    page = client.get(url)
    assert page.status_code == 200 and "Revert to this version" in page.content.decode()
    story.refresh_from_db()
    assert story.title == "The new headline"  # looking changes nothing

    response = client.post(url, {"comment": "Back to the agreed headline"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "The old headline" and story.is_live
    latest = Version.objects.get_for_object(story).first()
    assert "Back to the agreed headline" in latest.revision.get_comment()


def test_writers_cannot_revert_through_the_admin(client, story, users):
    old = Version.objects.get_for_object(story).last()
    client.force_login(users["writer"])
    url = reverse("admin:articles_article_revision", args=[story.pk, old.pk])
    assert client.post(url).status_code == 403


def test_recover_is_reachable_from_the_changelist_and_works(client, story, users):
    pk = story.pk
    with reversion.create_revision():
        story.delete()
    client.force_login(users["editor"])
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    recover_list = reverse("admin:articles_article_recoverlist")
    assert recover_list in changelist
    listing = client.get(recover_list).content.decode()
    version = history.deleted_articles().get(object_id=str(pk))
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    assert recover_url in listing
    assert "as a draft" in client.get(recover_url).content.decode()
    assert not Article.objects.filter(pk=pk).exists()
    assert client.post(recover_url).status_code == 302
    assert Article.objects.get(pk=pk).status == Article.Status.DRAFT


# Which two versions the compare page opens on ---------------------------------------------


def versions_of(article):
    return list(history.article_versions(article))


def test_a_draft_never_submitted_compares_its_last_two_versions(users):
    article = make_draft(users["writer"])
    save_version(article, users["writer"], "v1", title="One")
    save_version(article, users["writer"], "v2", title="Two")
    versions = versions_of(article)
    chosen = history.comparison(article, versions)
    assert chosen.key == "previous"
    assert (chosen.old, chosen.new) == (versions[1], versions[0])


def test_a_first_submission_compares_everything_since_the_article_was_started(users):
    article = make_draft(users["writer"])
    save_version(article, users["writer"], "v1", title="First words")
    save_version(article, users["writer"], "v2", title="Better words")
    workflow.submit_for_review(article, user=users["writer"])
    versions = versions_of(article)
    chosen = history.comparison(article, versions)
    assert chosen.key == "submitted"
    assert chosen.old == versions[-1] and chosen.new == versions[0]
    assert "First submission" in chosen.description


def test_edits_after_a_submission_are_compared_with_what_was_submitted(users):
    article = bring_to(make_draft(users["writer"]), "changes_requested", by=users["admin"])
    save_version(article, users["writer"], "fix", title="Fixed headline")
    versions = versions_of(article)
    chosen = history.comparison(article, versions)
    assert chosen.key == "submitted" and "last submitted" in chosen.description
    assert chosen.old.field_dict["title"] != "Fixed headline"
    assert chosen.new.field_dict["title"] == "Fixed headline"
    assert history.version_at(versions, article.events.get(transition="submit").created_at) == (
        chosen.old
    )


def test_a_published_article_compares_against_the_version_that_went_live(users):
    article = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    versions = versions_of(article)
    chosen = history.comparison(article, versions)
    assert chosen.key == "live" and "Unchanged since it was published" in chosen.description
    assert history.same_content(chosen.old, chosen.new)
    save_version(article, users["editor"], "correction", title="Corrected headline")
    chosen = history.comparison(article, versions_of(article))
    assert chosen.key == "live" and not history.same_content(chosen.old, chosen.new)
    # Asked for by name; "live" is only for published articles.
    assert history.comparison(article, versions_of(article), "previous").key == "previous"
    draft = make_draft(users["writer"])
    save_version(draft, users["writer"], "v1", title="x")
    assert history.comparison(draft, versions_of(draft), "live").key == "previous"


def test_the_body_comparison_shows_formatting_changes(story, users):
    first = save_version(story, users["editor"], "v1", body="<p>Lei Jun founded Xiaomi.</p>")
    second = save_version(
        story, users["editor"], "v2", body="<h2>Founder</h2><p><em>Lei Jun</em> founded Xiaomi.</p>"
    )
    body = {c.name: c for c in history.compare_versions(first, second)}["body"]
    assert body.changed
    assert "italic added" in body.rich and "heading 2 added" in body.rich


# Deleting an article with a history, and recovering it whole ----------------------------


def test_an_article_with_history_is_deleted_and_recovered_whole(client, story, users):
    pk = story.pk
    Correction.objects.create(
        article=story, note="The date was wrong.", corrected_by=users["editor"]
    )
    story.related_from.add(
        Article.objects.exclude(pk=pk).exclude(translation_key=story.translation_key).first()
    )
    before = {
        "events": list(story.events.values_list("transition", "from_status", "to_status")),
        "translations": set(story.translations.values_list("pk", flat=True)),
        "quotes": set(story.quotes.values_list("pk", flat=True)),
        "threads": set(story.storyline_entries.values_list("storyline_id", "position")),
        "positions": set(story.positions.values_list("pk", flat=True)),
        "related_from": set(story.related_from.values_list("pk", flat=True)),
        "people": set(story.people.values_list("pk", flat=True)),
    }
    assert before["events"] and before["translations"] and before["quotes"]
    assert before["threads"] and before["positions"] and before["related_from"]
    public_url = story.get_absolute_url()

    # A writer may not delete; an editor may, though the article has a timeline.
    client.force_login(users["writer"])
    delete_url = reverse("admin:articles_article_delete", args=[pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.force_login(users["editor"])
    page = client.get(delete_url).content.decode()
    assert "permission to delete" not in page and "Yes, I’m sure" in page
    assert "Its translations stay, as versions of the same story" in page
    assert client.post(delete_url, {"post": "yes"}).status_code == 302

    assert not Article.objects.filter(pk=pk).exists()
    assert client.get(public_url).status_code == 404
    translations = Article.objects.filter(pk__in=before["translations"])
    assert translations.count() == len(before["translations"])  # kept, in the same story
    assert {t.translation_key for t in translations} == {story.translation_key}
    assert not translations.filter(translation_of__isnull=False).exists()

    version = history.deleted_articles().get(object_id=str(pk))
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    assert client.post(recover_url).status_code == 302

    recovered = Article.objects.get(pk=pk)
    assert recovered.status == Article.Status.DRAFT
    events = list(recovered.events.order_by("created_at", "pk"))
    assert [(e.transition, e.from_status, e.to_status) for e in events[:-1]] == list(
        reversed(before["events"])
    )
    assert events[-1].transition == "recover"
    assert set(recovered.translations.values_list("pk", flat=True)) == before["translations"]
    assert set(recovered.quotes.values_list("pk", flat=True)) == before["quotes"]
    assert set(recovered.people.values_list("pk", flat=True)) == before["people"]
    assert (
        set(recovered.storyline_entries.values_list("storyline_id", "position"))
        == before["threads"]
    )
    assert set(recovered.positions.values_list("pk", flat=True)) == before["positions"]
    assert set(recovered.related_from.values_list("pk", flat=True)) == before["related_from"]
    assert list(recovered.corrections.values_list("note", flat=True)) == ["The date was wrong."]


def test_deleting_needs_the_editors_permission(users):
    article = make_draft(users["writer"])
    with pytest.raises(PermissionDenied):
        history.delete_article(article, user=users["writer"])
    assert Article.objects.filter(pk=article.pk).exists()
