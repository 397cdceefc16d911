"""Notifications: each workflow step tells the right people once, in the inbox and by mail.

Mail goes through Django's locmem backend (the test runner's); the messages are sent
when the step's transaction commits, which `django_capture_on_commit_callbacks` runs.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection

from articles import notifications, staging, workflow
from articles.models import Notification
from tests.editorial import bring_to, later, make_draft, staff_user

pytestmark = pytest.mark.django_db

Verb = Notification.Verb


@pytest.fixture
def desk(users):
    """The demo's people, a second editor without an e-mail address, and a fresh writer
    (the demo's stories already notified the demo writer)."""
    quiet_editor = staff_user("editor2", "Editor")
    quiet_editor.email = ""
    quiet_editor.save()
    return {
        **users,
        "editor2": quiet_editor,
        "writer": staff_user("writer3", "Writer"),
    }


def step(callbacks, fn, *args, **kwargs):
    """Take a workflow step and commit it (so its e-mail goes out); new notifications."""
    before = set(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    with callbacks(execute=True):
        fn(*args, **kwargs)
    return list(Notification.objects.exclude(pk__in=before).select_related("recipient"))


def recipients_of(notes):
    return sorted(n.recipient.username for n in notes)


def mailed_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_submission_tells_every_editor_once_and_mails_those_with_an_address(
    desk, django_capture_on_commit_callbacks
):
    draft = make_draft(desk["writer"], title="Lei Jun's next company")
    notes = step(
        django_capture_on_commit_callbacks,
        workflow.submit_for_review,
        draft,
        user=desk["writer"],
        comment="Ready when you are.",
    )
    # The Editor role; the superuser is not told by being a superuser alone.
    assert recipients_of(notes) == ["editor", "editor2"]
    assert {n.verb for n in notes} == {Verb.SUBMITTED}
    assert all(n.actor == desk["writer"] and n.read_at is None for n in notes)
    assert mailed_to() == ["editor@newsroom.example"]  # editor2 has no address
    message = mail.outbox[0]
    assert "For review: Lei Jun's next company" in message.subject
    assert "submitted for review" in message.body and "Ready when you are." in message.body
    assert f"/admin/articles/article/{draft.pk}/change/" in message.body


@pytest.mark.parametrize(
    ("state", "operation", "kwargs", "verb"),
    [
        (
            "in_review",
            workflow.request_changes,
            {"comment": "Cite the filing."},
            "changes_requested",
        ),
        ("in_review", workflow.approve, {}, "approved"),
        ("approved", workflow.publish, {}, "published"),
        ("approved", workflow.schedule, {"at": later(days=2)}, "scheduled"),
        ("scheduled", workflow.reschedule, {"at": later(days=3)}, "scheduled"),
    ],
)
def test_review_outcomes_tell_the_owner_alone(
    desk, django_capture_on_commit_callbacks, state, operation, kwargs, verb
):
    article = bring_to(make_draft(desk["writer"]), state, by=desk["admin"])
    notes = step(
        django_capture_on_commit_callbacks, operation, article, user=desk["editor"], **kwargs
    )
    assert recipients_of(notes) == ["writer3"]
    assert notes[0].verb == verb and notes[0].actor == desk["editor"]
    assert mailed_to() == ["writer3@newsroom.example"]
    assert notes[0].get_verb_display() in mail.outbox[0].body
    if kwargs.get("comment"):
        assert notes[0].comment == kwargs["comment"]
        assert kwargs["comment"] in mail.outbox[0].body


@pytest.mark.parametrize(
    ("state", "transition"),
    [("in_review", "return_to_draft"), ("published", "unpublish"), ("published", "archive")],
)
def test_other_steps_tell_nobody(desk, django_capture_on_commit_callbacks, state, transition):
    article = bring_to(make_draft(desk["writer"]), state, by=desk["admin"])
    notes = step(
        django_capture_on_commit_callbacks,
        workflow.take,
        article,
        transition=transition,
        user=desk["editor"],
    )
    assert notes == [] and mail.outbox == []


def test_nobody_is_told_what_they_did_themselves(desk, django_capture_on_commit_callbacks):
    editor = desk["editor"]
    own = bring_to(make_draft(editor), "approved", by=desk["admin"])
    assert step(django_capture_on_commit_callbacks, workflow.publish, own, user=editor) == []
    draft = make_draft(editor)
    notes = step(django_capture_on_commit_callbacks, workflow.submit_for_review, draft, user=editor)
    assert recipients_of(notes) == ["editor2"]  # the other editor, not the submitter
    assert mail.outbox == []  # and editor2 has no address


def test_a_refused_step_tells_nobody(desk, django_capture_on_commit_callbacks):
    article = bring_to(make_draft(desk["writer"]), "in_review", by=desk["admin"])
    with pytest.raises(PermissionDenied):
        step(django_capture_on_commit_callbacks, workflow.approve, article, user=desk["writer"])
    assert not Notification.objects.filter(article=article, verb=Verb.APPROVED).exists()
    assert mail.outbox == []


def test_a_change_proposed_to_a_live_article_tells_the_editors_and_its_publication_the_owner(
    desk, django_capture_on_commit_callbacks
):
    source = bring_to(make_draft(desk["writer"]), "published", by=desk["admin"])
    translation = make_draft(desk["translator"], language="nl", translation_of=source)
    translation = bring_to(translation, "published", by=desk["admin"])
    notes = step(
        django_capture_on_commit_callbacks,
        staging.stage_change,
        translation,
        user=desk["translator"],
        values={"title": "Bijgewerkte titel"},
    )
    assert recipients_of(notes) == ["editor", "editor2"]
    assert {n.verb for n in notes} == {Verb.SUBMITTED}
    change = staging.pending_change(translation)
    notes = step(
        django_capture_on_commit_callbacks,
        staging.publish_change,
        change,
        user=desk["editor"],
    )
    assert recipients_of(notes) == ["translator"]
    assert {n.verb for n in notes} == {Verb.PUBLISHED}


def test_a_failing_mail_server_never_undoes_the_step(
    desk, django_capture_on_commit_callbacks, settings, caplog
):
    # Nothing listens on the discard port: the connection is refused, as by a server down.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = False
    article = bring_to(make_draft(desk["writer"]), "in_review", by=desk["admin"])
    notes = step(django_capture_on_commit_callbacks, workflow.approve, article, user=desk["editor"])
    article.refresh_from_db()
    assert article.status == "approved" and recipients_of(notes) == ["writer3"]
    assert "Could not send 1 notification e-mail" in caplog.text


def test_inbox_is_newest_first_bounded_and_one_query(desk, django_assert_num_queries):
    writer = desk["writer"]
    for n in range(notifications.INBOX_SIZE + 3):
        article = bring_to(make_draft(writer, title=f"Story {n}"), "in_review", by=desk["admin"])
        workflow.approve(article, user=desk["editor"])
    with django_assert_num_queries(1):
        items = notifications.inbox(writer)
        titles = [item.article.title for item in items]  # article and actor come along
        [item.actor.username for item in items]
    assert len(items) == notifications.INBOX_SIZE
    assert titles[0] == f"Story {notifications.INBOX_SIZE + 2}"


def test_unread_count_is_capped_and_read_from_the_unread_index(desk, django_assert_num_queries):
    writer = desk["writer"]
    article = make_draft(writer)
    Notification.objects.bulk_create(
        Notification(recipient=writer, article=article, verb=Verb.APPROVED)
        for _ in range(notifications.UNREAD_CAP + 20)
    )
    with django_assert_num_queries(1) as captured:
        assert notifications.unread_count(writer) == notifications.UNREAD_CAP + 1
    sql = captured.captured_queries[0]["sql"]  # parameters already in place
    assert "LIMIT" in sql.upper() and "ORDER BY" not in sql.upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "notification_unread" in plan


def test_mark_read_one_per_article_or_all(desk):
    writer, editor = desk["writer"], desk["editor"]
    first = bring_to(make_draft(writer), "in_review", by=desk["admin"])
    second = bring_to(make_draft(writer), "in_review", by=desk["admin"])
    workflow.approve(first, user=editor)
    workflow.request_changes(second, user=editor, comment="More.")
    workflow.submit_for_review(second, user=writer)
    workflow.approve(second, user=editor)
    assert notifications.unread_count(writer) == 3
    assert notifications.mark_read(writer, article=second) == 2
    assert notifications.unread_count(writer) == 1
    assert notifications.mark_read(editor) >= 1  # the editors' own, not the writer's
    assert notifications.unread_count(writer) == 1
    assert notifications.mark_read(writer) == 1
    assert notifications.unread_count(writer) == 0
