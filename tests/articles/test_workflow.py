"""The workflow's operations: every role × every transition, events, revisions, scheduling."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from articles import rules, staging, workflow
from articles.models import Article, ArticleEvent
from tests.editorial import START_STATE, bring_to, later, make_draft, roleless_user, staff_user

pytestmark = pytest.mark.django_db

ROLES = ["writer", "translator", "editor", "admin", "norole", "other_writer"]

# Who may take each transition on an original article owned by "writer".
ALLOWED = {
    "submit": {"writer", "editor", "admin"},
    "request_changes": {"editor", "admin"},
    "return_to_draft": {"writer", "editor", "admin"},
    "approve": {"editor", "admin"},
    "publish": {"editor", "admin"},
    "unpublish": {"editor", "admin"},
    "archive": {"editor", "admin"},
    "reopen": {"editor", "admin"},
    "reschedule": {"editor", "admin"},
    "publish_now": {"editor", "admin"},
}

MATRIX = [(t, role) for t in workflow.ALLOWED_TRANSITIONS for role in ROLES]


def test_the_matrix_covers_every_transition():
    assert set(ALLOWED) == set(workflow.ALLOWED_TRANSITIONS) == set(START_STATE)
    assert set(workflow.OPERATIONS) == set(workflow.ALLOWED_TRANSITIONS)


@pytest.fixture
def cast(users):
    """Everyone the matrix tries, by role name."""
    return {**users, "norole": roleless_user(), "other_writer": staff_user("writer2", "Writer")}


def arguments_for(transition):
    kwargs = {"comment": "Checked by the desk."}
    if transition in workflow.TAKES_TIME:
        kwargs["at"] = later(days=2)
    return kwargs


@pytest.mark.parametrize(("transition", "role"), MATRIX)
def test_permission_matrix_through_the_operations(cast, transition, role):
    article = bring_to(make_draft(cast["writer"]), START_STATE[transition], by=cast["admin"])
    before_status, before_events = article.status, article.events.count()
    before_versions = Version.objects.get_for_object(article).count()
    user = cast[role]

    assert workflow.may_take(user, article, transition) == (role in ALLOWED[transition])
    assert (transition in workflow.available_transitions(user, article)) == (
        role in ALLOWED[transition]
    )
    if role in ALLOWED[transition]:
        workflow.take(article, transition=transition, user=user, **arguments_for(transition))
        article.refresh_from_db()
        assert article.status == workflow.ALLOWED_TRANSITIONS[transition][1]
        event = article.events.first()
        assert (event.transition, event.actor, event.from_status) == (
            transition,
            user,
            before_status,
        )
        assert event.comment == "Checked by the desk."
        versions = Version.objects.get_for_object(article)
        assert versions.count() == before_versions + 1
        label = workflow.TRANSITION_LABELS[transition]
        assert versions.first().revision.get_comment().startswith(label)
        assert versions.first().revision.user == user
    else:
        with pytest.raises(PermissionDenied, match="permission"):
            workflow.take(article, transition=transition, user=user, **arguments_for(transition))
        article.refresh_from_db()
        assert article.status == before_status
        assert article.events.count() == before_events
        assert Version.objects.get_for_object(article).count() == before_versions


@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "published", "archived"])
def test_illegal_transitions_are_refused_with_the_reason(users, state):
    article = bring_to(make_draft(users["writer"]), state, by=users["admin"])
    for transition, (sources, _target) in workflow.ALLOWED_TRANSITIONS.items():
        if article.status in sources:
            continue
        with pytest.raises(ValidationError, match="not possible"):
            workflow.take(
                article, transition=transition, user=users["admin"], comment="x", at=later(days=1)
            )
        article.refresh_from_db()
        assert article.status == Article.Status(state)


def test_translator_works_on_own_translations_only(users):
    source = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    mine = make_draft(users["translator"], language="nl", translation_of=source)
    assert workflow.can_edit(users["translator"], mine)
    assert not workflow.can_edit(users["translator"], source)
    assert not workflow.can_edit(users["writer"], mine)
    workflow.submit_for_review(mine, user=users["translator"])
    assert mine.status == Article.Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        workflow.approve(mine, user=users["translator"])


def test_owner_cannot_edit_once_the_article_left_drafting(users):
    article = make_draft(users["writer"])
    assert workflow.can_edit(users["writer"], article)
    bring_to(article, "in_review", by=users["admin"])
    assert not workflow.can_edit(users["writer"], article)
    assert workflow.can_edit(users["editor"], article)
    workflow.request_changes(article, user=users["editor"], comment="Shorter, please.")
    assert workflow.can_edit(users["writer"], article)


def test_translator_updates_own_published_translation_as_a_staged_change(users):
    """An outdated live translation is no dead end for its translator: their save is a
    change proposed to the editors (articles/staging.py); the live words stay until an
    editor publishes it. Editors change live words directly; nobody else proposes."""
    source = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    mine = make_draft(users["translator"], language="nl", translation_of=source)
    mine = bring_to(mine, "published", by=users["admin"])
    translator, writer = users["translator"], users["writer"]

    assert rules.can_stage_change(translator, mine) and not workflow.can_edit(translator, mine)
    assert not rules.can_stage_change(users["editor"], mine)  # editors write directly
    assert workflow.can_edit(users["editor"], mine)
    assert not rules.can_stage_change(writer, mine)  # not theirs

    change = staging.stage_change(mine, user=translator, values={"title": "Bijgewerkt"})
    mine.refresh_from_db()
    assert mine.is_live and mine.title != "Bijgewerkt"  # readers keep the live words
    assert change.values["title"] == "Bijgewerkt"
    with pytest.raises(PermissionDenied):
        staging.stage_change(mine, user=writer, values={"title": "Niet van mij"})


def test_an_inactive_user_may_do_nothing(users):
    article = make_draft(users["writer"])
    users["writer"].is_active = False
    assert workflow.available_transitions(users["writer"], article) == []
    assert not workflow.can_edit(users["writer"], article)


def test_requesting_changes_needs_a_comment(users):
    article = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    for blank in ["", "   "]:
        with pytest.raises(ValidationError, match="needs a comment"):
            workflow.request_changes(article, user=users["editor"], comment=blank)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_the_full_review_loop_records_every_step(users):
    writer, editor = users["writer"], users["editor"]
    article = make_draft(writer)
    workflow.submit_for_review(article, user=writer, comment="First go")
    workflow.request_changes(article, user=editor, comment="Add the date of the filing")
    workflow.return_to_draft(article, user=writer)
    workflow.submit_for_review(article, user=writer)
    workflow.approve(article, user=editor)
    workflow.publish(article, user=editor)
    steps = list(
        ArticleEvent.objects.filter(article=article)
        .order_by("created_at", "pk")
        .values_list("transition", "from_status", "to_status")
    )
    assert steps == [
        ("submit", "draft", "in_review"),
        ("request_changes", "in_review", "changes_requested"),
        ("return_to_draft", "changes_requested", "draft"),
        ("submit", "draft", "in_review"),
        ("approve", "in_review", "approved"),
        ("publish", "approved", "published"),
    ]
    article.refresh_from_db()
    assert article.is_live and article.first_published_at == article.published_at
    assert article.events.get(transition="request_changes").comment == (
        "Add the date of the filing"
    )


def test_a_stale_copy_cannot_take_a_step_twice(users):
    """The operation re-reads the row: a second click on an old page is refused."""
    article = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    stale = Article.objects.get(pk=article.pk)
    workflow.publish(article, user=users["editor"])
    with pytest.raises(ValidationError, match="not possible"):
        workflow.publish(stale, user=users["editor"])
    assert article.events.filter(transition="publish").count() == 1


# Scheduling -------------------------------------------------------------------------


def test_schedule_refuses_a_time_in_the_past_or_without_a_zone(users):
    article = bring_to(make_draft(users["writer"]), "approved", by=users["admin"])
    with pytest.raises(ValidationError, match="future"):
        workflow.schedule(article, user=users["editor"], at=later(minutes=-5))
    with pytest.raises(ValidationError, match="time zone"):
        workflow.publish(article, user=users["editor"], at=datetime.datetime(2030, 1, 1, 9))
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED


def test_reschedule_moves_a_scheduled_article_and_not_a_live_one(users):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    new_time = later(days=3)
    workflow.reschedule(article, user=users["editor"], at=new_time, comment="Embargo moved")
    article.refresh_from_db()
    assert article.published_at == new_time and article.first_published_at == new_time
    assert article.events.first().publish_at == new_time
    live = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    with pytest.raises(ValidationError, match="already live"):
        workflow.reschedule(live, user=users["editor"], at=later(days=1))


def test_publish_now_puts_a_scheduled_article_live_at_once_and_not_a_live_one_again(users):
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    assert article.is_scheduled
    workflow.publish_now(article, user=users["editor"], comment="Embargo lifted early")
    article.refresh_from_db()
    assert article.is_live and not article.is_scheduled
    assert article.first_published_at == article.published_at
    event = article.events.first()
    assert (event.transition, event.publish_at) == ("publish_now", article.published_at)
    assert "publish_now" not in workflow.available_transitions(users["editor"], article)
    with pytest.raises(ValidationError, match="already live"):
        workflow.publish_now(article, user=users["editor"])


def test_a_scheduled_article_goes_live_at_its_time_with_nobody_pressing_anything(users):
    embargo = later(hours=5)
    article = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"], at=embargo)
    published = Article.objects.published()
    assert article.is_scheduled and not article.is_live
    assert not published.filter(pk=article.pk).exists()
    with time_machine.travel(embargo - datetime.timedelta(seconds=1), tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(embargo + datetime.timedelta(seconds=1), tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()
        article.refresh_from_db()
        assert article.is_live and article.display_status == "Published"


# What readers see --------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", ["draft", "in_review", "changes_requested", "approved", "scheduled", "unpublished"]
)
def test_articles_not_yet_or_no_longer_public_answer_404_to_readers(client, users, state):
    article = bring_to(make_draft(users["writer"]), state, by=users["admin"])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert article.title not in client.get("/en/").content.decode()


def test_archived_articles_answer_404_and_published_ones_200(client, users):
    article = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    assert client.get(article.get_absolute_url()).status_code == 200
    workflow.archive(article, user=users["editor"])
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_on_its_page_front_page_feeds_and_sitemap_at_its_time(
    client, users
):
    """Time travel around the embargo: the page, the front page and the queryset that
    feeds and the sitemap start from (`Article.objects.published()`) all flip together."""
    embargo = later(days=1)
    article = bring_to(
        make_draft(users["writer"], title="Embargoed: Xiaomi car launch date"),
        "scheduled",
        by=users["admin"],
        at=embargo,
    )
    url = article.get_absolute_url()

    with time_machine.travel(embargo - datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 404
        assert "Embargoed: Xiaomi car launch date" not in client.get("/en/").content.decode()
        assert article not in Article.objects.published()

    with time_machine.travel(embargo + datetime.timedelta(minutes=1), tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert "Embargoed: Xiaomi car launch date" in page.content.decode()
        assert "Embargoed: Xiaomi car launch date" in client.get("/en/").content.decode()
        assert article in Article.objects.published()
        assert article in Article.objects.published().for_language("en")
