"""The subscribe page's Copy buttons in a real browser, with and without JavaScript."""

import pytest

# `browser` is the session's Chromium from tests/e2e/conftest.py.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_copy_button_puts_the_feed_address_on_the_clipboard(live_server, browser):
    # An empty newsroom still has one feed per language, which is all this needs.
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/feeds/")
    field = page.locator("#feed-nl")
    button = page.locator('.copy-button[data-copy-target="feed-nl"]')
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
    assert field.input_value().endswith("/feeds/nl/rss.xml")
    assert button.text_content().startswith("✓")
    context.close()


def test_without_javascript_the_address_is_there_to_select_and_no_dead_button(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/feeds/")
    field = page.locator("#feed-en")
    assert field.is_visible() and field.get_attribute("readonly") is not None
    assert field.input_value().endswith("/feeds/en/rss.xml")
    assert page.locator(".copy-button").first.is_hidden()
    context.close()
