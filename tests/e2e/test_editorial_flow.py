"""A story's way from a writer's draft to the front page, in a real browser, with a
screenshot of every step in test-artifacts/e2e/."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import type_body

TITLE = "Xiaomi opens its first car factory in Beijing"
REVISED_TITLE = "Xiaomi opens its first car factory, in Beijing's Yizhuang district"
SLUG = "xiaomi-opens-first-car-factory-beijing"

pytestmark = pytest.mark.django_db(transaction=True)


class Desk:
    """One person at their browser."""

    def __init__(self, browser, live_server, artifacts, name):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = live_server.url
        self.artifacts = artifacts
        self.name = name

    def go(self, path):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def log_in(self, username, password):
        self.go("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("input[type=submit]")
        expect(self.page.locator("#user-tools")).to_contain_text("Welcome")

    def shot(self, step):
        self.page.screenshot(path=str(self.artifacts / f"{step}-{self.name}.png"), full_page=True)

    def open_article(self, title):
        """From the admin's desk (the dashboard), open the article by its title."""
        self.go("/admin/")
        self.page.locator(".desk").get_by_role("link", name=title).first.click()
        expect(self.page.locator("#workflow-title")).to_be_visible()

    def take_step(self, button, comment=""):
        if comment:
            self.page.fill("#wf-comment", comment)
        self.page.locator(".workflow-buttons").get_by_role("button", name=button).click()
        expect(self.page.locator(".messagelist .success")).to_contain_text("done")

    def close(self):
        self.context.close()


def test_a_story_from_draft_to_front_page_and_back_in_history(
    browser, live_server, demo, artifacts
):
    writer = Desk(browser, live_server, artifacts, "writer")
    editor = Desk(browser, live_server, artifacts, "editor")
    reader = Desk(browser, live_server, artifacts, "reader")
    try:
        # 1. The writer drafts the story and sends it to the editors.
        writer.log_in("writer", "newsroom-writer")
        writer.go("/admin/articles/article/add/")
        page = writer.page
        page.select_option("#id_language", "en")
        page.fill("#id_title", TITLE)
        page.press("#id_title", "Tab")  # the admin's script fills the slug in on change
        expect(page.locator("#id_slug")).not_to_have_value("")
        page.fill("#id_slug", SLUG)
        page.fill("#id_standfirst", "The plant will build the company's first electric car.")
        type_body(page, "Xiaomi has opened a car factory in Beijing.")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
        writer.shot("01-draft-saved")
        writer.take_step("Submit for review", "Ready for a read.")
        expect(page.locator(".workflow-status")).to_have_text("In review")
        writer.shot("02-submitted")
        article = Article.objects.get(language="en", slug=SLUG)
        assert article.status == Article.Status.IN_REVIEW and article.owner.username == "writer"

        # 2. The editor finds it waiting for review and asks for a change.
        editor.log_in("editor", "newsroom-editor")
        expect(editor.page.locator(".desk")).to_contain_text(TITLE)
        editor.shot("03-dashboard")
        editor.open_article(TITLE)
        editor.take_step("Request changes", "Say where in Beijing: the district matters.")
        expect(editor.page.locator(".workflow-status")).to_have_text("Changes requested")
        editor.shot("04-changes-requested")

        # 3. The writer sees the request, revises and resubmits.
        writer.go("/admin/")
        expect(writer.page.locator(".desk")).to_contain_text("Changes requested of you")
        writer.open_article(TITLE)
        expect(writer.page.locator(".timeline")).to_contain_text("the district matters")
        writer.shot("05-request-seen")
        writer.page.fill("#id_title", REVISED_TITLE)
        type_body(writer.page, "Xiaomi has opened a car factory in Beijing's Yizhuang district.")
        writer.page.click("input[name=_continue]")
        expect(writer.page.locator(".messagelist .success")).to_contain_text("changed successfully")
        writer.take_step("Submit for review", "District added.")
        writer.shot("06-resubmitted")

        # 4. The editor approves and publishes.
        editor.open_article(REVISED_TITLE)
        editor.take_step("Approve")
        editor.take_step("Publish / schedule")
        expect(editor.page.locator(".workflow-status")).to_have_text("Published")
        editor.shot("07-published")
        article.refresh_from_db()
        assert article.is_live

        # 5. A reader finds it on the front page and opens it.
        reader.go("/en/")
        link = reader.page.get_by_role("link", name=REVISED_TITLE)
        expect(link).to_be_visible()
        reader.shot("08-front-page")
        link.click()
        expect(reader.page.locator("h1")).to_have_text(REVISED_TITLE)
        expect(reader.page.locator(".preview-banner")).to_have_count(0)
        reader.shot("09-article-page")

        # 6. The editor compares the first and the revised version, then reverts.
        editor.go(f"/admin/articles/article/{article.pk}/history/")
        rows = editor.page.locator("#change-history tbody tr")
        rows.last.locator("input[name=old]").check()  # the first draft, oldest at the bottom
        rows.first.locator("input[name=new]").check()
        editor.shot("10-history")
        editor.page.get_by_role("button", name="Compare selected versions").click()
        title_row = editor.page.locator(".diff-table tr", has_text="Title")
        expect(title_row.locator("ins").last).to_have_text("'s Yizhuang district")
        expect(title_row.locator("del")).to_have_count(0)
        editor.shot("11-compare")
        editor.page.get_by_role("link", name=re.compile("Revert to the older version")).click()
        editor.page.fill("#revert-comment", "Back to the short headline")
        editor.shot("12-revert-confirm")
        editor.page.get_by_role("button", name="Revert to this version").click()
        expect(editor.page.locator(".messagelist .success")).to_contain_text("Reverted")
        expect(editor.page.locator("#id_title")).to_have_value(TITLE)
        expect(editor.page.locator(".workflow-status")).to_have_text("Published")
        editor.shot("13-reverted")

        reader.go(article.get_absolute_url())
        expect(reader.page.locator("h1")).to_have_text(TITLE)
        reader.shot("14-reader-sees-revert")
    finally:
        for desk in (writer, editor, reader):
            desk.close()
