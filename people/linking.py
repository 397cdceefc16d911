"""Entity linking: which people and companies an article mentions.

The linker reads an article's title, standfirst and body and suggests the people and
companies it names. It matches every name a person or company is known by (the printed
name, the name in its own script, the aliases), ignoring case and accents, only on whole
words, and across the endings Turkish and Dutch attach to names ("Lei Jun'un",
"Xiaomi'nin", "Xiaomi's", "Lei Juns"). Names written in scripts without spaces between
words (雷军) are found wherever they occur.

A suggestion is *confident* when the words name one person or company in full. It is
*ambiguous* when they could mean several (a surname alone, "Wang", could be Wang Hua or
Wang Xiang), or when a one-word name only appears in lower case ("apple" is more often
fruit than company). Ambiguous suggestions are shown to the editor, never linked by
themselves. Accepted mentions are the article's ``people`` and ``companies``, which pages
and feeds use; accepting them is an editorial operation (`articles/mentions.py`), so this
module only reads.

Usage::

    linker = Linker.current()                   # the index, rebuilt only after a name changed
    suggestions = linker.suggest(title, standfirst, body_text)
    pending = pending_suggestions(article)       # not yet accepted, for the admin
    review = review_mentions(article)            # pending, and linked but never named
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsroom import pagecache
from newsroom.text import fold, html_to_text

from .models import Company, Person

PERSON, COMPANY = "person", "company"

# A word, with what a suffix-attaching language may hang on it after an apostrophe.
_TOKEN = re.compile(r"(?P<word>[^\W_]+)(?:(?P<apostrophe>['’ʼ‘`´])(?P<suffix>[^\W_]+))?")
# Inside a name an apostrophe belongs to the name (O'Brien), so names tokenise whole.
_NAME_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ‘`´][^\W_]+)*")

# Reasons a suggestion is not confident.
PARTIAL = "partial name"
SHARED = "name shared by several"
LOWER_CASE = "only in lower case"

# Bumped whenever a person or company is saved or deleted (PeopleConfig.ready connects
# the receivers): the version the cached index was built at tells whether it is current.
NAMES_TAG = "linker:names"

# Surnames and given names shorter than this are too common on their own to suggest.
MIN_PARTIAL_LENGTH = 2


def _is_unspaced(char: str) -> bool:
    """Scripts written without spaces between words, where names are found as substrings."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= code <= 0x3134F  # CJK extensions B–G
        or 0x0E00 <= code <= 0x0E7F  # Thai
    )


def _gap_key(gap: str) -> str | None:
    """What separates two words of a name, whitespace ignored; None if it ends a paragraph."""
    if gap.count("\n") >= 2:
        return None
    return fold("".join(gap.split()))


@dataclass(frozen=True)
class _Token:
    word: str  # folded word without any suffix
    full: str  # folded word with its apostrophe suffix, if any
    has_suffix: bool
    capitalised: bool
    lower: bool
    gap: str | None  # folded separator before this token
    start: int
    end: int


def _tokenise(text: str) -> list[_Token]:
    tokens, previous_end = [], 0
    for match in _TOKEN.finditer(text):
        word = match["word"]
        suffix = match["suffix"]
        tokens.append(
            _Token(
                word=fold(word),
                full=fold(match.group(0)),
                has_suffix=bool(suffix),
                capitalised=word[:1].isupper(),
                lower=word.islower(),
                gap=_gap_key(text[previous_end : match.start()]),
                start=match.start(),
                end=match.end(),
            )
        )
        previous_end = match.end()
    return tokens


def _ends_name(token: _Token, wanted: str) -> bool:
    """The last word of a name, bare or with a suffix: "Jun", "Jun'un", "Juns"."""
    if token.full == wanted or (token.has_suffix and token.word == wanted):
        return True
    return token.capitalised and not token.has_suffix and token.word == wanted + "s"


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    gaps: tuple[str, ...]  # between tokens, len(tokens) - 1
    has_capitals: bool


