"""The Content-Security-Policy breaks nothing: readers' pages and the admin's busiest
forms, used in Chromium, report no CSP violation (securitypolicyviolation events and
console messages alike); the login page with its two-factor field, and the two-factor
set-up page with its QR code, look right."""

import io

import pytest
from django.core.management import call_command
from django.db import connections

from articles.models import Article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts (Playwright injects it outside the page's
# CSP): every violation is recorded where the test can read it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`
  );
});
"""


class Watcher:
    """Collects CSP violations from events and console messages across page loads."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.found: list[str] = []
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def check(self, what: str) -> None:
        self.page.wait_for_load_state("load")
        events = self.page.evaluate("window.__cspViolations || []")
        self.found += [f"{what}: {v}" for v in events]
        self.found += [f"{what}: {c}" for c in self.console]
        self.console.clear()


@pytest.fixture
def browsing(browser, live_server, media_root):
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    yield page, Watcher(page)
    context.close()
    # The ORM calls made while Playwright runs use a connection of their own: close it,
    # or PostgreSQL refuses to drop the test database afterwards.
    connections.close_all()


def test_readers_pages_run_under_the_policy(browsing, live_server, artifacts):
    page, watcher = browsing
    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    for path in [
        "/",
        article.get_absolute_url(),
        "/nl/",
        "/people/lei-jun/",
        "/companies/xiaomi/",
        "/search/?q=xiaomi",
        "/articles/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
        watcher.check(path)
    # JSON-LD is in the page (data, not run) and did not count as a violation.
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator('script[type="application/ld+json"]').count() >= 1
    watcher.check("article again")
    # The subscribe page's script (a static file) runs: its Copy buttons show.
    page.goto(f"{live_server.url}/feeds/")
    assert page.locator(".copy-button").first.is_visible()
    watcher.check("/feeds/")
    page.screenshot(path=str(artifacts / "csp-feeds.png"), full_page=False)
    assert watcher.found == []

    # The watcher does see a violation when there is one: an injected inline script.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    watcher.check("injected script")
    assert page.evaluate("window.ran === undefined")
    assert len(watcher.found) >= 1 and "script-src" in watcher.found[0]


def test_the_admin_runs_under_its_policy(browsing, live_server, artifacts):
    page, watcher = browsing
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("#id_otp_token").is_visible()
    page.screenshot(path=str(artifacts / "csp-login.png"))
    watcher.check("login")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "newsroom-editor")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    watcher.check("dashboard")

    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    watcher.check("change form")
    # The widgets that run the most script: an autocomplete (select2), the two-list
    # rich-text body editor, the date/time shortcuts and the related-object buttons.
    page.click(".field-people .select2-selection")
    page.keyboard.type("Lei")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    # The body editor (ProseMirror) started under the policy.
    assert page.locator(".field-body .prose-editor > .ProseMirror").count() == 1
    watcher.check("change form widgets")
    page.screenshot(path=str(artifacts / "csp-change-form.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("A headline typed in the browser")
    # Django's prepopulate script (a static file) fills the slug from the title.
    assert page.input_value("#id_slug") == "a-headline-typed-in-the-browser"
    watcher.check("add form")

    for path in [
        "/admin/articles/article/",
        "/admin/articles/article/?state=draft&q=xiaomi",
        f"/admin/articles/article/{article.pk}/history/",
        f"/admin/articles/article/{article.pk}/history/compare/",
        f"/admin/articles/article/{article.pk}/mentions/",
        "/admin/articles/image/",
        "/admin/people/person/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        watcher.check(path)

    page.goto(f"{live_server.url}/admin/two-factor/")
    page.click("input[value='Set up an authenticator app']")
    assert page.locator(".two-factor-qr svg").is_visible()
    page.screenshot(path=str(artifacts / "csp-two-factor.png"), full_page=True)
    watcher.check("two-factor set-up")
    assert watcher.found == []


def test_the_lockout_page_says_what_happened(browsing, live_server, artifacts, settings):
    page, watcher = browsing
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "writer")
        page.fill("#id_password", "not-the-password")
        page.click("input[type=submit]")
    assert page.locator("h1").inner_text() == "Sign-in paused"
    assert "ask an administrator" in page.locator("#content-main").inner_text()
    page.screenshot(path=str(artifacts / "lockout.png"))
    watcher.check("lockout page")
    assert watcher.found == []
