"""The workflow through HTTP in the admin: buttons, the permission grid, who edits what."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.test_admin import article_form_data
from tests.articles.test_workflow import ALLOWED, ROLES
from tests.editorial import START_STATE, bring_to, later, make_draft, roleless_user, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(users):
    return {**users, "norole": roleless_user(), "other_writer": staff_user("writer2", "Writer")}


def step_url(article, transition):
    return reverse("admin:articles_article_workflow", args=[article.pk, transition])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def offered_steps(html: str) -> set[str]:
    return set(re.findall(r'name="_workflow" value="([a-z_]+)"', html))


@pytest.mark.parametrize(("transition", "role"), [(t, r) for t in ALLOWED for r in ROLES])
def test_permission_matrix_through_http(client, cast, transition, role):
    article = bring_to(make_draft(cast["writer"]), START_STATE[transition], by=cast["admin"])
    before, events_before = article.status, article.events.count()
    client.force_login(cast[role])
    data = {"comment": "Checked by the desk."}
    if transition in workflow.TAKES_TIME:
        data["publish_at"] = timezone.localtime(later(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(step_url(article, transition), data)
    article.refresh_from_db()
    if role in ALLOWED[transition]:
        assert response.status_code == 302
        assert response["Location"] == change_url(article)
        assert article.status == workflow.ALLOWED_TRANSITIONS[transition][1]
        assert article.events.first().actor == cast[role]
    else:
        assert response.status_code == 403
        assert article.status == before
        assert article.events.count() == events_before


# The buttons each role sees on the writer's article in each state, written out by hand
# from the newsroom's rules (not read back from the workflow): the owner submits and pulls
# back their own work; editors review, publish and retire; the translator and another
# writer have no say over this original; the admin (a superuser) sees what an editor sees.
EDITOR_BUTTONS = {
    "draft": {"submit"},
    "changes_requested": {"submit", "return_to_draft"},
    "in_review": {"request_changes", "return_to_draft", "approve"},
    "approved": {"request_changes", "publish"},
    "scheduled": {"unpublish", "archive", "reschedule", "publish_now"},
    "published": {"unpublish", "archive"},
    "unpublished": {"archive", "reopen"},
    "archived": {"reopen"},
}
OWNER_BUTTONS = {
    "draft": {"submit"},
    "changes_requested": {"submit", "return_to_draft"},
    "in_review": {"return_to_draft"},
}
EXPECTED_BUTTONS = {
    "writer": OWNER_BUTTONS,
    "editor": EDITOR_BUTTONS,
    "admin": EDITOR_BUTTONS,
    "translator": {},
    "other_writer": {},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_BUTTONS))
@pytest.mark.parametrize("state", sorted(EDITOR_BUTTONS))
def test_change_page_offers_exactly_the_steps_the_user_may_take(client, cast, role, state):
    article = bring_to(make_draft(cast["writer"]), state, by=cast["admin"])
    client.force_login(cast[role])
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert offered_steps(response.content.decode()) == EXPECTED_BUTTONS[role].get(state, set())


def test_a_user_without_a_role_cannot_open_articles(client, cast):
    article = make_draft(cast["writer"])
    client.force_login(cast["norole"])
    assert client.get(change_url(article)).status_code == 403
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_the_timeline_shows_who_moved_the_article_and_why(client, cast):
    article = bring_to(make_draft(cast["writer"]), "in_review", by=cast["admin"])
    workflow.request_changes(article, user=cast["editor"], comment="Cite the filing date.")
    client.force_login(cast["writer"])
    html = client.get(change_url(article)).content.decode()
    assert "Esther Editor" in html and "Cite the filing date." in html
    assert "In review → Changes requested" in html


def test_requesting_changes_without_a_comment_is_a_message_not_a_change(client, cast):
    article = bring_to(make_draft(cast["writer"]), "in_review", by=cast["admin"])
    client.force_login(cast["editor"])
    response = client.post(step_url(article, "request_changes"), {"comment": " "}, follow=True)
    assert "needs a comment" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_publishing_with_a_future_time_schedules(client, cast):
    article = bring_to(make_draft(cast["writer"]), "approved", by=cast["admin"])
    client.force_login(cast["editor"])
    when = timezone.localtime(later(days=2)).replace(second=0, microsecond=0)
    response = client.post(
        step_url(article, "publish"), {"publish_at": when.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "goes live at" in response.content.decode()
    article.refresh_from_db()
    assert article.is_scheduled and article.published_at == when


def test_bad_input_and_wrong_method_change_nothing(client, cast):
    article = bring_to(make_draft(cast["writer"]), "approved", by=cast["admin"])
    client.force_login(cast["editor"])
    assert client.get(step_url(article, "publish")).status_code == 405
    response = client.post(step_url(article, "publish"), {"publish_at": "next tuesday"})
    assert response.status_code == 302
    assert client.post(step_url(article, "fly_to_the_moon")).status_code == 404
    missing = reverse("admin:articles_article_workflow", args=[999999, "publish"])
    assert client.post(missing).status_code == 404
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED


def test_a_step_already_taken_elsewhere_is_a_message(client, cast):
    article = bring_to(make_draft(cast["writer"]), "approved", by=cast["admin"])
    workflow.publish(article, user=cast["admin"])
    client.force_login(cast["editor"])
    response = client.post(step_url(article, "publish"), follow=True)
    assert "not possible" in response.content.decode()
    assert article.events.filter(transition="publish").count() == 1


# Who may edit what -------------------------------------------------------------------


def test_writers_edit_only_their_own_drafts(client, cast):
    mine = make_draft(cast["writer"])
    theirs = make_draft(cast["other_writer"])
    client.force_login(cast["writer"])

    page = client.get(change_url(theirs))
    assert page.status_code == 200  # they may read it
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change_url(theirs), article_form_data(theirs, title="Hijacked"))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "Hijacked"

    form = client.get(change_url(mine)).context["adminform"].form
    data = article_form_data(
        mine, title="My better headline", edit_version=form.initial["edit_version"]
    )
    assert client.post(change_url(mine), data).status_code == 302
    mine.refresh_from_db()
    assert mine.title == "My better headline"


def test_a_writer_cannot_change_the_words_after_submitting(client, cast):
    article = bring_to(make_draft(cast["writer"]), "in_review", by=cast["admin"])
    client.force_login(cast["writer"])
    data = article_form_data(article, title="Sneaky late edit", edit_version=article.edit_version)
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title != "Sneaky late edit"


def test_translators_edit_only_their_own_translations(client, cast):
    source = bring_to(make_draft(cast["writer"]), "published", by=cast["admin"])
    mine = make_draft(cast["translator"], language="nl", translation_of=source)
    client.force_login(cast["translator"])
    assert 'name="_save"' in client.get(change_url(mine)).content.decode()
    assert 'name="_save"' not in client.get(change_url(source)).content.decode()
    data = article_form_data(source, title="Vertaald?", edit_version=source.edit_version)
    assert client.post(change_url(source), data).status_code == 403


def test_the_publish_time_is_not_a_form_field(client, cast):
    """Only Publish/Schedule set it; a form cannot move a live article into the future."""
    article = bring_to(make_draft(cast["writer"]), "published", by=cast["admin"])
    client.force_login(cast["editor"])
    live_since = article.published_at
    data = article_form_data(
        article,
        edit_version=article.edit_version,
        published_at_0="2099-01-01",
        published_at_1="09:00:00",
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_at == live_since and article.is_live


# The changelist ----------------------------------------------------------------------


def test_changelist_shows_status_and_filters_scheduled_and_live(client, cast):
    embargoed = make_draft(cast["writer"], title="Still embargoed")
    scheduled = bring_to(embargoed, "scheduled", by=cast["admin"])
    live = bring_to(make_draft(cast["writer"], title="Already out"), "published", by=cast["admin"])
    client.force_login(cast["editor"])
    url = reverse("admin:articles_article_changelist")

    everything = client.get(url).content.decode()
    assert "Scheduled for" in everything

    only_scheduled = client.get(url, {"state": "scheduled"})
    shown = set(only_scheduled.context["cl"].queryset.values_list("pk", flat=True))
    assert scheduled.pk in shown and live.pk not in shown
    assert all(a.is_scheduled for a in only_scheduled.context["cl"].queryset)

    only_live = client.get(url, {"state": "live"})
    shown = set(only_live.context["cl"].queryset.values_list("pk", flat=True))
    assert live.pk in shown and scheduled.pk not in shown

    for state in Article.Status.values:
        response = client.get(url, {"state": state})
        assert response.status_code == 200
        assert {a.status for a in response.context["cl"].queryset} <= {state}
