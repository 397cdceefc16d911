"""Comparing two bodies with their formatting: words, headings, links, lists, bold/italic."""

import time

from newsroom.htmldiff import MAX_TREE_DIFF_CHARS, html_blocks, html_diff


def blocks(old, new):
    return [(block.state, str(block.html)) for block in html_diff(old, new).blocks]


def test_identical_bodies_have_no_change_and_keep_their_blocks():
    body = "<p>One <b>two</b>.</p><h2>Three</h2><ul><li>four</li></ul>"
    diff = html_diff(body, body)
    assert not diff.changed
    assert [b.state for b in diff.blocks] == ["same"] * 3
    assert "<b>two</b>" in diff.html and "<h2>Three</h2>" in diff.html


def test_changed_words_are_marked_whole_never_split_inside_a_word():
    ((state, html),) = blocks("<p>He stepped down today.</p>", "<p>He stepped aside on Monday.</p>")
    assert state == "changed"
    assert "<del> down today</del>" in html
    assert "<ins> aside on Monday</ins>" in html


def test_bold_and_italic_changes_show_even_when_the_words_are_the_same():
    ((state, html),) = blocks(
        "<p>The company grew fast.</p>", "<p>The company <b>grew</b> fast.</p>"
    )
    assert state == "changed"
    assert 'class="diff-format-added"' in html and "bold added" in html
    assert "<ins>" not in html and "<del>" not in html  # the words did not change

    ((_state, html),) = blocks("<p>A <em>very</em> big day</p>", "<p>A very big day</p>")
    assert 'class="diff-format-removed"' in html and "italic removed" in html


def test_a_paragraph_turned_heading_says_what_it_was():
    ((state, html),) = blocks("<h2>Results</h2>", "<h3>Results</h3>")
    assert state == "changed"
    assert html.startswith('<h3 class="diff-renamed">')
    assert "now heading 3, was heading 2" in html


def test_a_changed_link_shows_both_addresses_and_is_not_clickable():
    ((state, html),) = blocks(
        '<p>See <a href="https://old.example/post">the post</a>.</p>',
        '<p>See <a href="https://new.example/post">the post</a>.</p>',
    )
    assert state == "changed"
    assert "link removed: https://old.example/post" in html
    assert "link added: https://new.example/post" in html
    assert "<a " not in html and "href" not in html


def test_list_items_added_and_list_kind_changed():
    result = blocks("<ul><li>One</li></ul>", "<ul><li>One</li><li>Two</li></ul>")
    assert result[0][0] == "changed"
    assert (
        '<li class="diff-added"><span class="diff-note">list item added:</span>Two</li>'
        in (result[0][1])
    )
    ((_state, html),) = blocks("<ul><li>a</li><li>b</li></ul>", "<ol><li>a</li><li>b</li></ol>")
    assert "now numbered list, was bulleted list" in html


def test_added_and_removed_paragraphs_are_blocks_of_their_own():
    result = blocks(
        "<p>First.</p><p>Gone soon.</p><p>Last.</p>",
        "<p>First.</p><p>Last.</p><blockquote><p>A new quote.</p></blockquote>",
    )
    states = [state for state, _html in result]
    assert states == ["same", "removed", "same", "added"]
    assert "paragraph removed:" in result[1][1]
    assert "quote added:" in result[3][1]


def test_loose_text_becomes_paragraphs_so_every_block_is_one():
    assert [str(b) for b in html_blocks("Plain words<br>on two lines<p>A block</p> tail")] == [
        "<p>Plain words<br>on two lines</p>",
        "<p>A block</p>",
        "<p> tail</p>",
    ]
    assert html_blocks("") == []


def test_nothing_runs_in_the_output_whatever_an_old_version_held():
    diff = html_diff(
        "<p>Safe</p>",
        '<p onclick="steal()">Safe <img src="x" onerror="steal()"> too</p><script>steal()</script>',
    )
    assert "onclick" not in diff.html and "onerror" not in diff.html
    assert "<script" not in diff.html and "steal()" not in diff.html


def test_odd_html_never_raises():
    for old, new in [("<p>unclosed <b>bold", "<p>unclosed bold</p>"), ("<", ">"), ("&", "&amp;")]:
        html_diff(old, new).html  # noqa: B018 - rendering is the check


def test_huge_bodies_compare_words_only_and_quickly():
    paragraph = "<p>" + "word " * 200 + "</p>"  # the same word: worst case for a matcher
    old = paragraph * (MAX_TREE_DIFF_CHARS // len(paragraph) + 1)
    new = old + "<p>one more</p>"
    started = time.monotonic()
    diff = html_diff(old, new)
    assert time.monotonic() - started < 5
    assert diff.changed and "<ins>" in diff.html and "one more" in diff.html


def test_a_typical_body_compares_in_well_under_a_second():
    paragraphs = [f"<p>Paragraph {n} about Xiaomi and Lei Jun, with words.</p>" for n in range(80)]
    new = list(paragraphs)
    new[10] = "<h2>Paragraph 10 as a heading</h2>"
    del new[40]
    started = time.monotonic()
    diff = html_diff("".join(paragraphs), "".join(new))
    assert time.monotonic() - started < 1
    assert sum(block.changed for block in diff.blocks) >= 2
