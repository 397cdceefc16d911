"""The one HTML policy for article bodies: what an editor may keep, and nothing that runs."""

import nh3

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


def sanitise_html(html: str, *, attribute_filter=None) -> str:
    """Strip scripts, event handlers, styles and unsafe URLs; keep the editorial markup.

    `attribute_filter(tag, attribute, value)` may rewrite what is kept (see nh3.clean).
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
