"""Cursor (keyset) pagination: a page starts after the last row of the page before, named by
its sort key, so rows published meanwhile never shift a page or repeat a row, and page
1 000 costs what page 1 does (no OFFSET, no COUNT).

A cursor is opaque to callers: URL-safe base64 of a small JSON list, the kind of list it
belongs to first (`["articles", "2025-01-02T03:04:05.000006+00:00", 12]`). Anything that
does not decode to the right kind and shape is refused with a 400 naming `cursor`.
"""

import base64
import binascii
import datetime
import json
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from articles.syndication.api.problems import BadParameter
from newsroom.site import absolute_url

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Cursors are short; a longer one cannot be ours (and is not decoded at all).
MAX_CURSOR_LENGTH = 300
CURSOR_PATTERN = r"^[A-Za-z0-9_=-]+$"


def encode(kind: str, *key) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, token: str, *types: type) -> list:
    """The sort key in `token`, checked to be a `kind` cursor of values of `types`."""
    bad = BadParameter("cursor", "This is not a cursor this list gave out; start again without.")
    if len(token) > MAX_CURSOR_LENGTH:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        found = json.loads(raw)
    except (binascii.Error, ValueError):
        raise bad from None
    if not isinstance(found, list) or len(found) != len(types) + 1 or found[0] != kind:
        raise bad
    key = []
    for value, expected in zip(found[1:], types, strict=True):
        if expected is datetime.datetime:
            try:
                value = datetime.datetime.fromisoformat(value)
                if value.tzinfo is None:
                    raise bad
                value = value.astimezone(datetime.UTC)
            except (TypeError, ValueError, OverflowError):
                raise bad from None
        elif expected is int:
            # bool is an int to Python, not to us; ids fit in 63 bits.
            if type(value) is not int or not 0 < value < 2**63:
                raise bad
        elif not isinstance(value, expected) or "\x00" in value:
            raise bad
        key.append(value)
    return key


def next_url(request, cursor: str | None) -> str | None:
    """This list's address with `cursor` in place of the one it was asked with."""
    if cursor is None:
        return None
    params = [(k, v) for k, values in request.GET.lists() for v in values if k != "cursor"]
    params.append(("cursor", cursor))
    return absolute_url(f"{request.path}?{urlencode(params)}")


def newest_first_page(queryset: QuerySet, *, cursor: str | None, limit: int):
    """A page of `queryset` newest first by (published_at, id), after `cursor`.

    Returns (rows, the next page's cursor or None)."""
    if cursor:
        published_at, pk = decode("articles", cursor, datetime.datetime, int)
        queryset = queryset.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
        )
    rows = list(queryset.order_by("-published_at", "-pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode("articles", last.published_at.isoformat(), last.pk)


def ascending_page(queryset: QuerySet, *, kind: str, field: str, cursor: str | None, limit: int):
    """A page of `queryset` in ascending order of a unique `field` (a slug), after `cursor`."""
    if cursor:
        (after,) = decode(kind, cursor, str)
        queryset = queryset.filter(**{f"{field}__gt": after})
    rows = list(queryset.order_by(field)[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], encode(kind, getattr(rows[limit - 1], field))


def descending_id_page(queryset: QuerySet, *, kind: str, cursor: str | None, limit: int):
    """A page of `queryset` newest first by id, after `cursor`."""
    if cursor:
        (before,) = decode(kind, cursor, int)
        queryset = queryset.filter(pk__lt=before)
    rows = list(queryset.order_by("-pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], encode(kind, rows[limit - 1].pk)
