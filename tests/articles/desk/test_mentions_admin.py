"""Suggested mentions in the admin: on the change page and a page of their own, accepted
with one click by those who may edit the article."""

import pytest
from django.urls import reverse

from articles.models import Article
from people.linking import COMPANY, PERSON
from people.models import Company, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(users):
    """A draft that names people and companies but links none."""
    return Article.objects.create(
        language="en",
        title="Lei Jun and Wang meet Kingsoft's board",
        slug="lei-jun-wang-kingsoft",
        body="<p>Wang said Xiaomi and 雷军 agreed.</p>",
        owner=users["writer"],
    )


def test_change_page_shows_suggestions_with_accept_buttons(client, users, fresh):
    client.force_login(users["editor"])
    page = client.get(reverse("admin:articles_article_change", args=[fresh.pk])).content.decode()
    lei_jun = Person.objects.get(slug="lei-jun")
    # A button of the article's form: it saves what was typed, then accepts.
    assert f'name="_accept_mention" value="{PERSON}:{lei_jun.pk}"' in page
    assert "Accept all 3 confident suggestions" in page
    assert "could also be Wang Xiang" in page
    assert "<form" not in page.split('id="article_form"', 1)[1].split("</form>")[0]


def test_change_page_points_out_links_the_text_does_not_support(client, users):
    client.force_login(users["editor"])
    draft = Article.objects.get(slug="lei-jun-stopt-als-bestuurder-kingsoft")  # one sentence so far
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Linked but not named in the text: " in page
    unnamed = page.split("Linked but not named in the text: ")[1].split("</small>")[0]
    assert "Zou Tao" in unnamed and "Lei Jun" not in unnamed


def test_one_click_accept_from_the_change_page(client, users, fresh):
    client.force_login(users["writer"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    xiaomi = Company.objects.get(slug="xiaomi")
    response = client.post(url, {"accept": f"{COMPANY}:{xiaomi.pk}", "title": "ignored"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[fresh.pk])
    assert list(fresh.companies.all()) == [xiaomi]
    assert fresh.title == Article.objects.get(pk=fresh.pk).title


def test_accept_all_links_only_the_confident(client, users, fresh):
    client.force_login(users["editor"])
    client.post(reverse("admin:articles_article_mentions", args=[fresh.pk]), {"accept_all": "1"})
    assert {p.slug for p in fresh.people.all()} == {"lei-jun"}
    assert {c.slug for c in fresh.companies.all()} == {"xiaomi", "kingsoft"}
    page = client.get(reverse("admin:articles_article_mentions", args=[fresh.pk])).content.decode()
    assert "Wang Hua" in page and "Wang Xiang" in page and "Lei Jun</strong>" not in page


def test_bad_accept_values_are_refused_and_change_nothing(client, users, fresh):
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    for value in ("person:999999", "planet:1", "person:abc", ""):
        response = client.post(url, {"accept": value})
        assert response.status_code == 400, value
        assert "Nothing was linked" in response.content.decode()
    assert not fresh.people.exists() and not fresh.companies.exists()


def test_accepting_without_the_right_is_forbidden(client, users, fresh):
    client.force_login(users["translator"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    response = client.post(url, {"accept_all": "1"})
    assert response.status_code == 403
    assert not fresh.people.exists()
    page = client.get(url).content.decode()
    assert "Wang Hua" in page and 'name="accept"' not in page


def test_nothing_to_link_goes_back_to_the_article_never_elsewhere(client, users, fresh):
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    response = client.post(url, {"next": "https://elsewhere.example/"}, follow=True)
    assert response.redirect_chain == [
        (reverse("admin:articles_article_change", args=[fresh.pk]), 302)
    ]
    assert "Nothing to link." in response.content.decode()
    response = client.post(url, {"next": url})
    assert response["Location"] == url


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
        " https://evil.example/",
        "ftp://testserver/",
    ],
)
def test_the_mentions_form_never_sends_anyone_off_the_site(client, users, fresh, target):
    """`next` is checked with url_has_allowed_host_and_scheme (newsroom/redirects.py)."""
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    response = client.post(url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[fresh.pk])


def test_the_mentions_form_goes_back_to_a_page_of_this_site(client, users, fresh):
    client.force_login(users["editor"])
    url = reverse("admin:articles_article_mentions", args=[fresh.pk])
    elsewhere_here = "/admin/articles/article/?state=draft"
    assert client.post(url, {"next": elsewhere_here})["Location"] == elsewhere_here
    absolute = f"http://testserver{url}"
    assert client.post(url, {"next": absolute})["Location"] == absolute
