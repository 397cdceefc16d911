"""The API's interactive docs (/api/v1/docs) in a real browser: Swagger UI comes from this
site (no request leaves it), runs under the page's Content-Security-Policy without a
single violation, lists every operation and can call one."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_work_from_this_site_alone_under_a_strict_policy(
    live_server, browser, demo, artifacts
):
    page = browser.new_page()
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    response = page.goto(f"{live_server.url}/api/v1/docs")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy

    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() == 11
    assert page.locator(".opblock-summary-path", has_text="/api/v1/articles/{id}").count() == 1

    page.screenshot(path=str(artifacts / "api-docs.png"))

    # Call one operation from the page: the browser fetches from this site (connect-src).
    page.locator(".opblock-summary-path", has_text="/api/v1/stories").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.text_content().strip() == "200"
    assert "lei-jun-hands-over-his-roles" in page.locator(".live-responses-table").text_content()
    page.screenshot(path=str(artifacts / "api-docs-call.png"))

    outside = [url for url in requested if not url.startswith((live_server.url, "data:"))]
    assert not outside, outside
    assert not refused, refused
    page.close()
