"""articles/search/fallback.py: icontains, for databases without full-text search."""

import pytest

from articles.search import highlighted, search_articles

pytestmark = pytest.mark.django_db


def test_the_icontains_fallback_finds_and_marks_words():
    found = list(search_articles("whetstones", backend="icontains"))
    assert [a.slug for a in found] == ["lei-jun-open-letter-xiaomi-world-number-two"]
    found = list(search_articles("Tianyancha <b>", backend="icontains"))
    highlighted(found, "Tianyancha <b>", backend="icontains")
    assert found and all("<b>" not in a.snippet for a in found)
    assert list(search_articles("!!!", backend="icontains")) == []
