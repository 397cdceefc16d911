"""Timelines for the public pages: a person's roles over time, and a company's people over
time with its parent and subsidiaries.

Only roles a reader may see (``Position.objects.public()``), in timeline order
(see ``Position.objects.timeline()``), each with its published sources and whether to link
its person, company and successor. A fixed number of queries however many roles, people
or subsidiaries there are. How a role ended is said by the ``role_ending`` template tag.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from .models import Company, Person, Position, published_articles


def _timeline_order(position: Position):
    return (
        position.timeline_date is None,
        position.timeline_date or datetime.date.min,
        position.end_date is None,
        position.end_date or datetime.date.min,
        position.pk,
    )


def public_positions(
    queryset: QuerySet | None = None, *, latest: int | None = None
) -> list[Position]:
    """Roles a reader may see (`Position.objects.public()`), in timeline order; with
    `latest`, only that many of the most recent ones (dated roles before undated ones).

    Each role gets `published_sources`, and `person_is_public`, `company_is_public` and
    `successor_is_public` for whether to link them. A role a published article reports
    makes its people and company public by definition; only unsourced roles need a look
    (at most two more queries, and none when every role has a source).
    """
    queryset = Position.objects.all() if queryset is None else queryset
    roles = queryset.public().timeline()
    if latest is not None:
        newest_first = (
            F("timeline_date").desc(nulls_last=True),
            F("end_date").desc(nulls_first=True),
            "-pk",
        )
        roles = roles.order_by(*newest_first)[:latest]
    positions = list(
        roles.prefetch_related(
            Prefetch(
                "sources",
                # A source is shown as a linked title: its words are not loaded.
                queryset=published_articles()
                .only("language", "slug", "title", "published_at", "translation_key", "status")
                .order_by("published_at", "pk"),
                to_attr="published_sources",
            )
        )
    )
    if latest is not None:  # back into timeline order (see PositionQuerySet.timeline)
        positions.sort(key=_timeline_order)
    unsourced = [position for position in positions if not position.published_sources]
    person_ids = {p.person_id for p in unsourced} | {p.successor_id for p in unsourced}
    person_ids.discard(None)
    company_ids = {p.company_id for p in unsourced}
    public_person_ids = (
        set(Person.objects.public().filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids
        else set()
    )
    public_company_ids = (
        set(Company.objects.public().filter(pk__in=company_ids).values_list("pk", flat=True))
        if company_ids
        else set()
    )
    for position in positions:
        sourced = bool(position.published_sources)
        position.person_is_public = sourced or position.person_id in public_person_ids
        position.company_is_public = sourced or position.company_id in public_company_ids
        position.successor_is_public = position.successor_id is not None and (
            sourced or position.successor_id in public_person_ids
        )
    return positions


def person_timeline(person: Person) -> list[Position]:
    """The person's public roles in the order they happened, undated ones last (two
    queries, four when some roles have no source)."""
    return public_positions(Position.objects.filter(person=person))


@dataclass(frozen=True)
class CompanyTimeline:
    company: Company
    parent: Company | None  # only when it has a public page
    subsidiaries: list[Company]  # direct subsidiaries with a public page, by name
    positions: list[Position]  # at the company and every subsidiary below it, in order
    more_positions: bool = False  # roles older than those in `positions` exist


# A company page lists at most this many roles, the most recent: a group with hundreds of
# subsidiaries' executives would otherwise grow its page with every story reporting one.
COMPANY_ROLES_SHOWN = 40


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


def company_timeline(company: Company) -> CompanyTimeline:
    """A company's people over time, with its parent and subsidiaries (four queries,
    six when some roles have no source): the `COMPANY_ROLES_SHOWN` most recent roles.

    Roles at the company and at its subsidiaries at any depth are listed together, in
    timeline order; `position.company` says where each one was.
    """
    parents = dict(Company.objects.values_list("pk", "parent_id"))
    below = descendants(company.pk, parents)
    # Whether to link them: asked only of the parent and the direct subsidiaries.
    near = Company.objects.filter(Q(parent=company) | Q(pk=company.parent_id))
    family = {c.pk: c for c in near.with_public_flag()}
    parent = family.get(company.parent_id)
    subsidiaries = sorted(
        (c for c in family.values() if c.parent_id == company.pk and c.is_public),
        key=lambda c: c.name,
    )
    positions = public_positions(
        Position.objects.filter(company_id__in={company.pk, *below}),
        latest=COMPANY_ROLES_SHOWN + 1,
    )
    return CompanyTimeline(
        company=company,
        parent=parent if parent is not None and parent.is_public else None,
        subsidiaries=subsidiaries,
        positions=positions[-COMPANY_ROLES_SHOWN:],
        more_positions=len(positions) > COMPANY_ROLES_SHOWN,
    )
