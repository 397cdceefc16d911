"""The editor's desk on the admin's front page: what needs me, in fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.desk.dashboard import desk_for, translation_gaps
from articles.models import Article
from articles.translation import TranslationState
from tests.editorial import bring_to, later, make_draft

pytestmark = pytest.mark.django_db


def desk_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_sees_the_review_queue_schedule_and_translation_gaps(client, users):
    html = desk_html(client, users["editor"])
    in_review = Article.objects.get(status=Article.Status.IN_REVIEW)
    scheduled = next(a for a in Article.objects.filter(status="published") if a.is_scheduled)
    assert "Waiting for your review" in html and in_review.title.replace("'", "&#x27;") in html
    assert "Scheduled" in html and "goes live" in html
    assert scheduled.title.replace("'", "&#x27;") in html
    assert "Recent stories missing a translation" in html
    assert "<strong>Outdated</strong>" in html and "<strong>Missing</strong>" in html


def test_a_writer_sees_own_drafts_and_changes_requested_not_the_review_queue(client, users):
    writer, editor = users["writer"], users["editor"]
    draft = make_draft(writer, title="My unfinished draft")
    sent_back = bring_to(make_draft(writer, title="Needs another go"), "in_review", by=editor)
    workflow.request_changes(sent_back, user=editor, comment="Add a source")
    make_draft(editor, title="Someone else's draft")

    desk = desk_for(writer)
    assert draft in desk.my_drafts and sent_back in desk.changes_requested
    assert all(a.owner == writer for a in desk.my_drafts + desk.changes_requested)
    assert not desk.is_reviewer and desk.waiting_for_review == []

    html = desk_html(client, writer)
    assert "My unfinished draft" in html and "Needs another go" in html
    assert "Someone else&#x27;s draft" not in html
    assert "Waiting for your review" not in html


def test_scheduled_items_are_listed_soonest_first_with_their_times(users):
    admin = users["admin"]
    late = bring_to(make_draft(admin), "scheduled", by=admin, at=later(days=9))
    soon = bring_to(make_draft(admin), "scheduled", by=admin, at=later(hours=2))
    scheduled = desk_for(users["editor"]).scheduled
    assert scheduled.index(soon) < scheduled.index(late)
    assert all(a.is_scheduled for a in scheduled)


def test_translation_gaps_use_the_translation_states(users):
    gaps = desk_for(users["editor"]).translations
    assert gaps, "the demo has missing and outdated translations"
    assert {g.state for g in gaps} <= {TranslationState.MISSING, TranslationState.OUTDATED}
    assert gaps[0].state == TranslationState.OUTDATED  # readers see old words: first
    for gap in gaps:
        assert gap.source.is_live and gap.language != gap.source.language


def test_translation_gaps_look_only_at_the_most_recent_stories(users):
    newest = (
        Article.objects.published()
        .filter(translation_of__isnull=True)
        .order_by("-published_at")
        .first()
    )
    gaps = translation_gaps(window=1)
    assert gaps and {g.source for g in gaps} == {newest}
    assert len(translation_gaps()) > len(gaps)


def test_translation_gaps_cost_one_query(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        translation_gaps()


def test_the_desk_costs_a_fixed_number_of_queries(users, django_assert_num_queries):
    for user in users.values():
        user.has_perm("articles.review_article")  # load the permission cache first
    # Their own drafts, their articles with changes requested, their articles in review or
    # approved; the review queue; pending changes to live articles; scheduled; recently
    # published; the translation state of recent originals' versions.
    with django_assert_num_queries(8):
        desk_for(users["editor"])
    # The same less the two an editor alone sees: the review queue and pending changes.
    with django_assert_num_queries(6):
        desk_for(users["writer"])


def test_the_front_page_of_the_admin_does_not_grow_with_the_newsroom(client, users):
    editor, admin = users["editor"], users["admin"]
    client.force_login(editor)
    url = reverse("admin:index")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(6):
        bring_to(make_draft(editor, title=f"More news {n}"), "in_review", by=admin)
        bring_to(make_draft(editor), "scheduled", by=admin)
        bring_to(make_draft(admin), "published", by=admin)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert "More news 5" in html
    assert len(after) == len(before), [q["sql"][:80] for q in after.captured_queries]
