"""Timelines: a person's roles over time, and a company's people over time.

Data for pages and the admin, each in a fixed number of queries however many positions,
people or subsidiaries there are. Positions come in timeline order (see
``Position.objects.timeline()``) with ``start_display``/``end_display`` at the precision
the dates are known ("2014", "Oct 2021", "15 Oct 2021"), how each ended
(``ending_summary()``) and the articles that source them (``position.source_articles``).
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Company, DatePrecision, Person, Position


def _sources(published_only: bool) -> Prefetch:
    from articles.models import Article

    articles = Article.objects.published() if published_only else Article.objects.all()
    return Prefetch(
        "sources",
        queryset=articles.order_by("published_at", "pk"),
        to_attr="source_articles",
    )


def person_timeline(person: Person, *, published_sources_only: bool = True) -> list[Position]:
    """The person's roles in the order they happened, undated ones last (two queries).

    Each position carries `source_articles`: the published articles that report it (or
    every article, for the admin, with ``published_sources_only=False``).
    """
    return list(
        Position.objects.filter(person=person)
        .timeline()
        .prefetch_related(_sources(published_sources_only))
    )


@dataclass(frozen=True)
class CompanyTimeline:
    company: Company
    parent: Company | None
    subsidiaries: list[Company]  # direct subsidiaries, by name
    positions: list[Position]  # at the company and at every subsidiary below it, in order

    @property
    def people(self) -> list[tuple[Person, list[Position]]]:
        """Each person once, with their roles here, in order of their first role."""
        grouped: dict[int, tuple[Person, list[Position]]] = {}
        for position in self.positions:
            grouped.setdefault(position.person_id, (position.person, []))[1].append(position)
        return list(grouped.values())


def descendants(company_pk: int, parents: dict[int, int | None]) -> set[int]:
    """Every company below `company_pk` in the `parents` map (pk -> parent pk)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [company_pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != company_pk:
                found.add(child)
                todo.append(child)
    return found


def company_timeline(company: Company, *, published_sources_only: bool = True) -> CompanyTimeline:
    """A company's people over time, with its parent and subsidiaries (three queries).

    Positions at the company and at its subsidiaries (at any depth) are listed together,
    in timeline order; `position.company` says where each one was.
    """
    family = {
        c.pk: c for c in Company.objects.only("pk", "name", "slug", "native_name", "parent_id")
    }
    below = descendants(company.pk, {pk: c.parent_id for pk, c in family.items()})
    positions = list(
        Position.objects.filter(company_id__in={company.pk, *below})
        .timeline()
        .prefetch_related(_sources(published_sources_only))
    )
    subsidiaries = sorted(
        (c for c in family.values() if c.parent_id == company.pk), key=lambda c: c.name
    )
    return CompanyTimeline(
        company=company,
        parent=family.get(company.parent_id),
        subsidiaries=subsidiaries,
        positions=positions,
    )


def ending_summary(position: Position) -> str:
    """How a role ended, in words: 'Resigned on 15 Oct 2021', 'Replaced by Zeng Xuezhong
    on 7 Dec 2021', 'Ended in 2007'. Empty for a role still held or ended nobody knows how.

    Needs `successor` loaded (``Position.objects.timeline()`` selects it).
    """
    if position.is_current:
        return ""
    when = position.end_display
    if position.ending == Position.Ending.UNKNOWN:
        return f"Ended {_on(position)}{when}" if when else ""
    words = position.get_ending_display()
    if position.successor_id:
        words = f"{words} by {position.successor.name}"
    return f"{words} {_on(position)}{when}" if when else words


def _on(position: Position) -> str:
    return "on " if position.end_precision == DatePrecision.DAY else "in "
