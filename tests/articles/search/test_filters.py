"""articles/search/filters.py: the search form's filters narrow the words' results."""

import re

import pytest

from people.models import Person
from tests.articles.search.helpers import new_article, page

pytestmark = pytest.mark.django_db


def test_filters_combine_with_the_words(client):
    _, html = page(client, q="xiaomi", language="nl")
    langs = set(re.findall(r'<li class="result" lang="(\w+)"', html))
    assert langs == {"nl"}

    _, html = page(client, q="xiaomi", person="manu-kumar-jain")
    found = set(re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html))
    assert found == {"/nl/manu-kumar-jain-verlaat-xiaomi/", "/en/manu-kumar-jain-leaves-xiaomi/"}

    _, html = page(client, q="lei jun", company="kingsoft", language="en")
    found = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html)
    assert found == ["/en/lei-jun-steps-down-kingsoft-executive-director/"]


def test_filters_accept_only_people_and_companies_in_published_articles(client, users):
    hidden = Person.objects.create(name="Nobody Published")
    draft = new_article(users["admin"], title="A draft", body="<p>x</p>", published=False)
    draft.people.add(hidden)
    _, html = page(client)
    # Typed, not picked from a list of everyone: the page never lists the directory.
    assert 'name="person"' in html and '<option value="lei-jun"' not in html
    for typed in ("lei-jun", "Lei Jun", " lei jun "):
        response, html = page(client, q="Xiaomi", person=typed)
        assert response.status_code == 200, typed
        assert "No published article mentions" not in html, typed
        assert response.context["filterset"].form.cleaned_data["person"].slug == "lei-jun"
    response, html = page(client, q="x", person=hidden.slug)
    assert response.status_code == 400
    assert "No published article mentions a person" in html


def test_typed_filters_say_what_to_type_in_the_page_language(client):
    english = client.get("/search/").content.decode()
    assert 'placeholder="A name, such as Lei Jun"' in english
    dutch = client.get("/search/?lang=nl").content.decode()
    assert 'placeholder="Een naam, zoals Lei Jun"' in dutch
    assert 'placeholder="Een naam, zoals Xiaomi"' in dutch
