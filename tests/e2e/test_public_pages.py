"""The public pages in a real browser (Debian's Chromium via Playwright): they fit a phone
and a desktop screen, every picture loads, and keyboard users can see where they are."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "/": "en",
    "/tr/": "tr",
    "/en/lei-jun-gives-up-roles-for-xiaomi-cars/": "en",
    "/nl/manu-kumar-jain-verlaat-xiaomi/": "nl",
    "/tr/lei-jun-acik-mektup-xiaomi-dunya-ikincisi/": "tr",
    "/people/lei-jun/?lang=nl": "nl",
    "/companies/xiaomi/": "en",
    "/stories/lei-jun-hands-over-his-roles/": "en",
    "/articles/?person=lei-jun": "en",
    "/nl/bestaat-niet/": "nl",
}


@pytest.fixture
def demo(transactional_db):
    """The flushed database of a live-server test has no demo newsroom (nor the role
    groups, which load_demo puts back)."""
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser(browser, demo):
    """The session's Chromium (tests/e2e/conftest.py), over the demo newsroom."""
    return browser


LAYOUT_CHECK = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 500) {
    window.scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  const images = [...document.images];
  await Promise.all(images.map(img => img.complete ? null : new Promise(resolve => {
    img.addEventListener('load', resolve); img.addEventListener('error', resolve);
  })));
  return {
    lang: document.documentElement.lang,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    broken: images.filter(img => !img.naturalWidth).map(img => img.src),
    images: images.length,
  };
}"""


# One test, so the demo newsroom is loaded into the live server's database only once.
def test_public_pages_in_a_browser(live_server, browser):
    for width, height in [(390, 844), (1280, 900)]:
        check_layout(live_server.url, browser, width, height)
    check_keyboard_use(live_server.url, browser)


def check_layout(base_url, browser, width, height):
    """Pages fit the screen (no sideways scrolling) and every picture loads."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems, pictures = [], 0
    for path, language in PAGES.items():
        page.goto(base_url + path)
        result = page.evaluate(LAYOUT_CHECK)
        pictures += result["images"]
        if result["lang"] != language:
            problems.append((path, "lang", result["lang"]))
        if result["overflow"] > 0:
            problems.append((path, "wider than the screen by", result["overflow"]))
        if result["broken"]:
            problems.append((path, "pictures that did not load", result["broken"]))
    context.close()
    assert problems == [], width
    assert pictures > 20


def check_keyboard_use(base_url, browser):
    """Keyboard users can skip to the story and see where the focus is."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "/en/lei-jun-gives-up-roles-for-xiaomi-cars/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), top: box.top, visible: box.bottom > 0};}"""
    )
    assert focused["text"] == "Skip to content" and focused["visible"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        """() => { const el = document.activeElement; const style = getComputedStyle(el);
        return {inMain: !!el.closest('main'), outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth)}; }"""
    )
    assert outline["inMain"]
    assert outline["outline"] != "none" and outline["width"] >= 2
    # The whole thread opens without JavaScript of ours: it is a <details> element.
    page.get_by_text("The whole thread").first.click()
    assert page.locator("details.whole-thread[open] ol li").count() == 3
    context.close()
