"""The body editor (articles/desk/editor.py): what it writes stays inside the sanitiser's
policy, the picture picker, and the editor's place on the form."""

import json

import pytest
from django.urls import reverse

from articles.desk import editor
from articles.models import Article
from articles.sanitise import ALLOWED_TAGS, sanitise_html
from tests.articles.test_renditions import make_image
from tests.editorial import roleless_user

pytestmark = pytest.mark.django_db

# What the configured editor wrote for a body using every feature (taken from the editor
# in Chromium: tests/e2e/test_writing_desk.py checks the live editor against the server).
EDITOR_OUTPUT = (
    "<h2>Heading</h2><h3>Sub</h3>"
    "<p>Some <strong>bold</strong>, <em>italic</em>, "
    '<a href="https://example.com/x?a=1&amp;b=2" title="T" rel="noopener noreferrer">a link</a>, '
    "<q>quoted</q>.<br>Line two</p>"
    "<ul><li><p>One</p></li></ul><ol><li><p>Two</p></li></ol>"
    "<blockquote><p>Quoted</p></blockquote>"
    '<figure><img src="/media/images/a.jpg" alt="A &quot;car&quot;" width="960" height="640">'
    "<figcaption>Cap &amp; credit</figcaption></figure>"
    "<p>End</p>"
)


def test_editor_output_round_trips_through_the_sanitiser_unchanged():
    assert sanitise_html(EDITOR_OUTPUT) == EDITOR_OUTPUT


def test_an_article_saved_with_editor_output_stores_it_as_written(users):
    article = Article.objects.create(
        language="en", title="Round trip", slug="round-trip", body=EDITOR_OUTPUT
    )
    article.refresh_from_db()
    assert article.body == EDITOR_OUTPUT


def test_the_editor_can_write_only_tags_the_sanitiser_keeps():
    assert editor.allowed_tags() <= ALLOWED_TAGS
    assert {"h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote"} <= (
        editor.allowed_tags()
    )
    assert not {"h1", "h4", "table", "span", "code", "s", "u"} & editor.allowed_tags()


def test_what_the_sanitiser_removes_from_pasted_markup_the_editor_never_wrote():
    pasted = (
        '<p class="MsoNormal" style="color:red" onclick="x()">Word <b>bold</b></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">bad</a>'
    )
    assert sanitise_html(pasted) == '<p>Word <b>bold</b></p><a rel="noopener noreferrer">bad</a>'


def test_the_widget_names_its_extensions_and_the_librarys_bundle(client, users):
    client.force_login(users["writer"])
    page = client.get(reverse("admin:articles_article_add"))
    widget = page.context["adminform"].form.fields["body"].widget
    assert isinstance(widget, editor.BodyEditorWidget)
    html = page.content.decode()
    assert 'data-editor-module="/static/django_prose_editor/editor.js"' in html
    assert '<script src="/static/admin/js/article-editor.js" type="module"></script>' in html
    config = json.loads(widget.get_context("body", "", {})["widget"]["attrs"]["data-body-editor"])
    assert set(config["extensions"]) == {*editor.EXTENSIONS, "Quotation", "LibraryImage"}
    assert config["imagePicker"] == reverse("admin:articles_image_picker")
    assert "<script>" not in html.split('id="article_form"')[1]  # nothing inline to run


def test_word_count_and_reading_time():
    assert editor.describe_length("<p>One two</p><p>three</p>") == ("3 words · about 1 min to read")
    assert editor.describe_length("") == "0 words"
    assert editor.reading_minutes(editor.READING_SPEED * 2 + 1) == 3


def test_the_picture_picker_lists_library_images_with_their_words(client, users, media_root):
    image = make_image(alt="Lei Jun on stage")
    image.credit = "Photo: Xiaomi"
    image.save()
    client.force_login(users["writer"])
    url = reverse("admin:articles_image_picker")
    found = client.get(url, {"q": "on stage"}).json()["images"]
    assert [(i["id"], i["alt"], i["credit"]) for i in found] == [
        (image.pk, "Lei Jun on stage", "Photo: Xiaomi")
    ]
    assert found[0]["src"] and found[0]["width"]
    assert client.get(url, {"q": "nothing like this"}).json() == {"images": []}
    assert client.get(url, {"q": "a\x00b"}).status_code == 200
    client.force_login(users["translator"])  # may view images too
    assert client.get(url).status_code == 200


def test_the_picture_picker_is_for_staff_who_may_see_images(client):
    client.force_login(roleless_user())
    assert client.get(reverse("admin:articles_image_picker")).status_code == 403
