"""Finding people and companies by what a reader types: any of their names, in any script.

Every name a person or company is known by (the printed name, the name in its own script,
the aliases) is kept folded in `NameKey` rows: the whole name, and each tail of it that
starts a word ("lei jun", "jun"); in scripts written without spaces (雷军, 小米集团) each
tail that starts a character, so "小米" finds 小米集团. `find` then answers a search with
two reads of the key index, bounded whatever the size of the newsroom, and one query per
kind for the public people and companies among what matched.

The keys are rebuilt on every save of a person or company (signals, connected in
`PeopleConfig.ready`); bulk loads call `index_names` themselves.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q
from django.db.models.signals import post_save

from newsroom.text import fold

from .models import Company, NameKey, Person, split_lines

# Words of a name; an apostrophe inside a word belongs to it (O'Brien).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
KEY_LENGTH = 255
# A name has at most this many tails (a long company name or an unspaced one).
MAX_TAILS = 12
# What one search reads: matched keys, and words of the query tried as whole names.
MAX_KEYS = 60
MAX_WORDS = 6
# Runs of up to this many words typed are tried as whole names.
MAX_RUN = 3
# The last character a key can hold, to close a prefix range (SQLite).
_PAST_ANY = "\U0010ffff"


def _unspaced(char: str) -> bool:
    """Scripts written without spaces between words: Han, kana, hangul syllables, Thai."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
        or 0x0E00 <= code <= 0x0E7F
    )


def name_key(text: str) -> str:
    """A name (or what a reader typed) as a lookup key: accents and case folded, words
    separated by one space, punctuation dropped ('Xiaomi Technology (Wuhan) Co., Ltd.'
    -> 'xiaomi technology wuhan co ltd')."""
    return " ".join(_WORD.findall(fold(text or "")))[:KEY_LENGTH]


def name_keys(names: Iterable[str]) -> list[tuple[str, bool]]:
    """The (key, whole) pairs that find a name: the whole name, then its tails."""
    found: dict[str, bool] = {}
    for name in names:
        key = name_key(name)
        if not key:
            continue
        found[key] = True
        starts = [match.start() for match in re.finditer(r"(?<= )\S", key)]
        starts += [i for i, char in enumerate(key) if i and _unspaced(char) and key[i - 1] != " "]
        for start in sorted(set(starts))[:MAX_TAILS]:
            found.setdefault(key[start:], False)
    return list(found.items())


def entity_names(entity: Person | Company) -> list[str]:
    return [entity.name, entity.native_name, *split_lines(entity.aliases)]


def index_names(entities: Iterable[Person | Company], *, using: str = "default") -> int:
    """Replace the name keys of `entities` (all people or all companies); returns the
    number of keys written."""
    entities = list(entities)
    if not entities:
        return 0
    field = "person" if isinstance(entities[0], Person) else "company"
    NameKey.objects.using(using).filter(**{f"{field}__in": [e.pk for e in entities]}).delete()
    rows = [
        NameKey(**{field: entity}, key=key, whole=whole)
        for entity in entities
        for key, whole in name_keys(entity_names(entity))
    ]
    NameKey.objects.using(using).bulk_create(rows, batch_size=2000)
    return len(rows)


def rebuild_names(*, using: str = "default") -> int:
    """Every person's and company's keys afresh (after a bulk load that skipped them)."""
    NameKey.objects.using(using).all().delete()
    written = 0
    for model in (Person, Company):
        batch = []
        for entity in model.objects.using(using).only("pk", "name", "native_name", "aliases"):
            batch.append(entity)
            if len(batch) == 2000:
                written += index_names(batch, using=using)
                batch = []
        written += index_names(batch, using=using)
    return written


def _entity_saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields is not None and not {"name", "native_name", "aliases"} & set(update_fields):
        return
    index_names([instance], using=using)


def connect_signals() -> None:
    for model in (Person, Company):
        post_save.connect(
            _entity_saved, sender=model, dispatch_uid=f"people.names.{model._meta.model_name}"
        )


# -- Looking names up ---------------------------------------------------------------------


def _starts_with(prefix: str, using: str) -> Q:
    """Keys starting with `prefix`, as a condition the key index answers: PostgreSQL's
    LIKE reads its pattern-operator index; SQLite's LIKE ignores case and so no index,
    but a range of the (binary-ordered) index is the same set."""
    if connections[using].vendor == "postgresql":
        return Q(key__startswith=prefix)
    return Q(key__gte=prefix, key__lt=prefix + _PAST_ANY)


@dataclass(frozen=True)
class Found:
    """A person or company a search found, and how well the words name them (lower is
    better: 0 a whole name, 1 the start of one, 2 the start of a word in one, 3 one of
    several words typed is a whole name)."""

    entity: Person | Company
    rank: int

    @property
    def kind(self) -> str:
        return "person" if isinstance(self.entity, Person) else "company"


def find(query: str, *, limit: int = 6, using: str = "default") -> list[Found]:
    """Public people and companies whose names match `query`, best first, at most `limit`.

    Four queries whatever the size of the newsroom: keys starting with the words typed (in
    key order, at most `MAX_KEYS`), whole names equal to a run of the words (when there
    are several), then the public people and the public companies among them.
    """
    phrase = name_key(query)
    if len(phrase) < 2 and not (phrase and _unspaced(phrase)):
        return []  # one Latin letter names nobody in particular (雷 may: a surname)
    keys = NameKey.objects.using(using).only("person_id", "company_id", "key", "whole")
    matched = list(keys.filter(_starts_with(phrase, using)).order_by("key")[:MAX_KEYS])
    words = phrase.split(" ")[:MAX_WORDS]
    if len(words) > 1:
        # Whole names among the words typed: "Lei Jun resigns" names Lei Jun.
        runs = {
            " ".join(words[start : start + size])
            for size in range(1, MAX_RUN + 1)
            for start in range(len(words) - size + 1)
        }
        runs = {run for run in runs if len(run) > 1 or _unspaced(run)} - {phrase}
        matched += list(keys.filter(whole=True, key__in=runs)[:MAX_KEYS])
    best: dict[tuple[str, int], int] = {}
    for row in matched:
        if row.key == phrase and row.whole:
            rank = 0
        elif row.key.startswith(phrase):
            rank = 1 if row.whole else 2
        else:
            rank = 3
        ref = ("person", row.person_id) if row.person_id else ("company", row.company_id)
        best[ref] = min(rank, best.get(ref, rank))
    if not best:
        return []
    found = []
    for kind, model in (("person", Person), ("company", Company)):
        ids = [pk for (k, pk) in best if k == kind]
        if ids:
            for entity in model.objects.using(using).public().filter(pk__in=ids):
                found.append(Found(entity, best[(kind, entity.pk)]))
    found.sort(key=lambda f: (f.rank, f.kind != "person", f.entity.name.casefold()))
    return found[:limit]
