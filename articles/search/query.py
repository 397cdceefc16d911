"""What a reader typed: normalised, bounded, and free of characters that could mislead."""

import re
import unicodedata

from articles.search.snippets import MARKERS

MAX_QUERY_LENGTH = 200
MAX_TERMS = 32
# Results a search counts and pages through; beyond it the page says "more than".
MAX_RESULTS = 1000

WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_query(raw: str) -> str:
    """Normalise what a reader typed: NFKC, no control or direction characters, one space."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text).translate(MARKERS)
    return " ".join(text.split())[: MAX_QUERY_LENGTH * 2]


def has_words(query: str) -> bool:
    return bool(WORD.search(query or ""))
