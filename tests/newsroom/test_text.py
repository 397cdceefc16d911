"""The ground floor's text helpers: HTML to words, folding, word diffs."""

from newsroom.text import FieldChange, fold, html_to_text, inline_word_diff, plain_text, word_diff


def test_html_to_text_keeps_paragraphs_apart_and_decodes_entities():
    text = html_to_text("<p>AT&amp;T</p><ul><li>one</li><li>two</li></ul><script>x()</script>")
    assert text == "AT&T\n\none\n\ntwo"


def test_plain_text_is_one_block_per_line():
    assert plain_text("<p>One &amp; two</p><p>Three</p>") == "One & two\nThree"
    assert plain_text("") == ""


def test_fold_ignores_case_and_accents():
    assert fold("İSTANBUL") == fold("istanbul")
    assert fold("Xiaomi’s") == "xiaomi's"


def test_word_diff_marks_only_the_changed_words():
    old, new = word_diff("Lei Jun quits Kingsoft board", "Lei Jun leaves Kingsoft board")
    assert old == "Lei Jun<del> quits</del> Kingsoft board"
    assert new == "Lei Jun<ins> leaves</ins> Kingsoft board"


def test_word_diff_escapes_what_it_shows():
    old, new = word_diff("a <b>", "a <script>")
    assert "<script" not in new and "&lt;" in new
    assert "<del>" in old and "<ins>" in new


def test_rewrapping_is_no_change():
    old, new = word_diff("one two\nthree", "one two three")
    assert "<del>" not in old and "<ins>" not in new
    assert not FieldChange.of_text("body", "Body", "one two\nthree", "one  two three").changed


def test_inline_diff_keeps_text_and_marks_changes():
    assert inline_word_diff("one two three", "one two three") == "one two three"
    assert inline_word_diff("a b c", "a x c") == "a<del> b</del><ins> x</ins> c"
    assert inline_word_diff("", "new words") == "<ins>new words</ins>"


def test_inline_diff_cuts_long_unchanged_stretches():
    words = " ".join(f"w{n}" for n in range(100))
    diff = inline_word_diff(words + " old", words + " new", context=3)
    assert diff.startswith('<span class="diff-elided"> …</span>') or "…" in diff
    assert "w50" not in diff and "w99" in diff and "<ins> new</ins>" in diff


def test_field_change_of_text_carries_both_views():
    change = FieldChange.of_text("title", "Title", "Lei Jun quits", "Lei Jun leaves")
    assert change.changed
    assert "<del> quits</del>" in change.old and "<ins> leaves</ins>" in change.new
    assert "<del> quits</del><ins> leaves</ins>" in change.inline


def test_a_small_change_in_a_long_text_is_marked_precisely():
    words = " ".join(f"word{i}" for i in range(150_000))
    left, right = word_diff(words, words.replace("word74999 ", "changed "))
    assert left.count("<del>") == 1 and "<del> word74999</del>" in left
    assert right.count("<ins>") == 1 and "<ins> changed</ins>" in right


def test_long_texts_that_differ_throughout_are_one_replaced_stretch():
    from newsroom.text import MAX_DIFF_TOKENS

    # "the" in common throughout: difflib would match each one, at a cost that grows faster
    # than the text; past the limit the middle is one replaced stretch instead.
    pairs = MAX_DIFF_TOKENS // 2
    old = "Intro. " + " ".join(f"the a{i}" for i in range(pairs)) + " Outro."
    new = "Intro. " + " ".join(f"the b{i}" for i in range(pairs)) + " Outro."
    small_left, _right = word_diff(old[:2000], new[:2000])
    assert small_left.count("<del>") > 100  # below the limit: word by word
    left, right = word_diff(old, new)
    assert left.startswith("Intro. the<del>") and left.endswith("</del> Outro.")
    assert left.count("<del>") == 1 and right.count("<ins>") == 1