def _parse_name(name: str) -> _Name | None:
    matches = list(_NAME_TOKEN.finditer(name))
    if not matches:
        return None
    gaps = tuple(
        _gap_key(name[a.end() : b.start()]) or ""
        for a, b in zip(matches, matches[1:], strict=False)
    )
    return _Name(
        tokens=tuple(fold(m.group(0)) for m in matches),
        gaps=gaps,
        has_capitals=any(c.isupper() for c in name),
    )


@dataclass
class Suggestion:
    """A person or company the text seems to mention."""

    kind: str  # PERSON or COMPANY
    entity: Person | Company
    confident: bool = False
    found_as: list[str] = field(default_factory=list)  # the words as written, first seen first
    count: int = 0
    reasons: list[str] = field(default_factory=list)  # why not confident, when it is not
    alternatives: list[Person | Company] = field(default_factory=list)  # other readings
    first_seen: tuple[int, int] = (0, 0)

    @property
    def ambiguous(self) -> bool:
        return not self.confident

    @property
    def key(self) -> str:
        """'person:12' or 'company:3': how an accept button names it (Linker.find reads it)."""
        return f"{self.kind}:{self.entity.pk}"

    def __str__(self) -> str:
        flag = "" if self.confident else " (ambiguous)"
        return f"{self.entity.name}{flag}"


@dataclass
class _Occurrence:
    keys: tuple[tuple[str, int], ...]
    surface: str
    where: tuple[int, int]
    reason: str | None  # None: confident if it names one entity


_current: dict[str, tuple[dict[str, str], "Linker"]] = {}


def names_changed(sender=None, **kwargs) -> None:
    """A person's or company's names may have changed: the next `Linker.current()` rebuilds."""
    pagecache.invalidate(NAMES_TAG)


