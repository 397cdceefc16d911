"""Differences between two HTML fragments (article bodies) that show formatting too.

`newsroom.text.word_diff` compares the words a reader sees; an editor reviewing a story
also needs to see that a paragraph became a heading, a word was made bold, a link now
points elsewhere, or an item joined a list. xmldiff (a maintained tree differ with a
"rich text" formatter made for exactly this) finds those changes; this module asks it for
word-level text changes, and turns its annotated tree into HTML the desk can show: <ins>
and <del> for words, classes and short notes ("bold added", "was heading 2") for markup.

The result is split into top-level blocks (paragraphs, headings, lists, quotes), so a
page can show a body paragraph by paragraph (the translator's workspace does).
"""

import logging
import re
from copy import deepcopy
from dataclasses import dataclass
from difflib import SequenceMatcher

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from lxml import etree
from lxml import html as lxml_html
from xmldiff import formatting, main, utils
from xmldiff.diff_match_patch import diff_match_patch

from newsroom.text import BLOCK_TAGS, inline_word_diff, plain_text

logger = logging.getLogger(__name__)

DIFF_NS = formatting.DIFF_NS
_NS = f"{{{DIFF_NS}}}"

# Elements whose text is diffed word by word, with the formatting inside them compared
# as part of the text (the leaf blocks of an article body).
TEXT_TAGS = (
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "pre", "td", "th", "dt",
    "dd", "caption",
)  # fmt: skip
# Inline markup a change of which is a change of formatting, not of words.
FORMATTING_TAGS = (
    "a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "code", "abbr", "q", "cite",
    "span", "mark", "small",
)  # fmt: skip

FORMAT_NAMES = {
    "a": "link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "s": "strikethrough", "sub": "subscript", "sup": "superscript",
    "code": "code", "abbr": "abbreviation", "q": "quotation marks", "cite": "citation",
    "span": "formatting", "mark": "highlight", "small": "small print",
}  # fmt: skip
BLOCK_NAMES = {
    "p": "paragraph", "h1": "heading 1", "h2": "heading 2", "h3": "heading 3",
    "h4": "heading 4", "h5": "heading 5", "h6": "heading 6", "li": "list item",
    "ul": "bulleted list", "ol": "numbered list", "blockquote": "quote", "figure": "picture",
    "img": "picture", "pre": "preformatted text", "table": "table", "tr": "table row",
    "hr": "rule",
}  # fmt: skip

# What the rendered diff may contain: the body's own markup, the change marks and notes.
# Everything is sanitised once more on the way out, since stored versions may hold HTML
# from before a change of the article sanitiser.
_OUTPUT_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite", "ul", "ol",
    "li", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "abbr",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "hr",
    "span", "ins", "del", "mark", "small", "dl", "dt", "dd", "caption",
}  # fmt: skip
_OUTPUT_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Bodies past this size are compared as words only: the tree differ's cost grows faster
# than the text, and a desk page must answer in time whatever was pasted into it.
MAX_TREE_DIFF_CHARS = 200_000

# Words (with the space before them), single punctuation marks, runs of space, and
# xmldiff's placeholders for markup (private-use characters), each its own token.
_PLACEHOLDERS = "\ue000-\uf8ff"
_TOKENS = re.compile(rf"\s*[^\W{_PLACEHOLDERS}]+|\s*[^\w\s{_PLACEHOLDERS}]|[{_PLACEHOLDERS}]|\s+")


@dataclass(frozen=True)
class Block:
    """One top-level block of a compared body: its HTML, and how it changed."""

    html: SafeString
    state: str  # "same", "changed", "added" or "removed"

    @property
    def changed(self) -> bool:
        return self.state != "same"


@dataclass(frozen=True)
class HtmlDiff:
    blocks: list[Block]

    @property
    def changed(self) -> bool:
        return any(block.changed for block in self.blocks)

    @property
    def html(self) -> SafeString:
        return mark_safe("".join(block.html for block in self.blocks))


