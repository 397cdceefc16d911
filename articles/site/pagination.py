"""Paging public lists: the `?page=` read one way everywhere, and pages that never count
the whole list."""

from dataclasses import dataclass


def page_number(raw: str | None) -> int | None:
    """The page asked for: 1 when none is given, None when `raw` is not a whole number.

    Only ASCII digits count (no signs, spaces or other scripts' digits), and no more than
    twelve of them: a longer number is a mistake or a probe, not a page. Whether the page
    exists (page 0 does not) is the paginator's question.
    """
    if raw is None or raw == "":
        return 1
    if len(raw) > 12 or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


# A list is paged by offset; past this page the archive is better reached by date.
MAX_PAGE = 1000


@dataclass(frozen=True)
class Window:
    """One page of a list, found without counting the list: a count over a large archive
    costs more than the page itself. It knows whether an older page follows, not how many
    pages there are."""

    object_list: list
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1


def window(queryset, number: int, per_page: int) -> Window | None:
    """Page `number` of `queryset` (one query: the page and one row more), or None when
    there is no such page. The first page always exists, empty or not."""
    if number < 1 or number > MAX_PAGE:
        return None
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        return None
    return Window(rows[:per_page], number, per_page, has_next=len(rows) > per_page)