class Linker:
    """An index of every name of every person and company, built in two queries."""

    def __init__(self, people: Iterable[Person], companies: Iterable[Company]):
        self.entities: dict[tuple[str, int], Person | Company] = {}
        # first folded token -> list of (name, keys it names); longest names first
        self._names: dict[str, dict[_Name, set[tuple[str, int]]]] = {}
        self._unspaced: dict[str, set[tuple[str, int]]] = {}
        self._partial: dict[str, set[tuple[str, int]]] = {}
        for kind, entities in ((PERSON, people), (COMPANY, companies)):
            for entity in entities:
                key = (kind, entity.pk)
                self.entities[key] = entity
                for name in entity.all_names():
                    self._add_name(name, key)
        self._by_first = {
            first: sorted(names.items(), key=lambda item: -len(item[0].tokens))
            for first, names in self._names.items()
        }

    @classmethod
    def load(cls) -> "Linker":
        """Every person and company, with only the fields linking needs (two queries)."""
        fields = ("pk", "name", "slug", "native_name", "aliases")
        return cls(Person.objects.only(*fields), Company.objects.only(*fields))

    @classmethod
    def current(cls) -> "Linker":
        """The index of every name, built once per process and rebuilt only when a person
        or company was saved or deleted since (one cache read per call instead of reading
        and parsing thousands of names on every admin page).

        The version is read before the rows, so a change made while they are read leaves
        an index that the next call rebuilds. Bulk writes that send no signals (the
        archive generator) retire it through the site-wide tag.
        """
        stamp = pagecache.versions([NAMES_TAG, pagecache.SITE_TAG])
        cached = _current.get("linker")
        if cached is None or cached[0] != stamp:
            cached = _current["linker"] = (stamp, cls.load())
        return cached[1]

    def find(self, key: str) -> Person | Company | None:
        """The person or company a Suggestion.key names ('person:12'), or None."""
        kind, _sep, pk = key.partition(":")
        return self.entities.get((kind, int(pk))) if pk.isdigit() else None

    def _add_name(self, name: str, key: tuple[str, int]) -> None:
        name = name.strip()
        if not name:
            return
        if any(_is_unspaced(c) for c in name):
            folded = fold("".join(name.split()))
            self._unspaced.setdefault(folded, set()).add(key)
            return
        parsed = _parse_name(name)
        if parsed is None:
            return
        self._names.setdefault(parsed.tokens[0], {}).setdefault(parsed, set()).add(key)
        if key[0] == PERSON and len(parsed.tokens) > 1:
            for token in parsed.tokens:
                if len(token) >= MIN_PARTIAL_LENGTH:
                    self._partial.setdefault(token, set()).add(key)

    # -- finding -----------------------------------------------------------------------

    def _match_at(self, tokens: list[_Token], i: int):
        """The longest name starting at token i: (name, keys, tokens used) or None."""
        first = tokens[i]
        forms = [(first.full, "exact")]
        if first.has_suffix:
            forms.append((first.word, "suffix"))
        elif first.capitalised and len(first.word) > 3 and first.word.endswith("s"):
            forms.append((first.word[:-1], "genitive-s"))  # Dutch: "Lei Juns", "Kingsofts"
        best = None
        for form, how in forms:
            for name, keys in self._by_first.get(form, ()):
                size = len(name.tokens)
                if best and size <= len(best[0].tokens):
                    continue
                if size == 1:
                    best = (name, keys, 1)
                    continue
                if how != "exact" or not self._rest_matches(tokens, i, name):
                    continue
                best = (name, keys, size)
        return best

    @staticmethod
    def _rest_matches(tokens: list[_Token], i: int, name: _Name) -> bool:
        size = len(name.tokens)
        if i + size > len(tokens):
            return False
        for offset in range(1, size):
            token = tokens[i + offset]
            if token.gap is None or token.gap != name.gaps[offset - 1]:
                return False
            wanted = name.tokens[offset]
            if offset < size - 1:
                if token.full != wanted:
                    return False
            elif not _ends_name(token, wanted):
                return False
        return True

    def _occurrences(self, texts: list[str]) -> list[_Occurrence]:
        found = []
        for index, text in enumerate(texts):
            tokens = _tokenise(text)
            i = 0
            while i < len(tokens):
                match = self._match_at(tokens, i)
                if match:
                    name, keys, size = match
                    last = tokens[i + size - 1]
                    reason = None
                    if len(keys) > 1:
                        reason = SHARED
                    elif size == 1 and tokens[i].lower and name.has_capitals:
                        reason = LOWER_CASE
                    found.append(
                        _Occurrence(
                            tuple(sorted(keys)),
                            text[tokens[i].start : last.end],
                            (index, tokens[i].start),
                            reason,
                        )
                    )
                    i += size
                    continue
                token = tokens[i]
                partial = self._partial.get(token.word)
                if partial and token.capitalised:
                    found.append(
                        _Occurrence(
                            tuple(sorted(partial)),
                            text[token.start : token.end],
                            (index, token.start),
                            PARTIAL,
                        )
                    )
                i += 1
            if self._unspaced:
                self._find_unspaced(text, index, found)
        return found

    def _find_unspaced(self, text: str, index: int, found: list) -> None:
        folded = fold(text)
        # Folding rarely changes the length (ß -> ss); then quote the folded words.
        surface_text = text if len(folded) == len(text) else folded
        taken: list[tuple[int, int]] = []
        for name in sorted(self._unspaced, key=len, reverse=True):
            start = folded.find(name)
            while start != -1:
                end = start + len(name)
                if not any(a < end and start < b for a, b in taken):
                    taken.append((start, end))
                    keys = tuple(sorted(self._unspaced[name]))
                    found.append(
                        _Occurrence(
                            keys,
                            surface_text[start:end],
                            (index, start),
                            SHARED if len(keys) > 1 else None,
                        )
                    )
                start = folded.find(name, end)

    def suggest(self, *texts: str) -> list[Suggestion]:
        """Suggestions for the given plain texts, in the order they are first mentioned.

        An ambiguous occurrence whose readings include someone already named in full
        elsewhere in the text is taken to mean them ("Wang Hua said … Wang added").
        """
        occurrences = sorted(self._occurrences(list(texts)), key=lambda o: o.where)
        suggestions: dict[tuple[str, int], Suggestion] = {}

        def add(key, occurrence, confident, reason=None, alternatives=()):
            suggestion = suggestions.get(key)
            if suggestion is None:
                suggestion = suggestions[key] = Suggestion(
                    kind=key[0], entity=self.entities[key], first_seen=occurrence.where
                )
            suggestion.count += 1
            if occurrence.surface not in suggestion.found_as:
                suggestion.found_as.append(occurrence.surface)
            if confident:
                suggestion.confident = True
            elif reason not in suggestion.reasons:
                suggestion.reasons.append(reason)
            for other in alternatives:
                entity = self.entities[other]
                if entity not in suggestion.alternatives:
                    suggestion.alternatives.append(entity)

        # Entities named in full, unambiguously, somewhere in the text.
        strong = {o.keys[0] for o in occurrences if o.reason is None}
        for occurrence in occurrences:
            keys, reason = occurrence.keys, occurrence.reason
            if reason is None:
                add(keys[0], occurrence, confident=True)
            elif reason == LOWER_CASE:
                add(keys[0], occurrence, confident=keys[0] in strong, reason=reason)
            elif named := [k for k in keys if k in strong]:
                for key in named:
                    add(key, occurrence, confident=True)
            else:
                for key in keys:
                    others = [k for k in keys if k != key]
                    add(key, occurrence, confident=False, reason=reason, alternatives=others)
        for suggestion in suggestions.values():
            if suggestion.confident:
                suggestion.reasons = []
        return sorted(suggestions.values(), key=lambda s: s.first_seen)

    def suggest_for_article(self, article) -> list[Suggestion]:
        return self.suggest(*article_texts(article))


