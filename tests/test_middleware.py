"""newsroom/middleware.py: the language comes from the URL, never from the browser."""

import pytest
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/",
    "/people/lei-jun/?lang=tr",
    "/feeds/",
    "/feeds/nl/rss.xml",
    "/feeds/tr/people/lei-jun/atom.xml",
    "/feeds.opml",
    "/sitemap.xml",
]


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize("url", PUBLIC)
def test_public_responses_do_not_vary_on_the_browser_language(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 200, url
    assert "accept-language" not in vary(response)
    assert response["Content-Language"]


def test_a_page_and_a_feed_are_the_same_whatever_the_browser_asks(client):
    for url in ("/nl/", "/feeds/nl/rss.xml", "/sitemap.xml"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        turkish = client.get(url, HTTP_ACCEPT_LANGUAGE="tr")
        assert english.content == turkish.content, url
    assert client.get("/nl/", HTTP_ACCEPT_LANGUAGE="tr")["Content-Language"] == "nl"


def test_the_next_request_starts_in_the_default_language(client):
    client.get("/tr/")
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
    assert "accept-language" not in vary(response)


def test_cacheable_feeds_stay_cacheable(client):
    response = client.get("/feeds/nl/rss.xml")
    assert get_max_age(response) and "public" in response["Cache-Control"]
