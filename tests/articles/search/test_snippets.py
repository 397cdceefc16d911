"""articles/search/snippets.py: snippets are escaped, and only the markers become <mark>."""

from articles.search.snippets import render_snippet


def test_snippets_escape_article_text_and_only_markers_become_mark():
    raw = "<script>alert(1)</script> \ue000zebra\ue001 &amp; <b>"
    html = render_snippet(raw)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>zebra</mark>" in html
    # Text from stored HTML is decoded once, then escaped: entities stay entities.
    assert render_snippet("a &amp; \ue000b\ue001", unescape=True) == "a &amp; <mark>b</mark>"
    # Unbalanced markers cannot leave an element open.
    assert render_snippet("\ue000a \ue000b") == "<mark>a b</mark>"
    assert render_snippet("a\ue001 b") == "a b"
