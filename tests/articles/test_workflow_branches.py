"""Branches of the workflow the newsroom relies on that the main walk-through does not
take: a story's first publication time surviving a withdrawal, refused times and steps,
and every step started from each state it may start from."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.editorial import bring_to, later, make_draft

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_first_publication_survives_unpublish_reopen_and_publishing_again(users):
    """Feed item ids and "first published" dates come from first_published_at: a story
    withdrawn for a correction and published again is the same story, not a new one."""
    admin = users["admin"]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = bring_to(make_draft(users["writer"]), "published", by=admin)
        first = article.first_published_at
        assert first == article.published_at == start
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        workflow.unpublish(article, user=admin, comment="Checking a figure")
        workflow.reopen(article, user=admin)
        for step in ["submit", "approve", "publish"]:
            workflow.take(article, transition=step, user=admin)
    article.refresh_from_db()
    assert article.published_at == start + datetime.timedelta(days=2)
    assert article.first_published_at == first


def test_a_scheduled_time_that_never_came_is_not_a_first_publication(users):
    admin = users["admin"]
    embargo = later(days=1)
    article = bring_to(make_draft(users["writer"]), "scheduled", by=admin, at=embargo)
    assert article.first_published_at == embargo
    workflow.unpublish(article, user=admin)  # stopped before its time
    workflow.reopen(article, user=admin)
    for step in ["submit", "approve", "publish"]:
        workflow.take(article, transition=step, user=admin)
    article.refresh_from_db()
    assert article.first_published_at == article.published_at < embargo


@pytest.mark.parametrize(
    "at, message",
    [
        (datetime.datetime(2031, 1, 1, 9, 0), "time zone"),  # naive
        (None, "time zone"),
        (lambda: later(minutes=-1), "future"),
    ],
)
def test_reschedule_refuses_a_naive_missing_or_past_time(users, at, message):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    before = article.published_at
    with pytest.raises(ValidationError, match=message):
        workflow.reschedule(article, user=users["editor"], at=at() if callable(at) else at)
    article.refresh_from_db()
    assert article.published_at == before and article.is_scheduled


def test_take_refuses_an_unknown_step_and_a_reschedule_without_a_time(users):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    with pytest.raises(ValidationError, match="not a workflow step"):
        workflow.take(article, transition="delete_everything", user=users["admin"])
    with pytest.raises(ValidationError, match="needs a date and time"):
        workflow.take(article, transition="reschedule", user=users["admin"])
    assert not article.events.filter(transition="reschedule").exists()


# Each step from every state it may start from, as an editor; the resulting state.
STEPS_FROM_EVERY_SOURCE = [
    ("submit", "draft", Status.IN_REVIEW),
    ("submit", "changes_requested", Status.IN_REVIEW),
    ("request_changes", "in_review", Status.CHANGES_REQUESTED),
    ("request_changes", "approved", Status.CHANGES_REQUESTED),
    ("return_to_draft", "in_review", Status.DRAFT),
    ("return_to_draft", "changes_requested", Status.DRAFT),
    ("approve", "in_review", Status.APPROVED),
    ("publish", "approved", Status.PUBLISHED),
    ("unpublish", "published", Status.UNPUBLISHED),
    ("unpublish", "scheduled", Status.UNPUBLISHED),
    ("archive", "published", Status.ARCHIVED),
    ("archive", "unpublished", Status.ARCHIVED),
    ("reopen", "unpublished", Status.DRAFT),
    ("reopen", "archived", Status.DRAFT),
    ("reschedule", "scheduled", Status.PUBLISHED),
]


@pytest.mark.parametrize("step, state, target", STEPS_FROM_EVERY_SOURCE)
def test_every_step_from_every_state_it_starts_from(users, step, state, target):
    article = bring_to(make_draft(users["writer"]), state, by=users["admin"])
    kwargs = {"comment": "Because"}
    if step == "reschedule":
        kwargs["at"] = later(days=2)
    workflow.take(article, transition=step, user=users["editor"], **kwargs)
    article.refresh_from_db()
    assert article.status == target
    event = article.events.order_by("-created_at", "-pk").first()
    assert (event.transition, event.to_status) == (step, target)
    if step == "unpublish":
        assert not Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    "step, state",
    [
        (step, state)
        for step, (sources, _target) in workflow.ALLOWED_TRANSITIONS.items()
        for state in ["draft", "in_review", "approved", "published", "archived"]
        if state not in sources
    ],
)
def test_no_step_from_a_state_it_does_not_start_from(users, step, state):
    article = bring_to(make_draft(users["writer"]), state, by=users["admin"])
    with pytest.raises(ValidationError, match="not possible"):
        workflow.take(article, transition=step, user=users["admin"], comment="x", at=later(days=1))
    article.refresh_from_db()
    assert article.status == state


# Each operation called as code calls it, without a comment: nothing invented in its place.
WITHOUT_COMMENT = [
    ("submit", "draft", workflow.submit_for_review),
    ("return_to_draft", "in_review", workflow.return_to_draft),
    ("approve", "in_review", workflow.approve),
    ("publish", "approved", workflow.publish),
    ("publish_now", "scheduled", workflow.publish_now),
    ("unpublish", "published", workflow.unpublish),
    ("archive", "published", workflow.archive),
    ("reopen", "unpublished", workflow.reopen),
]


@pytest.mark.parametrize(
    "step, state, operation", WITHOUT_COMMENT, ids=[s for s, *_ in WITHOUT_COMMENT]
)
def test_an_operation_without_a_comment_records_none(users, step, state, operation):
    from reversion.models import Version

    article = bring_to(make_draft(users["writer"]), state, by=users["admin"])
    operation(article, user=users["admin"])
    event = article.events.first()
    assert (event.transition, event.comment) == (step, "")
    comment = Version.objects.get_for_object(article).first().revision.comment
    assert comment == workflow.TRANSITION_LABELS[step]


def test_schedule_and_reschedule_without_a_comment_name_only_the_time(users):
    from reversion.models import Version

    article = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    at = later(days=1)
    workflow.schedule(article, user=users["admin"], at=at)
    assert article.events.first().comment == ""
    moved = later(days=2)
    workflow.reschedule(article, user=users["admin"], at=moved)
    assert article.events.first().comment == ""
    comment = Version.objects.get_for_object(article).first().revision.comment
    assert comment == f"Reschedule for {moved:%Y-%m-%d %H:%M %Z}"


def test_a_scheduling_comment_reaches_the_event_and_the_revision(users):
    from reversion.models import Version

    article = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    at = later(days=1)
    workflow.schedule(article, user=users["admin"], at=at, comment="  Embargo until the call.  ")
    assert article.events.first().comment == "Embargo until the call."
    comment = Version.objects.get_for_object(article).first().revision.comment
    assert comment == f"Publish for {at:%Y-%m-%d %H:%M %Z}: Embargo until the call."


def test_take_without_a_comment_records_none(users):
    article = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    workflow.take(article, transition="approve", user=users["admin"])
    event = article.events.first()
    assert (event.transition, event.comment) == ("approve", "")


@pytest.mark.parametrize(
    "stored, expected",
    [
        ({"status": "published", "edit_version": 4}, {"status": "draft", "edit_version": 5}),
        ({"status": "archived", "edit_version": None}, {"status": "draft", "edit_version": 1}),
        ({"status": "in_review"}, {"status": "draft", "edit_version": 1}),
    ],
)
def test_a_recovered_article_comes_back_as_a_draft_with_a_newer_stamp(stored, expected):
    assert workflow.restore_as_draft(stored) == expected


def test_refusals_say_exactly_what_to_do(users):
    """The messages are the editor's only guide: checked word for word."""
    approved = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    scheduled = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    in_review = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    live = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    naive = datetime.datetime(2030, 1, 1, 9, 0)
    cases = [
        (lambda: workflow.request_changes(in_review, user=users["admin"], comment="  "),
         "Say what should change: requesting changes needs a comment."),
        (lambda: workflow.publish(approved, user=users["admin"], at=naive),
         "Give the publish time with a time zone."),
        (lambda: workflow.reschedule(scheduled, user=users["admin"], at=naive),
         "Give the new publish time with a time zone."),
        (lambda: workflow.reschedule(scheduled, user=users["admin"], at=later(days=-1)),
         "A scheduled time must be in the future; use Unpublish to stop it."),
        (lambda: workflow.schedule(approved, user=users["admin"], at=later(days=-1)),
         "A scheduled time must be in the future."),
        (lambda: workflow.approve(approved, user=users["admin"]),
         "“Approve” is not possible: the article is approved."),
        (lambda: workflow.submit_for_review(in_review, user=users["writer"]),
         "“Submit for review” is not possible: the article is in review."),
        (lambda: workflow.publish_now(live, user=users["admin"]),
         "“Publish now” is not possible: the article is already live."),
    ]  # fmt: skip
    for call, message in cases:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [message]


def test_now_itself_is_not_in_the_future(users):
    approved = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    scheduled = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    with time_machine.travel(timezone.now(), tick=False):
        now = timezone.now()
        with pytest.raises(ValidationError, match="must be in the future"):
            workflow.schedule(approved, user=users["admin"], at=now)
        with pytest.raises(ValidationError, match="must be in the future"):
            workflow.reschedule(scheduled, user=users["admin"], at=now)
