"""Limits with clear answers: an overlong body is a form error that keeps the text, an
oversized wire file is refused with its size, and the name finder reads a bounded amount."""

import io
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.importer import REJECTED, Rejected, WireImporter, parse_wire_copy
from articles.models import Article
from people import linking
from people.models import Person
from tests.articles.test_admin import article_form_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
DJANGO_DEFAULT_FORM_LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE out of the box


def long_body(size: int, *, marker: str = "LAST-WORDS-TYPED") -> str:
    paragraph = "<p>Lei Jun said the foldable would ship in spring &amp; summer — “soon”.</p>\n"
    return paragraph * (size // len(paragraph)) + f"<p>{marker}</p>"


def post_like_a_browser(client, url: str, data: dict):
    """The admin's change form has no file field: browsers send it URL-encoded."""
    encoded = urlencode(data, doseq=True)
    response = client.post(url, encoded, content_type="application/x-www-form-urlencoded")
    return response, len(encoded)


def test_a_2_mb_body_is_a_form_error_that_keeps_the_typed_text(admin_user_client, kingsoft):
    body = long_body(2 * MB)
    url = reverse("admin:articles_article_change", args=[kingsoft.pk])
    data = article_form_data(kingsoft, body=body, edit_version=kingsoft.edit_version)
    response, sent = post_like_a_browser(admin_user_client, url, data)
    # Larger than Django's default form limit, which would have answered a bare 400.
    assert sent > DJANGO_DEFAULT_FORM_LIMIT
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "an article may have at most 1 MB" in " ".join(form.errors["body"])
    size = len(body.encode()) / MB
    assert f"The body is {size:.1f} MB of HTML" in " ".join(form.errors["body"])
    # Every word typed is back in the form, to be shortened there.
    assert form["body"].value() == body
    assert "LAST-WORDS-TYPED" in response.content.decode()
    kingsoft.refresh_from_db()
    assert "LAST-WORDS-TYPED" not in kingsoft.body


def test_a_body_within_the_limit_saves(admin_user_client, kingsoft):
    body = long_body(900 * 1024)
    url = reverse("admin:articles_article_change", args=[kingsoft.pk])
    data = article_form_data(kingsoft, body=body, edit_version=kingsoft.edit_version)
    response, _sent = post_like_a_browser(admin_user_client, url, data)
    assert response.status_code == 302
    kingsoft.refresh_from_db()
    assert kingsoft.body.endswith("<p>LAST-WORDS-TYPED</p>")


def test_the_form_limit_sits_above_the_body_limit():
    # A body at the limit, URL-encoded at worst three bytes a byte, still reaches the form.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 3 * settings.ARTICLE_BODY_MAX_BYTES + MB


def test_an_article_stored_before_the_limit_keeps_its_body_through_other_changes(kingsoft):
    Article.objects.filter(pk=kingsoft.pk).update(body=long_body(2 * MB))
    article = Article.objects.get(pk=kingsoft.pk)
    article.byline_note = "Updated byline"
    article.full_clean()  # unchanged body: no error, so it can still be edited and unpublished
    article.body += "<p>More</p>"
    with pytest.raises(Exception, match="an article may have at most 1 MB"):
        article.full_clean()


# --- Import ---------------------------------------------------------------------------------


def test_a_20_mb_wire_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "dump.txt"
    with path.open("wb") as handle:
        handle.write(b"Headline\n\nFirst paragraph.\n")
        handle.truncate(20 * MB)  # sparse: 20 MB long, next to nothing on disk
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 files rejected"):
        call_command("import_articles", str(path), "--language", "en", stdout=out)
    assert "the file is 20 MB; wire copy may be at most 1 MB" in out.getvalue()
    assert not Article.objects.filter(title="Headline").exists()


def test_wire_copy_whose_article_would_be_over_the_body_limit_is_refused(settings):
    settings.ARTICLE_BODY_MAX_BYTES = 10_000
    text = "Headline\n\n" + "A sentence about Xiaomi & Lei Jun. " * 300  # & grows in HTML
    result = WireImporter(language="en").import_bytes(text.encode(), filename="long.txt")
    assert result.outcome == REJECTED
    assert "an article may have at most 10 KB" in result.reason


def test_the_wire_parser_refuses_bytes_over_the_limit_before_decoding_them(settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    with pytest.raises(Rejected, match="the file is 2 KB; wire copy may be at most 1 KB"):
        parse_wire_copy(b"\xff" * 2000)  # not even UTF-8: the size is the first answer


# --- The name finder ---------------------------------------------------------------------


def test_the_name_finder_reads_up_to_its_limit_and_says_so(admin_user_client, settings):
    settings.LINKER_MAX_CHARS = 5_000
    filler = "<p>" + "The company said nothing more about it. " * 200 + "</p>"
    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    article.people.clear()
    article.companies.clear()
    Article.objects.filter(pk=article.pk).update(
        title="Notes", standfirst="", body="<p>Lei Jun spoke.</p>" + filler + "<p>Wang Hua</p>"
    )
    article.refresh_from_db()
    review = linking.review_mentions(article)
    names = {s.entity.name for s in review.pending}
    assert "Lei Jun" in names and "Wang Hua" not in names  # Wang Hua is past the limit
    assert review.read_all is False
    page = admin_user_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "only its first 5 000 characters were checked for names" in page.content.decode()


def test_names_in_unspaced_scripts_are_found_in_one_pass_however_often_they_occur():
    # 40 000 occurrences of 雷军: the old finder compared each with every earlier one.
    text = "雷军说。" * 40_000
    assert len(text) <= settings.LINKER_MAX_CHARS
    found = {s.entity.name: s for s in linking.Linker.load().suggest("", "", text)}
    lei_jun = Person.objects.get(native_name="雷军")
    assert found[lei_jun.name].count == 40_000
