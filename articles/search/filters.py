"""The search form: words, narrowed by language and by mentioned person or company.

The narrowing is the list pages' (`articles.site.filters.PublishedArticleFilter`); this
form adds the words and speaks of what an article mentions.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.search import search_articles
from articles.search.query import MAX_QUERY_LENGTH
from articles.site.filters import PublishedArticleFilter

# Field name -> (label, empty label) on the search form.
SEARCH_LABELS = {
    "language": (_("Language"), _("Any language")),
    "person": (_("Mentions person"), _("Anyone")),
    "company": (_("Mentions company"), _("Any company")),
}


class ArticleSearchFilter(PublishedArticleFilter):
    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Search terms can be at most %(limit_value)d characters long "
                "(yours has %(show_value)d). Try fewer words."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = Article
        fields = ["q", "language", "person", "company"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, empty_label) in SEARCH_LABELS.items():
            self.filters[name].label = label
            self.filters[name].extra["empty_label"] = empty_label

    def filter_queryset(self, queryset):
        # The words last: a search ranks (and bounds) what the other filters leave.
        cleaned = sorted(self.form.cleaned_data.items(), key=lambda item: item[0] == "q")
        for name, value in cleaned:
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_words(self, queryset, name, value):
        return search_articles(value, queryset=queryset)
