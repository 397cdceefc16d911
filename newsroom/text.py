"""Text helpers shared by the apps: HTML to text, folding text for comparison, word diffs."""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Elements that start a new block of text: their edges become line breaks, so words in
# neighbouring list items or paragraphs never run together.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}  # fmt: skip
PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"}
SKIPPED_TAGS = {"script", "style", "template"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML fragment: paragraphs separated by a blank line, tags removed."""
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    paragraphs = []
    for block in text.split("\n\n"):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


# Letters that carry no combining accent in Unicode but are "accented" to a reader.
_LETTER_FOLDS = str.maketrans(
    {
        "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "Th", "ħ": "h",
        # typographic apostrophes and primes all count as the plain apostrophe
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'",
    }
)  # fmt: skip


def strip_accents(text: str) -> str:
    """'Kılıçdaroğlu' -> 'Kilicdaroglu', 'Xiaomi’s' -> "Xiaomi's"; case is kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTER_FOLDS))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> str:
    """Text as a comparison key: accents stripped and case folded ('İSTANBUL' -> 'istanbul')."""
    return strip_accents(text).casefold()


def plain_text(html: str) -> str:
    """HTML as the words a reader sees, one block per line (for comparing versions)."""
    return "\n".join(line for line in html_to_text(html).splitlines() if line)


# -- Word diffs ---------------------------------------------------------------------------

# A word (or a punctuation mark) with the space before it, so that a shared space alone
# never splits one changed phrase into many.
_TOKENS = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")


# Past this many differing tokens (once the shared start and end are set aside) the rest
# counts as one replaced stretch: difflib's matching grows faster than the text, and two
# long bodies that differ throughout would take seconds to compare.
MAX_DIFF_TOKENS = 20_000


def _word_opcodes(old: str, new: str):
    """The two texts as tokens, and difflib's opcodes over them. Tokens are compared
    without their leading space, so re-wrapping a line is no change.

    The shared start and end are found first, in one pass, so a change in a long text
    costs what the changed stretch costs."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    sa, sb = [t.strip() for t in a], [t.strip() for t in b]
    shortest = min(len(sa), len(sb))
    head = 0
    while head < shortest and sa[head] == sb[head]:
        head += 1
    tail = 0
    while tail < shortest - head and sa[-1 - tail] == sb[-1 - tail]:
        tail += 1
    middle_a, middle_b = sa[head : len(sa) - tail], sb[head : len(sb) - tail]
    opcodes = [("equal", 0, head, 0, head)] if head else []
    if len(middle_a) + len(middle_b) > MAX_DIFF_TOKENS:
        op = "replace" if middle_a and middle_b else "delete" if middle_a else "insert"
        inner = [(op, 0, len(middle_a), 0, len(middle_b))]
    elif middle_a or middle_b:
        inner = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    else:
        inner = []
    opcodes += [(op, i1 + head, i2 + head, j1 + head, j2 + head) for op, i1, i2, j1, j2 in inner]
    if tail:
        opcodes.append(("equal", len(sa) - tail, len(sa), len(sb) - tail, len(sb)))
    return a, b, opcodes


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Side by side: the old text with removed words in <del>, the new one with added words
    in <ins>. Every piece of text is escaped; only the marks are markup."""
    return _side_by_side(*_word_opcodes(old, new))


def _side_by_side(a, b, opcodes) -> tuple[SafeString, SafeString]:
    left, right = [], []
    for op, i1, i2, j1, j2 in opcodes:
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))


def inline_word_diff(old: str, new: str, *, context: int = 12) -> SafeString:
    """One text with both marks (removed words in <del>, added in <ins>), long unchanged
    stretches cut to `context` words either side of a change."""
    return _inline(*_word_opcodes(old, new), context=context)


def _inline(a, b, opcodes, *, context: int) -> SafeString:
    parts: list[str] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op != "equal":
            if i2 > i1:
                parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
            if j2 > j1:
                parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
            continue
        same = a[i1:i2]
        head = same[:context] if n > 0 else []
        tail = same[-context:] if n < len(opcodes) - 1 else []
        if len(opcodes) > 1 and len(same) > len(head) + len(tail):
            parts.append(escape("".join(head)))
            parts.append('<span class="diff-elided"> …</span>')
            parts.append(escape("".join(tail)))
        else:
            parts.append(escape("".join(same)))
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class FieldChange:
    """One field of two states of an object, compared word by word, ready to show."""

    name: str
    label: str
    old: SafeString  # the old state, removed words in <del>
    new: SafeString  # the new state, added words in <ins>
    changed: bool
    inline: SafeString = mark_safe("")  # both marks in one text, see `inline_word_diff`
    # The new state as HTML with changes to words *and* markup marked in place (see
    # `newsroom.htmldiff`); set for HTML fields, shown instead of the two plain columns.
    rich: SafeString = mark_safe("")

    @classmethod
    def of_text(cls, name: str, label: str, old: str, new: str) -> "FieldChange":
        """Compare two plain texts; whitespace alone is no change."""
        tokens = _word_opcodes(old, new)  # once for both views
        left, right = _side_by_side(*tokens)
        changed = old.split() != new.split()
        return cls(name, label, left, right, changed, _inline(*tokens, context=12))
