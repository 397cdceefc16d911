"""A writer's edit of their live story, in a real browser: readers keep the published
words until an editor publishes the change, with a correction note readers then see."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.test_editorial_flow import Desk
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db(transaction=True)

LIVE_TITLE = "Xiaomi's quarterly revenue holds steady"
PROPOSED_TITLE = "Xiaomi's quarterly revenue falls for the first time"


def test_a_staged_edit_waits_for_an_editor_then_goes_live(browser, live_server, demo, artifacts):
    users = {u.username: u for u in get_user_model().objects.all()}
    article = bring_to(
        make_draft(users["writer"], title=LIVE_TITLE, slug="xiaomi-quarterly-revenue-staged"),
        "published",
        by=users["admin"],
    )
    public = article.get_absolute_url()
    reader = Desk(browser, live_server, artifacts, "reader")
    writer = Desk(browser, live_server, artifacts, "writer")
    editor = Desk(browser, live_server, artifacts, "editor")
    try:
        reader.go(public)
        expect(reader.page.locator("h1")).to_have_text(LIVE_TITLE)

        writer.log_in("writer", "newsroom-writer")
        writer.go(f"/admin/articles/article/{article.pk}/change/")
        expect(writer.page.locator(".pending-change-panel")).to_contain_text(
            "kept as a proposed change"
        )
        writer.page.fill("#id_title", PROPOSED_TITLE)
        writer.page.locator("input[name=_save]").first.click()
        expect(writer.page.locator(".messagelist .success")).to_contain_text(
            "Saved as a proposed change"
        )
        expect(writer.page.locator("#id_title")).to_have_value(PROPOSED_TITLE)
        writer.shot("staged-1-proposed")

        reader.go(public)  # the public page keeps the published words
        expect(reader.page.locator("h1")).to_have_text(LIVE_TITLE)

        editor.log_in("editor", "newsroom-editor")
        editor.go("/admin/")
        proposed = editor.page.locator(".module", has_text="Changes proposed to live articles")
        proposed.get_by_role("link", name=LIVE_TITLE).click()
        expect(editor.page.locator(".diff-table")).to_contain_text("falls for the first time")
        editor.shot("staged-2-review")
        editor.page.fill("#id_correction_note", "The headline misstated the trend.")
        editor.page.get_by_role("button", name="Publish this change").click()
        expect(editor.page.locator(".messagelist .success")).to_contain_text("Published")

        reader.go(public)
        expect(reader.page.locator("h1")).to_have_text(PROPOSED_TITLE)
        expect(reader.page.locator(".corrections")).to_contain_text(
            "The headline misstated the trend."
        )
        reader.shot("staged-3-public")
    finally:
        for desk in (reader, writer, editor):
            desk.close()
