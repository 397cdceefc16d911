"""The public site in several languages, in a real browser (Debian's Chromium): axe-core
finds no critical or serious problem on the front, article, person and search pages in
English and Dutch; Chinese names render in a CJK font the machine has (Debian's
fonts-noto-cjk; nothing is fetched); screenshots of a Dutch article and of a search for
雷军 are kept under test-artifacts/e2e/."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEARCH_LEI_JUN = "/search/?q=%E9%9B%B7%E5%86%9B"
# Each page readers reach, in English and in Dutch.
PAGES = [
    "/",
    "/nl/",
    "/en/lei-jun-gives-up-roles-for-xiaomi-cars/",
    "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/",
    "/people/lei-jun/",
    "/people/lei-jun/?lang=nl",
    SEARCH_LEI_JUN,
    SEARCH_LEI_JUN + "&lang=nl",
    "/search/?q=xiaomi&lang=nl",
    "/companies/xiaomi/?lang=nl",
    "/stories/lei-jun-hands-over-his-roles/?lang=nl",
]
BLOCKING = {"critical", "serious"}


def describe(url: str, violation: dict) -> str:
    where = "; ".join(
        " ".join(node.get("target", [])) + " " + node.get("failureSummary", "").replace("\n", " ")
        for node in violation["nodes"][:3]
    )
    return f"{url}: {violation['impact']} {violation['id']} ({violation['help']}): {where}"


# One test, so the demo newsroom is loaded into the live server's database only once.
def test_multilingual_pages_in_a_browser(live_server, browser, demo, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    axe = Axe()
    problems, checked = [], 0
    for url in PAGES:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        results = axe.run(page)
        checked += 1
        problems += [
            describe(url, v) for v in results.response["violations"] if v["impact"] in BLOCKING
        ]
    assert checked == len(PAGES)
    assert problems == [], "\n".join(problems)

    # A Dutch article: Dutch sections and thread, the switcher saying Turkish is missing.
    page.goto(live_server.url + "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/")
    assert page.locator(".section-nav").get_by_text("Technologie").is_visible()
    assert page.get_by_role("link", name="Lei Jun draagt zijn functies over").first.is_visible()
    missing = page.locator(".lang-nav .lang-missing")
    assert missing.inner_text().strip().startswith("Türkçe")
    assert page.locator(".lang-nav a[href='/tr/']").count() == 0
    assert page.locator(".versions-missing").inner_text().startswith("Niet beschikbaar in")
    page.screenshot(path=artifacts / "multilingual-article-nl.png", full_page=True)

    # A search in Chinese script finds the person; his name renders in a CJK font.
    page.goto(live_server.url + SEARCH_LEI_JUN)
    block = page.locator(".entity-results")
    assert block.get_by_role("heading", name="People and companies").is_visible()
    assert block.get_by_role("link", name="Lei Jun 雷军").is_visible()
    native = block.locator("span[lang='zh-Hans']")
    assert native.inner_text() == "雷军"
    assert "Noto Sans CJK SC" in rendered_fonts(page, ".entity-results span[lang='zh-Hans']")
    page.screenshot(path=artifacts / "multilingual-search-lei-jun.png", full_page=True)

    # Following the result leads to his page, still in the reader's language.
    page.goto(live_server.url + SEARCH_LEI_JUN + "&lang=nl")
    page.locator(".entity-results").get_by_role("link", name="Lei Jun 雷军").click()
    page.wait_for_load_state()
    assert page.url.endswith("/people/lei-jun/?lang=nl")
    assert page.evaluate("document.documentElement.lang") == "nl"
    context.close()


def rendered_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium drew the element's text with (DevTools protocol), to tell a real
    CJK font from boxes or a fallback nobody chose."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return [font["familyName"] for font in fonts]
