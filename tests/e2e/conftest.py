"""End-to-end tests: Debian's Chromium, driven by Playwright, against the live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: install it with `apt-get install chromium`"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (NEWSROOM_REQUIRE_BROWSER=1: CI must not skip these)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in the test's thread, and
    # Django then refuses ORM calls there (SynchronousOnlyOperation; checked: the tests
    # fail without this). The loop is Playwright's; the test code is plain synchronous
    # Django, so it is safe, for as long as the browser is open.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def artifacts():
    """Screenshots of every step land here (git-ignored), fresh for each run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def demo(transactional_db):
    """The live server's database is flushed between tests: build the demo newsroom."""
    from tests.editorial import load_demo_newsroom

    load_demo_newsroom()


BODY_EDITOR = ".field-body .prose-editor > .ProseMirror"


def type_body(page, text, *, replace=True):
    """Type into the article body's editor as a person would (replacing what is there)."""
    editor = page.locator(BODY_EDITOR)
    # Focus, not a click: ProseMirror settles a click's caret a moment later, which under
    # load lands after the key below and puts the words where the mouse was.
    editor.focus()
    settle(page)
    if replace:
        page.keyboard.press("Control+A")
    else:
        page.keyboard.press("Control+End")
    page.keyboard.type(text)


def settle(page):
    """Let the editor finish a toolbar command: Tiptap gives the focus (and the caret)
    back on the next animation frame, and keys pressed before then go astray."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
