"""Snippets: the few words around each match that a result shows, with the matches marked.

Snippets come back from the database with private-use characters around the matches;
`render_snippet` escapes the text and only then turns those markers into `<mark>`, so
neither an article nor a query can inject markup. The markers are taken out of everything
a reader types and everything that is indexed, so only the database can put them in.
"""

import html
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters mark highlights inside snippets until they are safely escaped.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
MARKERS = {ord(HIGHLIGHT_START): None, ord(HIGHLIGHT_STOP): None}


def mark_words(text: str, words: list[str]) -> str:
    """Put the markers around every occurrence of the words (for backends that cannot)."""
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_STOP}", text)


def render_snippet(raw: str | None, *, unescape: bool = False) -> SafeString:
    """Escape a snippet, then turn the highlight markers into <mark> elements.

    `unescape` first decodes entities, for snippets cut from stored HTML (PostgreSQL), so a
    reader sees "&" and not "&amp;".
    """
    text = raw or ""
    if unescape:
        text = html.unescape(text)
    text = " ".join(text.split())
    depth = 0
    out = []
    for piece in re.split(f"([{HIGHLIGHT_START}{HIGHLIGHT_STOP}])", text):
        if piece == HIGHLIGHT_START:
            if depth == 0:
                out.append("<mark>")
            depth += 1
        elif piece == HIGHLIGHT_STOP:
            if depth == 1:
                out.append("</mark>")
            depth = max(depth - 1, 0)
        else:
            out.append(escape(piece))
    if depth:
        out.append("</mark>")
    return mark_safe("".join(out))
