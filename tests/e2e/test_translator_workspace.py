"""The translator's workspace in a real browser: the source beside each field of the
translation, the source paragraph being translated highlighted, the slug following the
translated title; and the writer's inbox and change-requested banner."""

import pytest
from django.db import connections

from articles import workflow
from articles.models import Article
from articles.translation import start_translation
from tests.e2e.conftest import BODY_EDITOR
from tests.editorial import bring_to, make_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username, password):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


@pytest.fixture
def translation(demo, media_root):
    from django.contrib.auth import get_user_model

    source = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    translator = get_user_model().objects.get(username="translator")
    return start_translation(source, language="tr", user=translator)


def test_a_translator_sees_the_source_beside_each_field(
    browser, live_server, artifacts, translation
):
    try:
        check_workspace(browser, live_server, artifacts, translation)
    finally:
        connections.close_all()  # see tests/e2e/test_editorial_panels.py


def check_workspace(browser, live_server, artifacts, translation):
    source = translation.translation_of
    context, page = login(browser, live_server, "translator", "newsroom-translator")
    page.goto(f"{live_server.url}/admin/articles/article/{translation.pk}/change/")

    # Beside the title field, on the same line: the source's title.
    title_box = page.locator("#id_title").bounding_box()
    pane = page.locator('[data-source-pane="title"]')
    assert pane.is_visible()
    assert source.title in pane.inner_text()
    pane_box = pane.bounding_box()
    assert pane_box["x"] >= title_box["x"] + title_box["width"]
    assert pane_box["y"] < title_box["y"] + title_box["height"]
    assert title_box["y"] < pane_box["y"] + pane_box["height"]
    assert page.locator('[data-source-pane="standfirst"]').is_visible()

    # The body's source, paragraph by paragraph, beside the body.
    blocks = page.locator('[data-source-pane="body"] li[data-block]')
    assert blocks.count() >= 3
    editor = page.locator(BODY_EDITOR)  # the rich-text editor stands in for #id_body
    body_box = editor.bounding_box()
    body_pane = page.locator('[data-source-pane="body"]').bounding_box()
    assert body_pane["x"] >= body_box["x"] + body_box["width"]

    # Put the caret in the translation's second paragraph: the second source paragraph lights up.
    editor.locator("p").nth(1).click()
    page.keyboard.press("ArrowRight")
    current = page.locator('[data-source-pane="body"] li.current')
    assert current.count() == 1
    assert current.inner_text() == blocks.nth(1).inner_text()
    page.screenshot(path=str(artifacts / "translator-workspace.png"), full_page=True)

    # The slug is still the source's: it follows the translated title as it is typed.
    assert page.input_value("#id_slug") == source.slug
    page.fill("#id_title", "Lei Jun, Kingsoft'taki görevini bıraktı")
    assert page.input_value("#id_slug") == "lei-jun-kingsofttaki-gorevini-birakti"
    assert page.inner_text("[data-suggested-slug]") == "lei-jun-kingsofttaki-gorevini-birakti"
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    translation.refresh_from_db()
    assert translation.slug == "lei-jun-kingsofttaki-gorevini-birakti"
    context.close()


def test_a_writer_reads_the_change_request_in_the_inbox_and_on_the_form(
    browser, live_server, artifacts, demo, media_root
):
    try:
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.all()}
        article = bring_to(
            make_draft(users["writer"], title="Xiaomi opens a car plant"),
            "in_review",
            by=users["admin"],
        )
        workflow.request_changes(article, user=users["editor"], comment="Add the plant's size.")
        context, page = login(browser, live_server, "writer", "newsroom-writer")
        unread = int(page.inner_text("#user-tools .unread-count"))
        assert unread >= 1
        inbox = page.locator("#inbox")
        first = inbox.locator("li.notification.unread").first
        assert "Esther Editor requested changes to “Xiaomi opens a car plant”" in first.inner_text()
        assert "Add the plant's size." in first.inner_text()
        page.screenshot(path=str(artifacts / "inbox.png"), full_page=True)

        first.locator("a.what").click()
        banner = page.locator(".review-banner")
        assert "Changes requested by Esther Editor" in banner.inner_text()
        assert "Add the plant's size." in banner.inner_text()
        page.screenshot(path=str(artifacts / "changes-requested-banner.png"))
        page.goto(f"{live_server.url}/admin/")
        after = page.locator("#user-tools .unread-count")
        assert (int(after.inner_text()) if after.count() else 0) == unread - 1
        context.close()
    finally:
        connections.close_all()
