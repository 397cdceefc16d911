"""articles/filters.py: the FilterSet behind the public article lists."""

import pytest
from django.http import QueryDict

from articles.models import Article, Storyline, StorylineEntry
from articles.site.filters import ArticleFilter
from people.models import Person

pytestmark = pytest.mark.django_db


def filterset(query: str) -> ArticleFilter:
    return ArticleFilter(QueryDict(query), queryset=Article.objects.published())


def test_filters_combine():
    found = filterset("language=en&person=lei-jun&section=automotive")
    assert found.is_valid()
    assert {a.slug for a in found.qs} == {
        "lei-jun-gives-up-roles-for-xiaomi-cars",
        "xiaomi-ceo-quits-another-role-for-electric-cars",
    }
    assert set(found.active) == {"language", "person", "section"}
    assert found.active["person"].name == "Lei Jun"


def test_filters_only_ever_narrow_published_articles():
    everything = filterset("")
    assert everything.is_valid() and everything.active == {}
    assert set(everything.qs) == set(Article.objects.published())


@pytest.mark.parametrize(
    "query",
    ["language=xx", "person=nobody", "company=%00", "section=nope", "date_to=31-12-2021"],
)
def test_unknown_values_make_the_filters_invalid(query):
    found = filterset(query)
    assert not found.is_valid()
    assert found.active == {}


def test_dates_must_be_in_order():
    found = filterset("date_from=2022-01-01&date_to=2021-01-01")
    assert not found.is_valid()
    assert "The start date is after the end date." in found.form.non_field_errors()


def test_people_and_threads_without_public_pages_are_not_choices():
    Person.objects.create(name="Hidden", slug="hidden")
    assert not filterset("person=hidden").is_valid()
    thread = Storyline.objects.create(title="Drafts only", slug="drafts-only")
    StorylineEntry.objects.create(
        storyline=thread, article=Article.objects.get(slug="lei-jun-roles-one-by-one")
    )
    assert not filterset("storyline=drafts-only").is_valid()
    assert filterset("storyline=xiaomi-rise").is_valid()


def test_a_story_thread_is_typed_by_title_or_given_by_slug(client):
    thread = Storyline.objects.get(slug="xiaomi-rise")
    by_title = filterset(f"storyline={thread.title.upper()}")
    assert by_title.is_valid() and by_title.form.cleaned_data["storyline"] == thread
    html = client.get("/articles/", {"storyline": "No Such Thread"}).content.decode()
    assert "No published story thread is called “No Such Thread”." in html
    # A text box, however many threads there are: no <option> per thread on the page.
    html = client.get("/articles/").content.decode()
    assert 'name="storyline"' in html and thread.title not in html
