"""The writing desk in a real browser: the body editor, no typed word lost (save first,
then act; a warning before leaving; autosave in the browser) and axe-core on the desk."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import ARTIFACTS, BODY_EDITOR, settle, type_body
from tests.editorial import make_draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(browser, live_server, demo):
    """A browser context (its own cookies and localStorage) and a way to log in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def log_in(username, password):
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        expect(page.locator("#user-tools")).to_contain_text("Welcome")
        return page

    yield context, log_in
    context.close()
    # The test's ORM calls ran on a connection of their own (see test_editorial_panels).
    connections.close_all()


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def writers_draft():
    from django.contrib.auth import get_user_model

    writer = get_user_model().objects.get(username="writer")
    return make_draft(writer, title="Xiaomi's car plant", body="<p>First words.</p>")


def test_submit_for_review_right_after_typing_keeps_the_typed_words(desk, live_server):
    _context, log_in = desk
    draft = writers_draft()
    page = log_in("writer", "newsroom-writer")
    page.goto(change_url(live_server, draft))
    page.fill("#id_title", "Xiaomi's car plant opens in Beijing")
    type_body(page, " The plant opened on Tuesday.", replace=False)
    page.fill("#wf-comment", "Ready for a read")
    # Straight to the workflow button: no Save pressed first.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("Your changes are saved.")
    expect(page.locator(".messagelist")).to_contain_text("Submit for review: done.")
    expect(page.locator(".workflow-status")).to_have_text("In review")
    draft.refresh_from_db()
    assert draft.title == "Xiaomi's car plant opens in Beijing"
    assert draft.body == "<p>First words. The plant opened on Tuesday.</p>"
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.events.first().comment == "Ready for a read"
    # In review the writer reads the body rendered, not its markup.
    expect(page.locator(".rendered-body")).to_have_text("First words. The plant opened on Tuesday.")
    page.screenshot(path=str(ARTIFACTS / "desk-submitted.png"), full_page=True)


def test_leaving_a_changed_form_warns_and_a_clean_one_does_not(desk, live_server):
    _context, log_in = desk
    draft = writers_draft()
    page = log_in("writer", "newsroom-writer")
    url = change_url(live_server, draft)
    page.goto(url)
    page.locator(BODY_EDITOR).wait_for()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    page.get_by_role("link", name="History").click()
    page.wait_for_load_state()
    assert dialogs == [] and "/history/" in page.url  # nothing typed: no question

    page.goto(url)
    type_body(page, " Words not yet saved.", replace=False)
    page.get_by_role("link", name="History").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == url  # stayed, with the words
    expect(page.locator(BODY_EDITOR)).to_contain_text("Words not yet saved.")


def test_autosaved_words_come_back_after_the_tab_is_closed(desk, live_server):
    context, log_in = desk
    draft = writers_draft()
    page = log_in("writer", "newsroom-writer")
    url = change_url(live_server, draft)
    page.goto(url)
    page.fill("#id_title", "A headline typed before the crash")
    type_body(page, " A sentence typed before the crash.", replace=False)
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved \d\d:\d\d"))
    page.close()  # no save pressed; the tab is gone
    draft.refresh_from_db()
    assert draft.title == "Xiaomi's car plant"  # nothing reached the server

    page = context.new_page()
    page.goto(url)
    expect(page.locator(".autosave-restored")).to_contain_text("were kept in this browser")
    expect(page.locator("#id_title")).to_have_value("A headline typed before the crash")
    expect(page.locator(BODY_EDITOR)).to_contain_text("A sentence typed before the crash.")
    page.screenshot(path=str(ARTIFACTS / "desk-restored.png"), full_page=True)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("changed successfully")
    draft.refresh_from_db()
    assert draft.title == "A headline typed before the crash"
    assert draft.body == "<p>First words. A sentence typed before the crash.</p>"
    # Saved in the newsroom: the browser's copy is gone, nothing is offered again.
    page.reload()
    expect(page.locator(BODY_EDITOR)).to_be_visible()
    expect(page.locator(".autosave-restored")).to_have_count(0)


def test_pasted_html_keeps_its_structure_and_loses_styles_and_scripts(desk, live_server):
    _context, log_in = desk
    draft = writers_draft()
    page = log_in("writer", "newsroom-writer")
    page.goto(change_url(live_server, draft))
    editor = page.locator(BODY_EDITOR)
    editor.focus()
    page.keyboard.press("Control+A")
    pasted = (
        '<h1 style="font-size:40px">Lei Jun</h1>'
        '<p class="MsoNormal" style="color:red"><span style="font-family:Calibri">He '
        '<b>left</b> <font color="blue">four</font> boards.</span></p>'
        "<ul><li>Kingsoft</li><li>Xiaomi Finance</li></ul>"
        '<script>alert("x")</script><img src="x" onerror="alert(1)">'
    )
    page.evaluate(
        """([selector, html]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "plain");
            const paste = new ClipboardEvent(
                "paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector(selector).dispatchEvent(paste);
        }""",
        [BODY_EDITOR, pasted],
    )
    body = page.locator("#id_body").input_value()
    assert body == (
        "<p>Lei Jun</p><p>He <strong>left</strong> four boards.</p>"
        "<ul><li><p>Kingsoft</p></li><li><p>Xiaomi Finance</p></li></ul>"
    )
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    draft.refresh_from_db()
    assert draft.body == body  # the sanitiser had nothing left to take out


PAGES = [
    ("dashboard", "/admin/"),
    ("article list", "/admin/articles/article/"),
    ("article form", None),
    ("new article form", "/admin/articles/article/add/"),
]