def _word_diffs(left: str, right: str) -> list[tuple[int, str]]:
    """The diff of two texts as xmldiff's formatter wants it (diff-match-patch's
    (op, text) pairs, deletions before insertions), found word by word with difflib as
    `newsroom.text.word_diff` does, so a change never splits a word ("to|day")."""
    a, b = _TOKENS.findall(left), _TOKENS.findall(right)
    # A lone space (before a tag) never anchors a match; words do.
    matcher = SequenceMatcher(
        lambda key: key == " ",
        [t.strip() or " " for t in a],
        [t.strip() or " " for t in b],
        autojunk=False,
    )
    diffs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            # Unchanged words, written as the new text has them.
            diffs.append((diff_match_patch.DIFF_EQUAL, "".join(b[j1:j2])))
            continue
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        # A space that moved around a tag is no change worth marking.
        if old.strip():
            diffs.append((diff_match_patch.DIFF_DELETE, old))
        if new.strip():
            diffs.append((diff_match_patch.DIFF_INSERT, new))
        elif new:
            diffs.append((diff_match_patch.DIFF_EQUAL, new))
    return diffs


class _WordLevelFormatter(formatting.XMLFormatter):
    """xmldiff's rich-text formatter, diffing the text inside a block word by word (its
    own diff goes character by character)."""

    def _make_diff_tags(self, left_value, right_value, node, target=None):
        if self.normalize & formatting.WS_TEXT:
            left_value = utils.cleanup_whitespace(left_value or "").strip()
            right_value = utils.cleanup_whitespace(right_value or "").strip()
        diffs = _word_diffs(left_value or "", right_value or "")
        child = None if target is None else node
        for op, text in self._realign_placeholders(diffs):
            if op != diff_match_patch.DIFF_EQUAL and not text.strip():
                # Only a space moved around a tag: no change worth marking.
                if op == diff_match_patch.DIFF_DELETE:
                    continue
                op = diff_match_patch.DIFF_EQUAL
            if op == diff_match_patch.DIFF_EQUAL:
                piece = text
            else:
                action = "delete" if op == diff_match_patch.DIFF_DELETE else "insert"
                if self.placeholderer.is_placeholder(text):
                    piece = self.placeholderer.mark_diff(text, action)
                else:
                    piece = self.placeholderer.wrap_diff(text, action)
            if child is None:
                node.text = (node.text or "") + piece
            else:
                child.tail = (child.tail or "") + piece


def _parse(html: str) -> etree._Element:
    """An HTML fragment as an XML tree under one <div>, whitespace between tags dropped."""
    if not (html or "").strip():
        return etree.Element("div")
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    xml = etree.tostring(fragment, encoding="unicode")
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    _wrap_loose_text(root)
    return root


def _wrap_loose_text(root) -> None:
    """Text and inline markup straight under the root go into paragraphs, as a reader's
    browser shows them, so that every top-level child is a block."""
    runs, run = [], []
    if (root.text or "").strip():
        run.append(root.text)
    root.text = None
    for child in list(root):
        tail, child.tail = child.tail, None
        if isinstance(child.tag, str) and child.tag in BLOCK_TAGS - {"br"}:
            if run:
                runs.append((child, run))
                run = []
        else:
            root.remove(child)
            run.append(child)
        if (tail or "").strip():
            run.append(tail)
    if run:
        runs.append((None, run))
    for before, parts in runs:
        paragraph = etree.Element("p")
        for part in parts:
            if isinstance(part, str):
                if len(paragraph):
                    paragraph[-1].tail = (paragraph[-1].tail or "") + part
                else:
                    paragraph.text = (paragraph.text or "") + part
            else:
                paragraph.append(part)
        if before is None:
            root.append(paragraph)
        else:
            before.addprevious(paragraph)


