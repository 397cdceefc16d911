"""Review through HTTP: the changes-requested banner, the inbox and header count, marking
read, the compare page's default and formatting changes, a translator's live update."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import notifications, staging, workflow
from articles.models import Article, Notification
from tests.articles.test_admin import article_form_data
from tests.editorial import bring_to, make_draft, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(users):
    """A writer of our own: the demo's stories already notified the demo writer."""
    return staff_user("writer4", "Writer")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def compare_url(article, **query):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def save_as(client, article, **changes):
    form = client.get(change_url(article)).context["adminform"].form
    data = article_form_data(article, edit_version=form.initial["edit_version"], **changes)
    return client.post(change_url(article), data)


# The changes-requested banner -----------------------------------------------------------


def test_the_writer_sees_the_change_request_as_a_banner_until_resubmitting(client, users, writer):
    article = bring_to(make_draft(writer), "in_review", by=users["admin"])
    workflow.request_changes(article, user=users["editor"], comment="Name the source & date.")
    client.force_login(writer)

    html = client.get(change_url(article)).content.decode()
    banner = html[html.index('class="review-banner"') :]
    banner = banner[: banner.index("</section>")]
    assert "Changes requested by Esther Editor" in banner
    assert "Name the source &amp; date." in banner
    # Above the workflow panel, before the form.
    assert html.index('class="review-banner"') < html.index('class="workflow-panel"')

    workflow.submit_for_review(article, user=writer)
    assert 'class="review-banner"' not in client.get(change_url(article)).content.decode()


# The inbox and the header ----------------------------------------------------------------


def test_inbox_and_header_count_show_what_happened_and_mark_read(client, users, writer):
    first = bring_to(make_draft(writer, title="Xiaomi's car plant"), "in_review", by=users["admin"])
    second = bring_to(make_draft(writer, title="Lei Jun's letter"), "in_review", by=users["admin"])
    workflow.approve(first, user=users["editor"])
    workflow.request_changes(second, user=users["editor"], comment="Quote the letter.")
    client.force_login(writer)

    html = client.get(reverse("admin:index")).content.decode()
    assert '<span class="unread-count">2</span>' in html
    inbox = html[html.index('id="inbox"') :]
    assert "Esther Editor approved “Xiaomi&#x27;s car plant”" in inbox
    assert "Esther Editor requested changes to “Lei Jun&#x27;s letter”" in inbox
    assert "Quote the letter." in inbox
    assert inbox.index("Lei Jun") < inbox.index("car plant")  # newest first

    note = Notification.objects.get(recipient=writer, article=first)
    read_url = reverse("admin:articles_notifications_read")
    response = client.post(read_url, {"notification": note.pk, "next": reverse("admin:index")})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        '<span class="unread-count">1</span>' in client.get(reverse("admin:index")).content.decode()
    )

    # Opening the article the other notification is about reads it too.
    client.get(change_url(second))
    assert notifications.unread_count(writer) == 0
    assert 'class="unread-count"' not in client.get(reverse("admin:index")).content.decode()


