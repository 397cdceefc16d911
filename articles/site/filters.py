"""Filters for the public article lists (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section
from articles.site.navigation import public_companies, public_people, public_storylines
from newsroom.languages import language_choices


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


def _people(request):
    return public_people()


def _companies(request):
    return public_companies()


def _storylines(request):
    return public_storylines()


class ArticleFilter(django_filters.FilterSet):
    """Published articles by language, person, company, story thread, section and date.

    People, companies and threads are chosen by slug, as the links on their pages do; only
    those with public pages are accepted.
    """

    language = django_filters.ChoiceFilter(
        choices=language_choices, label=_("Language"), empty_label=_("All languages")
    )
    person = django_filters.ModelChoiceFilter(
        field_name="people", to_field_name="slug", queryset=_people, label=_("Person")
    )
    company = django_filters.ModelChoiceFilter(
        field_name="companies", to_field_name="slug", queryset=_companies, label=_("Company")
    )
    storyline = django_filters.ModelChoiceFilter(
        field_name="storylines",
        to_field_name="slug",
        queryset=_storylines,
        label=_("Story thread"),
        empty_label=_("All story threads"),
    )
    section = django_filters.ModelChoiceFilter(
        field_name="sections",
        to_field_name="slug",
        queryset=Section.objects.all(),
        label=_("Section"),
        empty_label=_("All sections"),
    )
    date_from = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = ["language", "person", "company", "storyline", "section", "date_from", "date_to"]
        form = ArticleFilterForm

    @property
    def active(self) -> dict:
        """The filters in use, with their cleaned values (objects for people etc.)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")
        }
