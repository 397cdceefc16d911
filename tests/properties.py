"""Shared Hypothesis settings and strategies for the property-based tests.

Example counts stay modest so `make test` stays fast, and the examples are the same on
every run (derandomized) so CI never turns red by chance; no deadline, since the machine is
shared and a slow example is not a wrong one. To hunt for new failures, run with
HYPOTHESIS_EXPLORE=1: random examples, ten times as many.

Tests that use the database run every example in the test's one transaction: they only
read, or add rows the next example may meet (which is fine for what they check), hence the
function-scoped-fixture health check is off.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Fixtures such as pytest-django's `settings` are set up once per test, not per example:
# fine here, as no example changes what they set.
EXPLORE = os.environ.get("HYPOTHESIS_EXPLORE") == "1"
PROPERTY = settings(
    max_examples=2000 if EXPLORE else 200,
    deadline=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
PROPERTY_WITH_DB = settings(
    PROPERTY,
    max_examples=600 if EXPLORE else 60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Tags an editor might paste, allowed or not, and a few that parsers treat specially.
TAG_NAMES = [
    "p", "a", "img", "b", "strong", "em", "h2", "h1", "ul", "li", "table", "tr", "td", "figure",
    "blockquote", "q", "span", "div", "script", "style", "iframe", "svg", "math", "template",
    "form", "input", "object", "noscript", "textarea", "title", "select", "option", "br", "hr",
    "base", "meta", "link", "xmp", "plaintext", "noembed", "frameset", "body", "html",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "href", "src", "alt", "title", "lang", "dir", "style", "onerror", "onclick", "class", "id",
    "width", "height", "cite", "srcset", "rel", "target", "xlink:href", "formaction", "scope",
]  # fmt: skip
URLS = [
    "/media/images/a.jpg", "http://127.0.0.1:8000/media/x.png", "https://tracker.example/p.gif",
    "//tracker.example/media/p.gif", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "/media/../admin/", "mailto:desk@example.com",
    "vbscript:x", "/\\evil.example/", "https://example.com/?a=1&b=2", "", " ",
]  # fmt: skip
TEXT_BITS = [
    "<", ">", "&", "&amp;", "&lt;", "&#x3c;", "&#0;", "\"", "'", "=", "/", " ", "\n", "\x00",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml ?>", "\u202e", "雷军", "ş",
]  # fmt: skip


@st.composite
def start_tags(draw):
    name = draw(st.sampled_from(TAG_NAMES))
    attributes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ATTRIBUTE_NAMES),
                st.one_of(st.sampled_from(URLS), st.text(max_size=12)),
                st.sampled_from(['"', "'", ""]),
            ),
            max_size=3,
        )
    )
    rendered = "".join(f" {attr}={quote}{value}{quote}" for attr, value, quote in attributes)
    return f"<{name}{rendered}{draw(st.sampled_from(['', ' /']))}>"


html_fragments = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(
            start_tags(),
            st.sampled_from(TAG_NAMES).map(lambda name: f"</{name}>"),
            st.sampled_from(TEXT_BITS),
            st.text(max_size=15),
        ),
        max_size=25,
    ).map("".join),
)
