"""Fixtures shared by the article tests."""

import pytest

from articles.models import Article


@pytest.fixture
def kingsoft():
    """English original with a Dutch draft translation and no Turkish version."""
    return Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