def test_mark_all_read_and_refusals(client, users, writer):
    article = bring_to(make_draft(writer), "in_review", by=users["admin"])
    workflow.approve(article, user=users["editor"])
    others = Notification.objects.filter(recipient=users["editor"]).first()
    client.force_login(writer)
    read_url = reverse("admin:articles_notifications_read")

    assert client.get(read_url).status_code == 405
    assert client.post(read_url, {"notification": others.pk}).status_code == 404
    others.refresh_from_db()
    assert others.read_at is None  # someone else's is left alone
    response = client.post(read_url, {"all": "1", "next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("admin:index")  # never off-site
    assert notifications.unread_count(writer) == 0


def test_every_desk_page_shows_the_count_for_one_query(client, users, writer):
    article = bring_to(make_draft(writer), "in_review", by=users["admin"])
    workflow.approve(article, user=users["editor"])
    client.force_login(writer)
    for url in [reverse("admin:articles_article_changelist"), reverse("admin:index")]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert '<span class="unread-count">1</span>' in html
        counting = [q for q in queries if "COUNT" in q["sql"] and "notification" in q["sql"]]
        assert len(counting) == 1, url  # the header and the inbox share it


# The compare page ---------------------------------------------------------------------------


def test_compare_opens_on_what_changed_since_the_last_submission(client, users, writer):
    article = bring_to(
        make_draft(writer, body="<p>Lei Jun steps down.</p>"), "in_review", by=users["admin"]
    )
    workflow.request_changes(article, user=users["editor"], comment="Bold the name.")
    client.force_login(writer)
    assert (
        save_as(client, article, body="<p><strong>Lei Jun</strong> steps down.</p>").status_code
        == 302
    )
    workflow.submit_for_review(article, user=writer)

    client.force_login(users["editor"])
    response = client.get(compare_url(article))
    html = response.content.decode()
    assert response.context["preset"] == "submitted"
    # The last two versions (the edit and the submission) hold the same words; the
    # default shows the writer's answer to the review instead.
    assert "the writer&#x27;s answer to the last review" in html
    assert "bold added" in html
    assert '<strong aria-current="page">Since last submitted</strong>' in html

    old = client.get(compare_url(article, base="previous"))
    assert old.context["preset"] == "previous"
    assert "No words or links differ" in old.content.decode()


def test_compare_for_a_published_article_is_against_the_live_version(client, users, writer):
    article = bring_to(
        make_draft(writer, body="<h2>Facts</h2><p>Founded in 2010.</p>"),
        "published",
        by=users["admin"],
    )
    client.force_login(users["editor"])
    assert (
        save_as(client, article, body="<h3>Facts</h3><p>Founded in April 2010.</p>").status_code
        == 302
    )
    response = client.get(compare_url(article))
    html = response.content.decode()
    assert response.context["preset"] == "live"
    assert "What changed since it was published" in html
    assert "now heading 3, was heading 2" in html
    assert "<ins> April</ins>" in html


def test_compare_with_chosen_versions_and_nonsense_answers(client, users, writer):
    article = bring_to(make_draft(writer), "in_review", by=users["admin"])
    client.force_login(users["editor"])
    versions = list(article_versions(article))
    chosen = client.get(compare_url(article, old=versions[-1].pk, new=versions[0].pk))
    assert chosen.status_code == 200 and chosen.context["preset"] == ""
    for query in ({"base": "bogus"}, {"old": "abc"}, {"new": "999999999"}):
        assert client.get(compare_url(article, **query)).status_code == 200


def article_versions(article):
    from articles.history import article_versions as versions

    return versions(article)


# A translator's update of their live translation ---------------------------------------------


def test_a_translators_save_of_a_live_translation_is_proposed_to_the_editors(
    client, users, django_capture_on_commit_callbacks
):
    """No dead end: the change form is open, saving stages the change (the live words
    stay on the site) and the editors are told, once each."""
    source = Article.objects.get(language="en", slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    translation = source.versions().filter(language="nl").first() or make_draft(
        users["translator"], language="nl", translation_of=source
    )
    translation.owner = users["translator"]
    translation.save()
    if translation.status != Article.Status.PUBLISHED:
        translation = bring_to(translation, "published", by=users["admin"])
    live_title = translation.title
    client.force_login(users["translator"])
    told = Notification.objects.filter(article=translation, recipient=users["editor"])
    told_before = told.filter(verb="submitted").count()

    page = client.get(change_url(translation)).content.decode()
    assert 'name="_save"' in page  # no longer a dead end

    with django_capture_on_commit_callbacks(execute=True):
        response = save_as(
            client,
            translation,
            title="Lei Jun geeft rollen op voor Xiaomi-auto's",
            translation_of=source.pk,
        )
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.title == live_title and translation.is_live  # readers keep it
    change = staging.pending_change(translation)
    assert change.values["title"] == "Lei Jun geeft rollen op voor Xiaomi-auto's"
    assert told.filter(verb="submitted").count() == told_before + 1
