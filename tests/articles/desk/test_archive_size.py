"""The admin at archive size: the desk, the article list, its filters, search, the change
page and the article autocomplete cost the same number of queries on a generated archive
of ~2 000 articles as on the demo, and never count the whole archive.

The archive is generated once for this module inside a transaction rolled back at its end,
so the other modules still see the demo newsroom alone.
"""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin import ArticleAdmin
from articles.desk.article_list import CappedPaginator
from articles.generator import generate
from articles.models import Article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
VIEWS = [
    "",
    "?state=draft",
    "?state=live",
    "?language__exact=nl",
    "?translation_state=original",
    "?translation_state=outdated",
    "?translation_state=missing",
    "?year=2024",
    "?q=xiaomi",
    "?_facets=True",
]


def page_queries(client, url) -> list[str]:
    client.get(url)  # warm: sessions, content types, permissions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture(scope="module")
def demo_costs(django_db_setup, django_db_blocker):
    """What each admin page costs on the demo newsroom, measured before the archive."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        client.force_login(get_user_model().objects.get(username="admin"))
        editor = Client()
        editor.force_login(get_user_model().objects.get(username="editor"))
        costs = {CHANGELIST + v: len(page_queries(client, CHANGELIST + v)) for v in VIEWS}
        costs["desk"] = len(page_queries(editor, reverse("admin:index")))
        costs["change"] = len(page_queries(client, change_url()))
        costs["autocomplete"] = len(page_queries(client, AUTOCOMPLETE))
        transaction.set_rollback(True)  # the logins' sessions
    return costs


@pytest.fixture(scope="module")
def archive(demo_costs, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        generate(2000, seed=11)
        yield
        transaction.set_rollback(True)


AUTOCOMPLETE = (
    "/admin/autocomplete/?app_label=articles&model_name=article&field_name=related&term=xiaomi"
)


def change_url() -> str:
    source = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    return reverse("admin:articles_article_change", args=[source.pk])


def whole_counts(sql: list[str]) -> list[str]:
    """COUNT queries with no LIMIT in them: counts of everything the filter matched."""
    return [q for q in sql if "COUNT(" in q.upper() and not re.search(r"\bLIMIT\b", q, re.I)]


@pytest.mark.parametrize("view", VIEWS)
def test_the_article_list_costs_what_it_costs_on_the_demo(archive, demo_costs, client, users, view):
    client.force_login(users["admin"])
    sql = page_queries(client, CHANGELIST + view)
    assert len(sql) == demo_costs[CHANGELIST + view], sql
    assert not whole_counts(sql)
    assert not any("DISTINCT" in q.upper() and "COUNT(" not in q.upper() for q in sql), sql


def test_the_desk_costs_what_it_costs_on_the_demo(archive, demo_costs, client, users):
    client.force_login(users["editor"])
    sql = page_queries(client, reverse("admin:index"))
    assert len(sql) == demo_costs["desk"], sql
    assert not whole_counts(sql)


def test_the_desk_looks_only_at_recent_stories_for_translation_gaps(archive, client, users):
    from articles.desk.dashboard import RECENT_STORIES, translation_gaps

    recent = list(
        Article.objects.published()
        .filter(translation_of__isnull=True)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:RECENT_STORIES]
    )
    gaps = translation_gaps(limit=1000)
    assert gaps
    assert {g.source.pk for g in gaps} <= set(recent)


def test_the_change_page_and_autocomplete_cost_what_they_cost_on_the_demo(
    archive, demo_costs, client, users
):
    client.force_login(users["admin"])
    change = page_queries(client, change_url())
    assert len(change) == demo_costs["change"], change
    assert not whole_counts(change)
    completion = page_queries(client, AUTOCOMPLETE)
    assert len(completion) == demo_costs["autocomplete"], completion
    assert not whole_counts(completion)
    assert client.get(AUTOCOMPLETE).json()["results"]


def test_past_the_cap_the_list_says_there_are_more_than_it_counted(
    archive, client, users, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 1000)
    client.force_login(users["admin"])
    response = client.get(CHANGELIST)
    paginator = response.context["cl"].paginator
    assert paginator.capped and paginator.count == 1000
    assert paginator.num_pages == 1000 // ArticleAdmin.list_per_page
    assert "1000+ articles" in response.content.decode()
    narrowed = client.get(CHANGELIST + "?state=draft").context["cl"].paginator
    assert not narrowed.capped
    assert narrowed.count == Article.objects.filter(status="draft").count()
