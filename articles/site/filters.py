"""Filters for the public article lists and the search page (django-filter).

`PublishedArticleFilter` is the one rule for narrowing published articles by language and
by a person or company they mention; the list pages (`ArticleFilter`) and the search form
(`articles.search.filters`) build on it.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Storyline
from newsroom.languages import language_choices
from people.models import Company, Person


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


class NamedEntityField(forms.ModelChoiceField):
    """A person, company or story thread typed by name (`name_field`) or given by slug (as
    links from their pages do).

    A text box, not a <select>: a newsroom names thousands of people and companies and
    opens a thread for every running story; listing every one in every list page would
    cost more than the list itself. Checking one typed value costs one query.
    """

    widget = forms.TextInput

    def __init__(self, *args, name_field: str = "name", **kwargs):
        self.name_field = name_field
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        # Nothing is named with a NUL byte or at such length; the database need not be asked.
        plausible = "\x00" not in text and len(text) <= 200
        found = (
            self.queryset.filter(Q(slug=text) | Q(**{f"{self.name_field}__iexact": text}))
            .order_by("pk")
            .first()
            if plausible
            else None
        )
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text[:100]},
            )
        return found

    def prepare_value(self, value):
        return value.slug if hasattr(value, "slug") else value


class NamedEntityFilter(django_filters.ModelChoiceFilter):
    field_class = NamedEntityField


def _people(request):
    return Person.objects.public()


def _companies(request):
    return Company.objects.public()


def _storylines(request):
    return Storyline.objects.public()


class PublishedArticleFilter(django_filters.FilterSet):
    """Published articles by language and by a person or company they mention.

    People and companies are chosen by slug, as the links on their pages do; only those
    with public pages are accepted, and a value that is not accepted says why.
    """

    language = django_filters.ChoiceFilter(
        choices=language_choices,
        label=_("Language"),
        empty_label=_("All languages"),
        error_messages={"invalid_choice": _("We do not publish in “%(value)s”.")},
    )
    person = NamedEntityFilter(
        field_name="people",
        widget=forms.TextInput(attrs={"placeholder": _("A name, such as Lei Jun")}),
        to_field_name="slug",
        queryset=_people,
        label=_("Person"),
        error_messages={"invalid_choice": _("No published article mentions a person “%(value)s”.")},
    )
    company = NamedEntityFilter(
        field_name="companies",
        widget=forms.TextInput(attrs={"placeholder": _("A name, such as Xiaomi")}),
        to_field_name="slug",
        queryset=_companies,
        label=_("Company"),
        error_messages={
            "invalid_choice": _("No published article mentions a company “%(value)s”.")
        },
    )

    class Meta:
        model = Article
        fields = ["language", "person", "company"]


class ArticleFilter(PublishedArticleFilter):
    """The list pages' filters: also by story thread, section and date."""

    storyline = NamedEntityFilter(
        field_name="storylines",
        widget=forms.TextInput(attrs={"placeholder": _("A thread, such as Xiaomi leadership")}),
        to_field_name="slug",
        name_field="title",
        queryset=_storylines,
        label=_("Story thread"),
        error_messages={"invalid_choice": _("No published story thread is called “%(value)s”.")},
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