def _add_class(element, name: str) -> None:
    classes = (element.get("class") or "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _note(text: str) -> etree._Element:
    note = etree.Element("span")
    note.set("class", "diff-note")
    note.text = text
    return note


def _put_note(element, text: str, *, first: bool = True) -> None:
    """A short visible note in the element, where it is valid HTML to have one."""
    if element.tag in ("ul", "ol") and len(element) and element[0].tag == "li":
        element = element[0]  # a list's note goes in its first item
    elif element.tag in ("ul", "ol", "table", "thead", "tbody", "tr", "img", "hr", "br"):
        return  # their items carry the mark; a note here would be misplaced
    note = _note(text)
    if first:
        note.tail, element.text = element.text, None
        element.insert(0, note)
    else:
        element.append(note)


def _attribute_changes(element) -> list[str]:
    changed = []
    for kind in ("update", "add", "delete", "rename"):
        value = element.attrib.pop(f"{_NS}{kind}-attr", None)
        if value:
            changed += [part.split(":", 1)[0] for part in value.split(";") if part]
    return changed


def _present(root) -> None:
    """Turn xmldiff's annotations into display markup, in place."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag == formatting.INSERT_NAME:
            element.tag = "ins"
            continue
        if element.tag == formatting.DELETE_NAME:
            element.tag = "del"
            continue
        tag = element.tag
        name = FORMAT_NAMES.get(tag) or BLOCK_NAMES.get(tag) or tag
        if f"{_NS}insert-formatting" in element.attrib:
            del element.attrib[f"{_NS}insert-formatting"]
            _add_class(element, "diff-format-added")
            what = f"{name} added" + (f": {element.get('href')}" if tag == "a" else "")
            _put_note(element, what, first=False)
        if f"{_NS}delete-formatting" in element.attrib:
            del element.attrib[f"{_NS}delete-formatting"]
            _add_class(element, "diff-format-removed")
            what = f"{name} removed" + (f": {element.get('href')}" if tag == "a" else "")
            _put_note(element, what, first=False)
        # An item of a list that was itself added or removed: the list's note says it.
        parent = element.getparent()
        in_marked_list = parent is not None and bool(
            {"diff-added", "diff-removed"} & set((parent.get("class") or "").split())
        )
        for mark, css, verb in ((f"{_NS}insert", "diff-added", "added"),
                                (f"{_NS}delete", "diff-removed", "removed")):  # fmt: skip
            if mark in element.attrib:
                del element.attrib[mark]
                _add_class(element, css)
                if not in_marked_list:
                    _put_note(element, f"{name} {verb}:" if tag not in FORMAT_NAMES else f"{verb}:")
                break
        renamed_from = element.attrib.pop(f"{_NS}rename", None)
        if renamed_from and not {"diff-added", "diff-removed"} & set(
            (element.get("class") or "").split()
        ):
            _add_class(element, "diff-renamed")
            was = BLOCK_NAMES.get(renamed_from) or FORMAT_NAMES.get(renamed_from, renamed_from)
            _put_note(element, f"now {name}, was {was}:")
        attributes = _attribute_changes(element)
        if attributes:
            _add_class(element, "diff-attr-changed")
            _put_note(element, f"{name} changed ({', '.join(sorted(set(attributes)))})")
        if tag == "a":
            # Links are shown, not followed (and a changed link nests the old and the
            # new one, which a browser would pull apart).
            href = element.attrib.pop("href", "")
            element.tag = "span"
            for attribute in list(element.attrib):
                if attribute not in ("class", "title"):
                    del element.attrib[attribute]
            _add_class(element, "diff-link")
            if href:
                element.set("title", href)
    etree.cleanup_namespaces(root)


def _block_state(element) -> str:
    classes = (element.get("class") or "").split()
    if "diff-added" in classes:
        return "added"
    if "diff-removed" in classes:
        return "removed"
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("ins", "del") or any(
            c.startswith("diff-") and c not in ("diff-link", "diff-note")
            for c in (node.get("class") or "").split()
        ):
            return "changed"
    return "same"


def _serialise(element) -> str:
    tail, element.tail = element.tail, None
    out = etree.tostring(element, method="html", encoding="unicode")
    element.tail = tail
    return out


def _clean(html: str, *, links: bool = False) -> SafeString:
    """Sanitised: what is compared (`links`: keeping links) and what is shown."""
    tags, attributes = _OUTPUT_TAGS, _OUTPUT_ATTRIBUTES
    if links:
        tags, attributes = tags | {"a"}, {**attributes, "a": {"href", "hreflang"}}
    return mark_safe(
        nh3.clean(
            html,
            tags=tags,
            attributes=attributes,
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
            strip_comments=True,
        )
    )


def _blocks(root) -> list[Block]:
    """The root's children (and any loose text) as blocks."""
    blocks = []
    if (root.text or "").strip():
        blocks.append(Block(_clean(f"<p>{escape(root.text.strip())}</p>"), "same"))
    for child in root:
        if not isinstance(child.tag, str):
            continue
        blocks.append(Block(_clean(_serialise(child)), _block_state(child)))
        if (child.tail or "").strip():
            blocks.append(Block(_clean(f"<p>{escape(child.tail.strip())}</p>"), "same"))
    return blocks


def html_blocks(html: str) -> list[SafeString]:
    """The top-level blocks of an HTML fragment, each as HTML (links shown as text)."""
    try:
        root = _parse(_clean(html, links=True))
    except (etree.ParserError, etree.XMLSyntaxError):
        return [_clean(html)] if html else []
    _present(root)
    return [block.html for block in _blocks(root)]


def _words_only(old: str, new: str) -> HtmlDiff:
    """The plain words of two (very long) bodies compared: paragraphs matched first, then
    words within each changed pair, so the cost stays near the length of the text."""
    a, b = plain_text(old).split("\n"), plain_text(new).split("\n")
    blocks = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks += [Block(mark_safe(f"<p>{escape(line)}</p>"), "same") for line in b[j1:j2]]
            continue
        pairs = list(zip(a[i1:i2], b[j1:j2], strict=False))
        for before, after in pairs:
            text = inline_word_diff(before, after, context=10_000)
            blocks.append(Block(mark_safe(f"<p>{text}</p>"), "changed"))
        for line in a[i1 + len(pairs) : i2]:
            blocks.append(
                Block(
                    mark_safe(f'<p class="diff-removed"><del>{escape(line)}</del></p>'), "removed"
                )
            )
        for line in b[j1 + len(pairs) : j2]:
            blocks.append(
                Block(mark_safe(f'<p class="diff-added"><ins>{escape(line)}</ins></p>'), "added")
            )
    return HtmlDiff(blocks)


def html_diff(old: str, new: str) -> HtmlDiff:
    """Compare two HTML fragments: words, and the markup around them.

    Added and removed words come out in <ins> and <del>; a block that was added, removed,
    or turned into another kind, and inline formatting that was added or removed, carry a
    class (`diff-added`, `diff-removed`, `diff-renamed`, `diff-format-added`,
    `diff-format-removed`, `diff-attr-changed`) and a short note saying what changed.
    Never raises for odd HTML: it falls back to comparing the words.
    """
    old, new = old or "", new or ""
    if old == new:
        return HtmlDiff([Block(html, "same") for html in html_blocks(new)])
    if len(old) + len(new) > MAX_TREE_DIFF_CHARS:
        return _words_only(old, new)
    try:
        # Sanitised first: a stored version may predate the article sanitiser's rules.
        left, right = _parse(_clean(old, links=True)), _parse(_clean(new, links=True))
        formatter = _WordLevelFormatter(
            normalize=formatting.WS_BOTH,
            pretty_print=False,
            text_tags=TEXT_TAGS,
            formatting_tags=FORMATTING_TAGS,
        )
        # fast_match pairs nodes along their longest common sequence first: right for
        # documents, whose blocks mostly keep their order (the default greedy matching
        # pairs unchanged paragraphs with wrong partners in long bodies).
        result = main.diff_trees(
            left, deepcopy(right), diff_options={"fast_match": True}, formatter=formatter
        )
        root = etree.fromstring(result) if isinstance(result, str) else result
        _present(root)
        return HtmlDiff(_blocks(root))
    except Exception:  # the differ on HTML it was not made for: words still compare
        logger.warning("HTML diff failed; comparing words only", exc_info=True)
        return _words_only(old, new)