@pytest.mark.parametrize(
    ("username", "password"), [("editor", "newsroom-editor"), ("writer", "newsroom-writer")]
)
def test_axe_finds_no_critical_or_serious_problem_on_the_desk(
    desk, live_server, username, password
):
    _context, log_in = desk
    page = log_in(username, password)
    article = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    axe = Axe()
    problems = {}
    for name, path in PAGES:
        page.goto(live_server.url + (path or f"/admin/articles/article/{article.pk}/change/"))
        page.wait_for_load_state("load")
        if "/change/" in page.url or "/add/" in page.url:
            page.locator(BODY_EDITOR).or_(page.locator(".rendered-body")).first.wait_for()
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in {"critical", "serious"}
        ]
        if bad:
            problems[name] = bad
    assert problems == {}


def test_a_body_formatted_with_the_toolbar_reads_the_same_on_the_public_page(
    desk, live_server, media_root
):
    from django.contrib.auth import get_user_model

    from articles.models import Image
    from tests.articles.test_renditions import make_image
    from tests.editorial import bring_to

    picture = make_image(alt="Assembly line at the Beijing plant")
    assert Image.objects.filter(pk=picture.pk).exists()
    _context, log_in = desk
    draft = writers_draft()
    page = log_in("writer", "newsroom-writer")
    page.goto(change_url(live_server, draft))
    editor = page.locator(BODY_EDITOR)
    menu = page.locator(".field-body .prose-menubar")
    editor.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("The plant")
    menu.locator(".prose-menubar__selected").click()  # the block-type menu: heading 2
    settle(page)
    menu.locator("[data-name=heading2]").click()
    settle(page)
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    menu.get_by_role("button", name="bold", exact=True).click()
    settle(page)
    page.keyboard.type("Xiaomi")
    menu.get_by_role("button", name="bold", exact=True).click()
    settle(page)
    page.keyboard.type(" builds cars, says the report today.")
    page.keyboard.press("Enter")
    menu.get_by_role("button", name="unordered list").click()
    settle(page)
    page.keyboard.type("SU7 saloon")
    page.keyboard.press("Enter")
    page.keyboard.type("YU7 crossover")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    menu.get_by_role("button", name="blockquote").click()
    settle(page)
    page.keyboard.type("Full speed ahead!")
    page.keyboard.press("Enter")
    menu.get_by_role("button", name="blockquote").click()  # out of the quotation
    settle(page)
    menu.get_by_role("button", name="Insert a picture from the image library").click()
    settle(page)
    page.locator(".image-picker-choice", has_text="Assembly line").click()
    page.get_by_role("button", name="Insert picture").click()
    settle(page)
    # Last, a link: select the word (as a mouse would), then the link button.
    page.evaluate(
        """(selector) => {
            const area = document.querySelector(selector);
            const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.data.includes("the report")) {}
            const range = document.createRange();
            const at = node.data.indexOf("report");
            range.setStart(node, at);
            range.setEnd(node, at + "report".length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        BODY_EDITOR,
    )
    settle(page)
    menu.get_by_role("button", name="insert link").click()
    settle(page)
    page.fill("dialog[open] input[name=href]", "https://example.com/report")
    page.locator("dialog[open] button[type=submit]").click()
    expect(editor.locator("a[href='https://example.com/report']")).to_have_text("report")
    body = page.locator("#id_body").input_value()
    assert body.startswith(
        "<h2>The plant</h2><p><strong>Xiaomi</strong> builds cars, says the "
        '<a href="https://example.com/report" rel="noopener noreferrer">report</a> today.</p>'
        "<ul><li><p>SU7 saloon</p></li><li><p>YU7 crossover</p></li></ul>"
        "<blockquote><p>Full speed ahead!</p></blockquote>"
    ), body
    assert (
        '<figure><img src="/media/' in body and 'alt="Assembly line at the Beijing plant"' in body
    )
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    draft.refresh_from_db()
    assert draft.body == body  # the sanitiser kept every bit of it

    admin = get_user_model().objects.get(username="admin")
    bring_to(draft, "published", by=admin)
    reader = page.context.browser.new_page()
    reader.goto(live_server.url + draft.get_absolute_url())
    story = reader.locator(".story-body")
    assert story.inner_html() == body
    expect(story.locator("h2")).to_have_text("The plant")
    expect(story.locator("a[href='https://example.com/report']")).to_have_text("report")
    expect(story.locator("figure img")).to_have_attribute(
        "alt", "Assembly line at the Beijing plant"
    )
    reader.screenshot(path=str(ARTIFACTS / "desk-formatted-public.png"), full_page=True)
    reader.close()


def test_the_demos_bodies_open_unchanged_and_keep_their_words_when_edited(desk, live_server):
    from newsroom.text import html_to_text

    _context, log_in = desk
    page = log_in("editor", "newsroom-editor")
    page.on("dialog", lambda dialog: dialog.accept())
    for article in Article.objects.exclude(body="").order_by("pk"):
        page.goto(change_url(live_server, article))
        page.locator(BODY_EDITOR).wait_for()
        # Opened and not touched: the field still holds exactly the stored HTML.
        assert page.locator("#id_body").input_value() == article.body
        # Edited: the editor writes the whole body again, every word (and inline
        # quotation, heading and list) still there.
        type_body(page, " Checked.", replace=False)
        written = page.locator("#id_body").input_value()
        assert html_to_text(written) == html_to_text(article.body) + " Checked.", article.slug
        for tag in ("<q>", "<h2>", "<ul>", "<a "):
            assert (tag in written) == (tag in article.body), (article.slug, tag)
        page.goto("about:blank")  # leaving a changed form: "leave" (see the handler)
