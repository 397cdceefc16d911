"""The article change page's translation and mention panels, in a real browser.

Their buttons belong to the change page's one form (they save what was typed, then act),
so two things only a browser can show: a click takes the panel's step, and pressing Enter
in a text field still saves the article rather than pressing one of them.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connections

from articles.models import Article
from people.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, media_root):
    """An editor's page in the session's Chromium (tests/e2e/conftest.py)."""
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "newsroom-editor")
    page.click("input[type=submit]")
    yield page
    context.close()


def test_panel_buttons_act_and_enter_still_saves(page, live_server):
    try:
        check_panels(page, live_server)
    finally:
        # With Playwright's sync API running, the test's ORM calls get a database
        # connection of their own (not the fixture's); close it, or PostgreSQL refuses
        # to drop the test database afterwards.
        connections.close_all()


def check_panels(page, live_server):
    writer_draft = Article.objects.create(
        language="en",
        title="Lei Jun meets Wang at Kingsoft",
        slug="lei-jun-meets-wang",
        body="<p>Lei Jun'un ekibi and Xiaomi’s board met.</p>",
    )
    url = f"{live_server.url}/admin/articles/article/{writer_draft.pk}/change/"
    page.goto(url)
    lei_jun = Person.objects.get(slug="lei-jun")
    page.click(f"button[value='person:{lei_jun.pk}']")
    assert page.url == url
    assert "Linked Lei Jun." in page.locator(".messagelist").inner_text()
    assert list(writer_draft.people.all()) == [lei_jun]

    page.click("button[name='_translate'][value='nl']")
    draft = writer_draft.versions().get(language="nl")
    assert page.url.endswith(f"/admin/articles/article/{draft.pk}/change/")
    assert "In progress" in page.locator(".field-translations_panel").inner_text()

    page.goto(url)
    page.fill("#id_title", "Lei Jun meets Wang Hua at Kingsoft")
    page.press("#id_title", "Enter")
    page.wait_for_load_state()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    writer_draft.refresh_from_db()
    assert writer_draft.title == "Lei Jun meets Wang Hua at Kingsoft"
    assert writer_draft.versions().count() == 2  # Enter did not start another translation