def article_texts(article) -> list[str]:
    """The texts the linker reads: title, standfirst and the body's words without HTML."""
    return [article.title or "", article.standfirst or "", html_to_text(article.body or "")]


def suggest_mentions(article, *, linker: Linker | None = None) -> list[Suggestion]:
    """Every person and company the article seems to mention, accepted or not."""
    return (linker or Linker.current()).suggest_for_article(article)


def _linked_keys(article) -> set[tuple[str, int]]:
    """(kind, pk) of every person and company the article already links (two queries)."""
    linked = {(PERSON, pk) for pk in article.people.values_list("pk", flat=True)}
    linked |= {(COMPANY, pk) for pk in article.companies.values_list("pk", flat=True)}
    return linked


@dataclass
class MentionReview:
    """What an editor checks about an article's mentions."""

    pending: list[Suggestion]  # found in the text, not linked yet
    unnamed: list[str]  # names of what is linked but not named in the text, sorted


def review_mentions(article, *, linker: Linker | None = None) -> MentionReview:
    """Suggestions not accepted yet, and links the text does not support (four queries)."""
    linker = linker or Linker.current()
    found = suggest_mentions(article, linker=linker)
    linked = _linked_keys(article) if article.pk else set()
    named = {(s.kind, s.entity.pk) for s in found}
    return MentionReview(
        pending=[s for s in found if (s.kind, s.entity.pk) not in linked],
        unnamed=sorted(
            linker.entities[key].name for key in linked - named if key in linker.entities
        ),
    )


def pending_suggestions(article, *, linker: Linker | None = None) -> list[Suggestion]:
    """Suggestions the editor has not accepted yet (four queries, however many names)."""
    return review_mentions(article, linker=linker).pending


def confident_mentions(suggestions: Iterable[Suggestion]) -> tuple[list[Person], list[Company]]:
    """The people and companies that may be linked without asking anyone."""
    people = [s.entity for s in suggestions if s.confident and s.kind == PERSON]
    companies = [s.entity for s in suggestions if s.confident and s.kind == COMPANY]
    return people, companies
