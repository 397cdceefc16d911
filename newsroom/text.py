"""Plain-text helpers shared by the apps: HTML to text, and folding text for comparison."""

import unicodedata
from html.parser import HTMLParser

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
