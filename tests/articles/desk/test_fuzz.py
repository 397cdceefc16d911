"""Bad input to the desk's own views (articles/desk/) never makes a 500: every view, every
parameter it reads, every kind of garbage, as an editor and as a writer. A refusal is a
message, a 400, a 403 or a 404, and the article is left as it was."""

import itertools

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, PreviewLink
from tests.editorial import make_draft

pytestmark = pytest.mark.django_db

# Garbage of every shape a forged or garbled form carries: empty, words, signs, numbers
# that are not ASCII or too big for any column, NUL, markup, SQL, lists' worth of text.
BAD_VALUES = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e3",
    "²",
    "١٢",
    "9" * 30,
    "\x00",
    "1\x00",
    "<script>alert(1)</script>",
    "1 OR 1=1",
    "%",
    "../../etc/passwd",
    "person:abc",
    "person:²",
    "company:99999999999999999999",
    "person:",
    "😀",
    "x" * 5000,
    "https://evil.example/",
    "//evil.example/",
    "2024-02-30T25:61",
    "null",
]
BAD_IDS = ["abc", "0", "-1", "9" * 30, "%00", "²", "1.5"]


def desk_requests(article: Article, link: PreviewLink, version: Version, deleted: Version):
    """(method, url, parameters read by that view) for every custom view of the desk that
    acts on one article."""
    pk = article.pk
    base = f"/admin/articles/article/{pk}"
    yield "POST", f"{base}/workflow/submit/", ["comment", "publish_at"]
    yield "POST", f"{base}/workflow/publish/", ["comment", "publish_at"]
    yield "GET", f"{base}/workflow/submit/", []
    yield "GET", f"{base}/history/compare/", ["old", "new"]
    yield "GET", f"{base}/history/", []
    yield "GET", f"{base}/history/{version.pk}/", []
    yield "POST", f"{base}/history/{version.pk}/", ["comment"]
    yield "GET", f"{base}/preview/", []
    yield "POST", f"{base}/preview-links/", ["lifetime"]
    yield "POST", f"{base}/preview-links/{link.pk}/revoke/", []
    yield "GET", f"{base}/translate/tr/", ["return_to"]
    yield "POST", f"{base}/translate/tr/", ["translation_assignee", "return_to"]
    yield "POST", f"{base}/translate/xx/", ["translation_assignee"]
    yield "GET", f"{base}/mark-synced/", ["return_to"]
    yield "POST", f"{base}/mark-synced/", ["return_to"]
    yield "GET", f"{base}/mentions/", []
    yield "POST", f"{base}/mentions/", ["accept", "accept_all", "next"]


def list_requests(deleted: Version):
    """The desk's pages that are about no one article: the list, the dashboard, recovery."""
    yield "GET", "/admin/articles/article/recover/", []
    yield "GET", f"/admin/articles/article/recover/{deleted.pk}/", []
    yield "POST", f"/admin/articles/article/recover/{deleted.pk}/", []
    yield (
        "GET",
        "/admin/articles/article/",
        [
            "state", "year", "translation_state", "language", "owner__id__exact",
            "sections__id__exact", "storylines__id__exact", "q", "p", "o",
            "published_at__gte", "e",
        ],
    )  # fmt: skip
    yield "GET", "/admin/", []


@pytest.fixture
def targets(users):
    writer, editor = users["writer"], users["editor"]
    article = make_draft(writer, title="Fuzzed story", slug="fuzzed-story")
    translation = make_draft(
        writer, language="nl", translation_of=article, title="Gefuzzed", slug="gefuzzed"
    )
    link = PreviewLink.objects.create(
        article=article,
        created_by=editor,
        created_at=article.created_at,
        expires_at=article.created_at.replace(year=article.created_at.year + 1),
    )

    gone = make_draft(writer, title="Deleted story", slug="deleted-story")
    with reversion.create_revision():
        article.save()
        gone.save()
    version = Version.objects.get_for_object(article).first()
    deleted = Version.objects.get_for_object(gone).first()
    gone.delete()
    return article, translation, link, version, deleted


