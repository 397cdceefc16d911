"""Staged changes to live articles (articles/staging.py and the desk's staging_admin):
a writer's edit of their published article waits for an editor; readers, feeds and
search see only the published words until it is published; editors correct directly,
with a public note."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from reversion.models import Version

from articles import staging
from articles.models import Article, Correction, PendingChange
from people.models import Person
from tests.articles.test_concurrency import change_url, form_payload
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db

LIVE_WORDS = "Kingsoft reported steady revenue."
STAGED_WORDS = "Kingsoft reported a sharp fall in revenue."


@pytest.fixture
def live(users):
    """A writer's published article."""
    article = make_draft(
        users["writer"],
        title="Kingsoft results",
        slug="kingsoft-results-staging",
        body=f"<p>{LIVE_WORDS}</p>",
    )
    return bring_to(article, "published", by=users["admin"])


def public_text(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def propose_in_admin(client, article, **changes):
    page = client.get(change_url(article))
    assert page.status_code == 200
    data = form_payload(page)
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_writers_edit_of_a_live_article_waits_for_an_editor(client, users, live):
    reader = client.__class__()
    assert LIVE_WORDS in public_text(reader, live)  # cached now
    feed = reader.get("/feeds/en/rss.xml").content.decode()
    assert "Kingsoft results" in feed
    versions_before = Version.objects.get_for_object(live).count()

    client.force_login(users["writer"])
    page = client.get(change_url(live)).content.decode()
    assert "What you save here is kept as a proposed change" in page
    propose_in_admin(
        client, live, title="Kingsoft results: a sharp fall", body=f"<p>{STAGED_WORDS}</p>"
    )

    live.refresh_from_db()
    assert live.title == "Kingsoft results" and LIVE_WORDS in live.body
    assert Version.objects.get_for_object(live).count() == versions_before
    change = staging.pending_change(live)
    assert change.author == users["writer"] and STAGED_WORDS in change.values["body"]
    # Readers, feeds and search see only the published words.
    assert LIVE_WORDS in public_text(reader, live) and STAGED_WORDS not in public_text(reader, live)
    assert "a sharp fall" not in reader.get("/feeds/en/rss.xml").content.decode()
    search = reader.get("/search/", {"q": "sharp fall revenue"}).content.decode()
    assert "Kingsoft results" not in search
    # The writer's form shows what they proposed, to go on from there.
    again = client.get(change_url(live)).content.decode()
    assert STAGED_WORDS in again and "A change to this live article is waiting" in again

    # The editor sees the change against the live version and publishes it.
    client.force_login(users["editor"])
    review_url = reverse("admin:articles_article_pending", args=[live.pk])
    review = client.get(review_url).content.decode()
    assert re.search(r"<del>[^<]*steady", review) and re.search(r"<ins>[^<]*sharp", review)
    assert "Live now" in review and "Publish this change" in review
    response = client.post(
        review_url, {"action": "publish", "correction_note": "The revenue figure was wrong."}
    )
    assert response.status_code == 302

    live.refresh_from_db()
    assert live.title == "Kingsoft results: a sharp fall" and STAGED_WORDS in live.body
    assert live.revised_at is not None
    page = public_text(reader, live)
    assert STAGED_WORDS in page and "Corrected on" in page
    assert "The revenue figure was wrong." in page
    assert "a sharp fall" in reader.get("/feeds/en/rss.xml").content.decode()
    assert "Kingsoft results" in reader.get("/search/", {"q": "sharp fall"}).content.decode()
    change.refresh_from_db()
    assert change.state == PendingChange.State.PUBLISHED and change.decided_by == users["editor"]
    latest = Version.objects.get_for_object(live).first()
    assert latest.revision.user == users["editor"]
    assert "proposed by" in latest.revision.get_comment()
    assert [e.transition for e in live.events.all()[:2]] == ["publish_change", "propose_change"]


def test_links_are_staged_too(client, users, live):
    person = Person.objects.get(slug="lei-jun")
    client.force_login(users["writer"])
    propose_in_admin(client, live, people=[str(person.pk)])
    assert not live.people.exists()
    change = staging.pending_change(live)
    assert change.values["people"] == [person.pk]
    staging.publish_change(change, user=users["editor"])
    assert list(live.people.all()) == [person]


def test_publishing_keeps_an_editors_correction_made_meanwhile(users, live):
    change = staging.stage_change(live, user=users["writer"], values={"standfirst": "New sub."})
    live.refresh_from_db()
    live.title = "Kingsoft results (corrected by the desk)"
    live.save()
    assert staging.live_changed_since(change) == []  # the change does not touch the title
    staging.publish_change(change, user=users["editor"])
    live.refresh_from_db()
    assert live.title == "Kingsoft results (corrected by the desk)"
    assert live.standfirst == "New sub."


def test_the_review_warns_when_publishing_would_replace_a_live_edit(client, users, live):
    change = staging.stage_change(live, user=users["writer"], values={"title": "Writer's title"})
    live.refresh_from_db()
    live.title = "Editor's title"
    live.save()
    assert staging.live_changed_since(change) == ["title"]
    client.force_login(users["editor"])
    page = client.get(reverse("admin:articles_article_pending", args=[live.pk])).content.decode()
    assert "The live article has changed since this change was begun" in page


def test_only_the_owner_stages_and_only_editors_publish(users, live):
    other = make_draft(users["editor"])
    with pytest.raises(PermissionDenied):
        staging.stage_change(other, user=users["writer"], values={"title": "Hijack"})
    with pytest.raises(PermissionDenied):  # editors change live articles directly
        staging.stage_change(live, user=users["editor"], values={"title": "x"})
    change = staging.stage_change(live, user=users["writer"], values={"title": "Better"})
    with pytest.raises(PermissionDenied):
        staging.publish_change(change, user=users["writer"])
    with pytest.raises(PermissionDenied):
        staging.publish_change(change, user=users["translator"])
    live.refresh_from_db()
    assert live.title == "Kingsoft results"


def test_one_pending_change_per_article_updated_in_place(users, live):
    first = staging.stage_change(live, user=users["writer"], values={"title": "One"})
    second = staging.stage_change(live, user=users["writer"], values={"standfirst": "Two"})
    assert first.pk == second.pk
    assert second.values["title"] == "One" and second.values["standfirst"] == "Two"
    assert PendingChange.objects.pending().filter(article=live).count() == 1
    # Proposing the live words again withdraws it.
    live_now = staging.live_values(live)
    assert staging.stage_change(live, user=users["writer"], values=live_now) is None
    assert staging.pending_change(live) is None


def test_discard_and_withdraw_leave_the_live_article_alone(client, users, live):
    change = staging.stage_change(live, user=users["writer"], values={"title": "Nope"})
    client.force_login(users["writer"])
    url = reverse("admin:articles_article_pending", args=[live.pk])
    assert client.post(url, {"action": "discard"}).status_code == 403  # not the writer's
    client.force_login(users["editor"])
    assert client.post(url, {"action": "discard", "comment": "Not sourced."}).status_code == 302
    change.refresh_from_db()
    assert change.state == PendingChange.State.DISCARDED
    assert live.events.first().comment == "Not sourced."
    with pytest.raises(ValidationError, match="no longer waiting"):
        staging.publish_change(change, user=users["editor"])

    again = staging.stage_change(live, user=users["writer"], values={"title": "Maybe"})
    client.force_login(users["writer"])
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    again.refresh_from_db()
    assert again.state == PendingChange.State.WITHDRAWN
    live.refresh_from_db()
    assert live.title == "Kingsoft results"


def test_an_editor_corrects_a_live_article_directly_with_a_public_note(client, users, live):
    client.force_login(users["editor"])
    page = client.get(change_url(live)).content.decode()
    assert 'name="correction_note"' in page
    data = form_payload(client.get(change_url(live)))
    data["body"] = "<p>Kingsoft reported steady revenue of 2 billion yuan.</p>"
    data["correction_note"] = "An earlier version left out the figure."
    assert client.post(change_url(live), data).status_code == 302
    live.refresh_from_db()
    assert "2 billion yuan" in live.body  # live at once
    assert Correction.objects.get(article=live).note == "An earlier version left out the figure."
    page = public_text(client.__class__(), live)
    assert "Corrected on" in page and "An earlier version left out the figure." in page


def test_no_correction_note_is_offered_before_an_article_is_live(client, users):
    draft = make_draft(users["writer"])
    client.force_login(users["editor"])
    assert 'name="correction_note"' not in client.get(change_url(draft)).content.decode()
    with pytest.raises(ValidationError):
        staging.record_correction(draft, user=users["editor"], note="Too early.")


def test_a_scheduled_article_is_staged_too(users):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    staging.stage_change(article, user=users["writer"], values={"title": "Later title"})
    article.refresh_from_db()
    assert article.title != "Later title"
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_the_editors_desk_lists_changes_waiting(client, users, live):
    staging.stage_change(live, user=users["writer"], values={"title": "Proposed title"})
    client.force_login(users["editor"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "Changes proposed to live articles" in html
    assert reverse("admin:articles_article_pending", args=[live.pk]) in html
