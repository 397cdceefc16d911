"""The article list in the admin at archive size: counts, filters and search whose cost
does not grow with the number of articles.

- `CappedPaginator` counts at most `cap` rows (a LIMITed subquery) instead of COUNT(*) over
  the whole (filtered) archive; the list says "10000+" past that.
- `OwnerFilter` lists the staff, not the distinct owners of every article.
- `SectionFilter`, `StorylineFilter` select through the link table, without DISTINCT;
  the thread filter offers the recently active threads, not every one.
- `PublishedYearFilter` stands in for `date_hierarchy`, whose year links are a DISTINCT
  over the dates of every row in the list.
- `search` goes through the full-text index (`articles.search`), not `icontains` over
  100 000 rows; a pasted slug finds its article.
"""

import datetime
import re

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Min
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import Article, Storyline, StorylineEntry
from articles.search import search_articles
from newsroom.languages import language_codes

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


class CappedPaginator(Paginator):
    """A paginator that counts no further than `cap` rows.

    Django counts the list to draw its pages; over a filter matching most of the archive
    that is a full scan per request. Past the cap the list shows the first `cap` rows'
    pages and says there are more (filter or search to narrow it).
    """

    cap = 10_000

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1): bounded on every database.
            return rows.order_by()[: self.cap + 1].count()
        return len(rows)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than the list counts (and pages through)."""
        return self._counted > self.cap


class OwnerFilter(admin.RelatedFieldListFilter):
    """Owners to choose from: the staff (a short list), not every distinct owner found by
    scanning the articles, as `RelatedOnlyFieldListFilter` would on each request."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or ("username",)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"is_staff": True}
        )


class LinkedToFilter(admin.SimpleListFilter):
    """Articles linked to one section or story thread, through the link table.

    A field filter on a many-to-many makes Django add DISTINCT to the list (and to its
    count) over every column, body included; `pk IN (links)` has no duplicates to remove.
    The parameter keeps the field filter's name, so old links still work.
    """

    field_name = ""

    def __init__(self, request, params, model, model_admin):
        field = model._meta.get_field(self.field_name)
        self.title = field.related_model._meta.verbose_name
        self.parameter_name = f"{self.field_name}__id__exact"
        self.field = field
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(str(obj.pk), str(obj)) for obj in self.field.related_model.objects.all()]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        links = self.field.remote_field.through.objects.filter(
            **{f"{self.field.m2m_reverse_field_name()}_id": value}
        )
        return queryset.filter(pk__in=links.values(self.field.m2m_field_name()))


class SectionFilter(LinkedToFilter):
    field_name = "sections"


class StorylineFilter(LinkedToFilter):
    """Story threads recently added to, not every thread ever opened: a newsroom opens
    one for each running story, and listing thousands in the sidebar would cost more than
    the list. The thread filtered on stays listed; any other is reached from its own page
    in the admin (or by its id in the address)."""

    field_name = "storylines"
    # Threads offered: those of the newest links, at most this many.
    shown = 20
    recent_links = 200

    def lookups(self, request, model_admin):
        recent = StorylineEntry.objects.order_by("-pk").values_list("storyline_id", flat=True)
        wanted = list(dict.fromkeys(recent[: self.recent_links]))[: self.shown]
        if self.value() and self.value().isdigit():
            wanted.append(int(self.value()))
        return [
            (str(t.pk), str(t)) for t in Storyline.objects.filter(pk__in=wanted).order_by("title")
        ]


class PublishedYearFilter(admin.SimpleListFilter):
    """The year an article was published, from the oldest to this one (one indexed MIN)."""

    title = "year published"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        first = Article.objects.aggregate(first=Min("published_at"))["first"]
        if first is None:
            return []
        this_year = timezone.localdate().year
        first_year = timezone.localtime(first).year
        return [(str(year), str(year)) for year in range(this_year, first_year - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        zone = timezone.get_current_timezone()
        year = int(value)
        start = datetime.datetime(year, 1, 1, tzinfo=zone)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
        return queryset.filter(published_at__gte=start, published_at__lt=end)


def search(queryset, term: str):
    """`queryset` narrowed to the articles matching `term` in the full-text index.

    The index holds every article (drafts too) on both databases, weighted title first,
    so a word of a title finds its article; a slug pasted whole finds its article too.
    """
    term = term.strip()
    if not term:
        return queryset
    # search_articles narrows the queryset it is given; the admin gives it every article.
    matches = search_articles(term, queryset=Article.objects.all()).order_by().values("pk")
    if SLUG.fullmatch(term.lower()):
        by_slug = Article.objects.filter(language__in=language_codes(), slug=term.lower())
        matches = matches.union(by_slug.order_by().values("pk"))
    return queryset.filter(pk__in=matches)