def _send(client, method, url, data):
    if method == "POST":
        return client.post(url, data)
    return client.get(url, data)


def _try(client, method, url, data, failures):
    try:
        response = _send(client, method, url, data)
    except Exception as exc:  # the test client re-raises what a 500 would hide
        failures.append(f"{method} {url} {data!r:.120}: {type(exc).__name__}: {exc}"[:400])
        return None
    if response.status_code >= 500:
        failures.append(f"{method} {url} {data!r:.120}: {response.status_code}")
    return response


@pytest.mark.parametrize("role", ["editor", "writer", "translator"])
def test_no_bad_value_makes_a_desk_view_fail(client, users, targets, role):
    article, translation, link, version, deleted = targets
    client.force_login(users[role])
    failures: list[str] = []
    before = Article.objects.get(pk=article.pk)
    requests = [
        *desk_requests(article, link, version, deleted),
        *desk_requests(translation, link, version, deleted),
        *list_requests(deleted),
    ]
    for method, url, params in requests:
        _try(client, method, url, {}, failures)
        for param, value in itertools.product(params, BAD_VALUES):
            _try(client, method, url, {param: value}, failures)
        # A value repeated where one is expected, and every parameter bad at once.
        for value in ("abc", "9" * 30):
            _try(client, method, url, {p: [value, "1"] for p in params}, failures)
    assert not failures, "\n".join(failures[:40])
    after = Article.objects.get(pk=article.pk)
    # Whatever was refused changed nothing a reader sees (the writer's own submit may
    # have gone through: that is a real step, not garbage).
    assert (after.title, after.body, after.slug) == (before.title, before.body, before.slug)


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_no_bad_article_number_makes_a_desk_view_fail(client, users, targets, bad_id):
    article, _translation, link, version, deleted = targets
    client.force_login(users["editor"])
    failures: list[str] = []
    for method, url, _params in desk_requests(article, link, version, deleted):
        bad_url = url.replace(f"/{article.pk}/", f"/{bad_id}/", 1)
        if bad_url == url:
            continue
        response = _try(client, method, bad_url, {}, failures)
        if response is not None:
            assert response.status_code in {302, 400, 403, 404, 405}, (bad_url, response)
    assert not failures, "\n".join(failures)


def test_the_fuzz_reaches_the_views_it_means_to(client, users, targets):
    """Not a test of garbage: a good request to each view answers as the view should, so
    the loops above really exercise the desk (and not a 404 for a mistyped URL)."""
    article, _translation, link, version, deleted = targets
    client.force_login(users["editor"])
    for method, url, _params in [
        *desk_requests(article, link, version, deleted),
        *list_requests(deleted),
    ]:
        if "/xx/" in url:
            continue
        response = _send(client, method, url, {})
        assert response.status_code in {200, 302, 405}, (method, url, response.status_code)
    assert reverse("admin:articles_article_workflow", args=[article.pk, "submit"]).startswith(
        f"/admin/articles/article/{article.pk}/"
    )


def test_a_nul_byte_in_a_list_filter_is_refused_like_an_unknown_filter(admin_user_client):
    """PostgreSQL cannot compare text with NUL: the list says the filter is wrong (as
    Django does for a filter it does not know) rather than asking the database."""
    response = admin_user_client.get("/admin/articles/article/?language=en%00")
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/?e=1"
    assert admin_user_client.get(response["Location"]).status_code == 200


def test_a_nul_byte_in_a_revert_comment_is_a_message(client, users, targets):
    article, _translation, _link, version, _deleted = targets
    client.force_login(users["editor"])
    url = f"/admin/articles/article/{article.pk}/history/{version.pk}/"
    versions = Version.objects.get_for_object(article).count()
    response = client.post(url, {"comment": "because\x00"}, follow=True)
    assert "Could not revert: Null characters are not allowed." in response.content.decode()
    assert Version.objects.get_for_object(article).count() == versions
