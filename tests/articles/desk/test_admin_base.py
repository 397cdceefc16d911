"""What the article admin's views share: one rule for the article a view acts on, and
panels drawn for whoever is looking."""

import pytest
from django.urls import reverse

from articles.desk.admin_base import user_display_name
from articles.models import Article
from tests.editorial import make_draft, roleless_user

pytestmark = pytest.mark.django_db

# Every view of ArticleAdmin's own, from each of its mixins: (url name, extra args, method).
VIEWS = [
    ("articles_article_workflow", ["submit"], "post"),  # desk/workflow_admin.py
    ("articles_article_compare", [], "get"),
    ("articles_article_preview", [], "get"),
    ("articles_article_previewlinks", [], "post"),
    ("articles_article_history", [], "get"),
    ("articles_article_translate", ["tr"], "get"),  # desk/translation_admin.py
    ("articles_article_translate", ["tr"], "post"),
    ("articles_article_mark_synced", [], "get"),
    ("articles_article_mark_synced", [], "post"),
    ("articles_article_mentions", [], "get"),  # desk/mentions_admin.py
    ("articles_article_mentions", [], "post"),
]


def request(client, name, pk, args, method):
    url = reverse(f"admin:{name}", args=[pk, *args])
    return getattr(client, method)(url, {"accept_all": "1"} if method == "post" else {})


@pytest.mark.parametrize(("name", "args", "method"), VIEWS)
def test_a_missing_article_is_404_in_every_view(client, users, name, args, method):
    client.force_login(users["editor"])
    assert request(client, name, 999999, args, method).status_code == 404


@pytest.mark.parametrize(("name", "args", "method"), VIEWS)
def test_an_article_the_user_may_not_open_is_403_in_every_view(client, users, name, args, method):
    article = Article.objects.get(slug="lei-jun-geeft-functies-op-voor-xiaomi-autos")
    before = (article.edit_version, article.status, article.people.count())
    client.force_login(roleless_user())
    assert request(client, name, article.pk, args, method).status_code == 403
    article.refresh_from_db()
    assert (article.edit_version, article.status, article.people.count()) == before
    assert not article.versions().filter(language="tr").exists()


def test_panels_show_each_viewer_their_own_buttons(client, users):
    """The same article, opened by three people: each sees the buttons they may press."""
    draft = make_draft(users["writer"], title="Lei Jun meets Xiaomi's board")
    url = reverse("admin:articles_article_change", args=[draft.pk])
    pages = {}
    for role in ("writer", "translator", "editor"):
        client.force_login(users[role])
        pages[role] = client.get(url).content.decode()
    assert 'name="accept"' in pages["writer"] and 'name="accept"' not in pages["translator"]
    assert "Me (Esther Editor)" in pages["editor"]
    assert 'name="translation_assignee"' not in pages["writer"]


def test_users_are_named_by_full_name_else_username(users):
    assert user_display_name(users["editor"]) == "Esther Editor"
    assert user_display_name(roleless_user()) == "norole"
    assert user_display_name(None) == "nobody"
