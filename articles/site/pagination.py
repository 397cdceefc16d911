"""The `?page=` of a paginated public page, read one way everywhere."""


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
