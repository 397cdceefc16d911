"""Previews: staff see a draft as readers will; signed links work without a login until
they expire or are revoked, and are never indexed."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.desk import preview
from articles.models import Article, PreviewLink
from tests.editorial import bring_to, make_draft
from tests.public_pages import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users):
    return make_draft(
        users["writer"],
        title="Xiaomi's car arrives early",
        standfirst="Unpublished news about the car.",
        body="<p>The words readers will read.</p>",
    )


def link_url(link):
    return reverse("articles:preview", args=[preview.token_for(link)])


def test_staff_preview_renders_the_public_template_with_a_banner(client, users, draft):
    client.force_login(users["writer"])
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "articles/detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Xiaomi&#x27;s car arrives early" in html and "The words readers will read." in html
    assert 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    # A draft has no publish time: no date line, not "Published ," with nothing after it.
    assert 'class="byline-dates"' not in html and "Published ," not in html
    # The public address of the same draft is still a 404.
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_preview_needs_a_login(client, draft):
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_preview_link_works_without_login_and_is_never_indexed(client, users, draft):
    link = preview.create_link(draft, user=users["editor"])
    response = client.get(link_url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The words readers will read." in html
    assert 'class="preview-banner"' in html and "This link works until" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_public_page_is_not_marked_as_a_preview(client):
    article = Article.objects.published().first()
    response = client.get(article.get_absolute_url())
    assert "preview-banner" not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_an_expired_link_is_404(client, users, draft):
    link = preview.create_link(draft, user=users["editor"], lifetime=datetime.timedelta(hours=1))
    url = link_url(link)
    with time_machine.travel(link.expires_at - datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(link.expires_at + datetime.timedelta(seconds=1), tick=False):
        response = client.get(url)
    assert_unavailable(response, "This preview link has expired or was revoked.")


def assert_unavailable(response, why: str):
    """A 404 that tells the person holding the link why, and is as private as a preview."""
    assert response.status_code == 404
    page = Page.of(response)
    assert f"{why} Ask whoever sent it to you for a new one." in page.text
    assert "The address may be mistyped" not in page.text
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Referrer-Policy"] == "no-referrer"


def test_no_token_outlives_the_longest_lifetime_whatever_its_row_says(client, users, draft):
    """The signature carries its own age limit: a row whose expiry was pushed out (by
    hand, or a bug) still cannot keep a token alive past the longest lifetime."""
    link = preview.create_link(draft, user=users["editor"])
    url = link_url(link)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=link.created_at + 3 * LIFETIME)
    with time_machine.travel(link.created_at + LIFETIME - datetime.timedelta(minutes=1)):
        assert client.get(url).status_code == 200
    with time_machine.travel(link.created_at + LIFETIME + datetime.timedelta(minutes=1)):
        assert_unavailable(client.get(url), "This preview link is not valid.")


LIFETIME = preview.LONGEST_LIFETIME


def test_a_revoked_link_is_404(client, users, draft):
    link = preview.create_link(draft, user=users["editor"])
    url = link_url(link)
    assert client.get(url).status_code == 200
    preview.revoke_link(link, user=users["editor"])
    assert_unavailable(client.get(url), "This preview link has expired or was revoked.")
    assert link.revoked_by == users["editor"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # broken signature
        lambda t: "x" + t,
        lambda t: "not-a-token",
        lambda t: signing.dumps({"link": 1, "article": 1}, salt="someone-else"),
    ],
)
def test_a_tampered_or_forged_token_is_404(client, users, draft, tamper):
    link = preview.create_link(draft, user=users["editor"])
    token = tamper(preview.token_for(link))
    assert_unavailable(client.get(f"/preview/{token}/"), "This preview link is not valid.")


def test_a_token_cannot_be_pointed_at_another_article(client, users, draft):
    link = preview.create_link(draft, user=users["editor"])
    other = make_draft(users["writer"])
    # Signed as the site signs (a key leaked, or a link minted for `other` edited): only
    # the check that the link belongs to that article refuses it.
    forged = signing.dumps({"link": link.pk, "article": other.pk}, salt=preview.SALT, compress=True)
    assert signing.loads(forged, salt=preview.SALT) == {"link": link.pk, "article": other.pk}
    response = client.get(f"/preview/{forged}/")
    assert response.status_code == 404
    assert other.title not in response.content.decode()
    # The same link with its own article still opens.
    assert client.get(link_url(link)).status_code == 200


def test_a_tampered_token_is_refused(client, users, draft):
    link = preview.create_link(draft, user=users["editor"])
    forged = signing.dumps({"link": link.pk, "article": draft.pk}, salt="not-the-salt")
    assert client.get(f"/preview/{forged}/").status_code == 404


def test_only_editors_make_links_and_not_for_live_articles(users, draft):
    with pytest.raises(PermissionDenied):
        preview.create_link(draft, user=users["writer"])
    live = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    with pytest.raises(ValidationError, match="already public"):
        preview.create_link(live, user=users["editor"])
    with pytest.raises(ValidationError, match="between"):
        preview.create_link(draft, user=users["editor"], lifetime=datetime.timedelta(days=90))


def test_a_scheduled_article_can_be_previewed_before_its_time(client, users):
    scheduled = bring_to(make_draft(users["writer"]), "scheduled", by=users["admin"])
    link = preview.create_link(scheduled, user=users["editor"])
    assert client.get(link_url(link)).status_code == 200
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_links_are_made_and_revoked_from_the_change_page(client, users, draft):
    client.force_login(users["editor"])
    make = reverse("admin:articles_article_previewlinks", args=[draft.pk])
    page = client.post(make, {"lifetime": "1d"}, follow=True).content.decode()
    url = re.search(r"(http://testserver/preview/[^/\s\"<]+/)", page).group(1)
    client.logout()
    assert client.get(url).status_code == 200

    link = PreviewLink.objects.get(article=draft)
    assert link.expires_at - link.created_at == datetime.timedelta(days=1)
    client.force_login(users["writer"])
    revoke = reverse("admin:articles_article_previewlink_revoke", args=[draft.pk, link.pk])
    assert client.post(revoke).status_code == 403  # writers cannot revoke
    client.force_login(users["editor"])
    assert client.post(revoke).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404


def test_revoking_one_link_leaves_the_others_for_the_same_article_alone(client, users, draft):
    first = preview.create_link(draft, user=users["editor"])
    second = preview.create_link(draft, user=users["editor"])
    preview.revoke_link(first, user=users["editor"])
    # A revoked link stays revoked even while another link to the same article works.
    assert client.get(link_url(first)).status_code == 404
    assert client.get(link_url(second)).status_code == 200


def test_a_preview_is_never_stored_by_any_cache(client, users, draft):
    link = preview.create_link(draft, user=users["editor"])
    assert client.get(link_url(link))["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("language", ["nl", "tr"])
def test_a_preview_speaks_the_article_s_language_like_its_public_page(client, users, language):
    draft = make_draft(users["writer"], language=language)
    html = client.get(link_url(preview.create_link(draft, user=users["editor"]))).content.decode()
    assert f'<html lang="{language}"' in html
    # The site search stays within the article's language, as on the public page.
    assert f'<input type="hidden" name="lang" value="{language}">' in html


def test_a_preview_has_the_public_page_s_header_and_footer(client, users, draft):
    html = client.get(link_url(preview.create_link(draft, user=users["editor"]))).content.decode()
    # The default language's search is unfiltered, and the footer offers every language.
    assert '<input type="hidden" name="lang"' not in html
    for code in ("en", "nl", "tr"):
        assert f'hreflang="{code}" lang="{code}"' in html.split('<footer class="site-footer">')[1]
