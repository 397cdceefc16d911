"""Timelines for the public pages: a person's roles over time, and a company's people over
time with its parent and subsidiaries.

Only roles a reader may see (``articles.site.navigation.public_positions``), in timeline order
(see ``Position.objects.timeline()``), each with its published sources and whether to link
its person, company and successor. A fixed number of queries however many roles, people
or subsidiaries there are. How a role ended is said by the ``role_ending`` template tag.
"""

from dataclasses import dataclass

from articles.site.navigation import flag, public_company_condition, public_positions

from .models import Company, Person, Position


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
    """A company's people over time, with its parent and subsidiaries (three queries,
    five when some roles have no source).

    Roles at the company and at its subsidiaries at any depth are listed together, in
    timeline order; `position.company` says where each one was.
    """
    family = {c.pk: c for c in Company.objects.annotate(is_public=flag(public_company_condition()))}
    below = descendants(company.pk, {pk: c.parent_id for pk, c in family.items()})
    parent = family.get(company.parent_id)
    subsidiaries = sorted(
        (c for c in family.values() if c.parent_id == company.pk and c.is_public),
        key=lambda c: c.name,
    )
    return CompanyTimeline(
        company=company,
        parent=parent if parent is not None and parent.is_public else None,
        subsidiaries=subsidiaries,
        positions=public_positions(Position.objects.filter(company_id__in={company.pk, *below})),
    )
