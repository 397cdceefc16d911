"""Accepting mentions: the operation that links an article to people and companies."""

import pytest
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from articles.mentions import accept_mentions
from articles.models import Article
from people.models import Person

pytestmark = pytest.mark.django_db


def test_accepting_links_and_records_one_revision(users):
    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    article.people.clear()
    before = Version.objects.get_for_object(article).count()
    version_number = article.edit_version
    lei_jun, zou_tao = Person.objects.get(slug="lei-jun"), Person.objects.get(slug="zou-tao")
    accept_mentions(article, user=users["editor"], people=[lei_jun, zou_tao])
    assert set(article.people.all()) == {lei_jun, zou_tao}
    versions = Version.objects.get_for_object(article)
    assert versions.count() == before + 1
    assert versions[0].revision.comment == "Linked mentions: Lei Jun, Zou Tao"
    assert article.edit_version == version_number + 1


def test_accepting_needs_the_right_to_edit(users):
    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    with pytest.raises(PermissionDenied):
        accept_mentions(article, user=users["translator"], people=[Person.objects.first()])
