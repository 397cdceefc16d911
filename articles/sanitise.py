"""The one HTML policy for article bodies: what an editor may keep, and nothing that runs.

Pictures in a body must be our own media (under MEDIA_URL: given as a path or on the site's
own host, or at the media storage's own address when MEDIA_URL is absolute): a remote
`<img>` would tell another server who reads what (a tracking pixel) and show whatever that
server sends. Such an `<img>` is removed whole, as is one left without a `src` at all.
"""

import posixpath
import re
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "q", "cite", "ul", "ol", "li",
    "a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "abbr",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
    "hr", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# nh3 writes every attribute value in double quotes with '"' and '>' escaped, so in its
# output an <img> tag ends at the first '>' and ' src="' can only be the attribute.
_IMG_TAG = re.compile(r"<img\b([^>]*)>")
_SRC_ATTRIBUTE = re.compile(r'\ssrc="')
_MAX_PASSES = 4


def sanitise_html(html: str, *, attribute_filter=None) -> str:
    """Strip scripts, event handlers, styles, unsafe URLs and remote pictures; keep the
    editorial markup.

    `attribute_filter(tag, attribute, value)` may rewrite what is kept (see nh3.clean); it
    sees a picture's `src` only when the picture is our own media.
    """
    if not html:
        return ""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not is_own_media(value):
            return None  # the src goes, and with it (below) the picture
        return attribute_filter(tag, attribute, value) if attribute_filter else value

    def clean(text: str) -> str:
        cleaned = nh3.clean(
            text,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            attribute_filter=keep,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        if "<img" not in cleaned:
            return cleaned
        return _IMG_TAG.sub(lambda tag: tag[0] if _SRC_ATTRIBUTE.search(tag[1]) else "", cleaned)

    # Dropping a tag can leave a tree that parses differently when read again: in
    # "<h2><x><h2>" the unknown <x> keeps the second heading inside the first, and once
    # <x> is gone a parser closes the first heading instead. Cleaning until nothing changes
    # makes the stored body read back as itself (a second pass almost always settles it).
    cleaned = clean(html)
    for _attempt in range(_MAX_PASSES - 1):
        again = clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def is_own_media(url: str) -> bool:
    """Whether `url` points into our media: a path under MEDIA_URL, or that path on the
    site's host (SITE_URL); when media live elsewhere (S3-compatible storage, a CDN: an
    absolute MEDIA_URL), only an absolute URL under MEDIA_URL itself."""
    url = url.strip()
    if not url or "\\" in url or any(ord(c) < 0x20 or c.isspace() for c in url):
        return False  # a browser reads a backslash as '/'; whitespace inside a URL is a trick
    media = urlsplit(settings.MEDIA_URL)
    own_hosts = {urlsplit(settings.SITE_URL).netloc.lower()}
    if media.netloc:
        own_hosts = {media.netloc.lower()}
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme not in {"http", "https"} or parts.netloc.lower() not in own_hosts:
            return False
    elif not url.startswith("/") or media.netloc:
        # Relative to the article's own address, or a path on this site while media live
        # on storage elsewhere (S3, a CDN): not our media.
        return False
    # Resolve dot segments the way a browser does (%2e counts as '.') before comparing.
    path = posixpath.normpath(unquote(parts.path))
    prefix = media.path.rstrip("/") + "/"
    return path.startswith(prefix) and len(path) > len(prefix)
