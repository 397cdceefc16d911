"""Wire import: files in three languages, a duplicate, an empty and a binary file; any bytes
at all are an article or a refusal that says why (Hypothesis)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import event, given
from hypothesis import strategies as st
from reversion.models import Version

from articles.importer import (
    DUPLICATE,
    IMPORTED,
    REJECTED,
    Rejected,
    WireCopy,
    WireImporter,
    detect_language,
    parse_wire_copy,
)
from articles.models import Article, WireImport
from tests.properties import PROPERTY, PROPERTY_WITH_DB

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

ENGLISH = """
Lei Jun hands Xiaomi Credit Management role to a deputy

Xiaomi founder Lei Jun has stepped down from Xiaomi Credit Management Co., Ltd.,
according to records seen by Tianyancha.

Wang Hua, Xiaomi's public-relations manager, said the move was routine and that the
company's car business needed his full attention.
"""

DUTCH = """\
Xiaomi-oprichter Lei Jun legt nog een functie neer

Lei Jun is opgestapt als bestuurder van Chengdu Beida Assets Management, meldt de
Chinese databank Tianyancha. Het is de zoveelste functie die hij opgeeft.

Volgens Xiaomi's woordvoerder gaat het om een normale gang van zaken; de oprichter wil
zich volledig op de elektrische auto richten.
"""

TURKISH = """\
Lei Jun, Kingsoft'taki görevinden de ayrıldı

Xiaomi'nin kurucusu Lei Jun'un Kingsoft Corporation'daki icra direktörlüğü sona erdi.
Şirketin yeni yönetimini Zou Tao üstleniyor.

Lei Jun, Xiaomi'deki görevlerini ise sürdürüyor ve elektrikli otomobil projesine odaklanıyor.
"""


@pytest.fixture
def wire(tmp_path):
    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


# -- parsing and detection ---------------------------------------------------------------------


def test_headline_and_paragraphs():
    copy = parse_wire_copy(
        b"\xef\xbb\xbf\r\n  Headline   here \r\nfirst line\r\n  continues\r\n\r\n\r\nsecond\r\n"
    )
    assert copy == WireCopy("Headline here", ("first line continues", "second"))
    assert copy.body_html == "<p>first line continues</p>\n<p>second</p>"


def test_the_fingerprint_ignores_spacing_but_not_words():
    a = parse_wire_copy(b"Title\n\nOne two.\n\nThree.")
    b = parse_wire_copy(b"\n\nTitle  \r\n\r\nOne   two.\r\n\r\n\r\nThree.\r\n")
    c = parse_wire_copy(b"Title\n\nOne two.\n\nThree!")
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_body_text_is_escaped_into_paragraphs():
    copy = parse_wire_copy("Title\n\n<script>alert(1)</script> & “quotes”".encode())
    assert copy.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “quotes”</p>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t \r\n", "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Café\n\nLatin-1 text".encode("latin-1"), "not UTF-8 text: byte 0xe9 at position 3"),
        (b"Only a headline\n\n  \n", "only a headline"),
        (("x" * 301 + "\n\nbody").encode(), "the first line is 301 characters long"),
        (bytes(range(1, 32)) * 4 + b"\n\nbody", "binary file, not text"),
    ],
)
def test_what_is_rejected_and_why(data, reason):
    with pytest.raises(Rejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_wire_copy(data)


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (DUTCH, "nl"), (TURKISH, "tr")])
def test_language_detection_among_the_configured_languages(text, language):
    detected, confidence = detect_language(text)
    assert detected == language and confidence > 0.9


def test_detection_never_leaves_the_configured_languages():
    german = "Der Gründer von Xiaomi hat sein Amt niedergelegt, teilte das Unternehmen mit."
    assert detect_language(german)[0] in {"en", "nl", "tr"}
    assert detect_language(german, ["en", "nl", "tr", "de"])[0] == "de"
    assert detect_language("Hello there", ["pt-br"]) == ("pt-br", 1.0)


# -- the command ------------------------------------------------------------------------------


def test_three_languages_a_duplicate_an_empty_and_a_binary_file(wire, users):
    files = [
        wire("en.txt", ENGLISH),
        wire("nl.txt", DUTCH),
        wire("tr.txt", TURKISH),
        wire("again.txt", "\r\n".join(ENGLISH.splitlines()) + "\r\n\r\n"),
        wire("empty.txt", b""),
        wire("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00"),
    ]
    before = Article.objects.count()
    out, error = run(*files, "--owner", "writer")
    lines = out.splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(f"imported   {files[0]}: draft “Lei Jun hands Xiaomi Credit")
    assert "English" in lines[0] and "people: Lei Jun, Wang Hua" in lines[0]
    assert lines[1].startswith(f"imported   {files[1]}") and "Nederlands" in lines[1]
    assert lines[2].startswith(f"imported   {files[2]}") and "Türkçe" in lines[2]
    assert lines[3].startswith(f"duplicate  {files[3]}: same text as en.txt, imported ")
    assert lines[4] == f"rejected   {files[4]}: empty file"
    assert lines[5].startswith(f"rejected   {files[5]}: binary file")
    assert error == "2 of 6 files rejected."

    assert Article.objects.count() == before + 3
    imported = {a.language: a for a in Article.objects.filter(wire_imports__isnull=False)}
    assert set(imported) == {"en", "nl", "tr"}
    for article in imported.values():
        assert article.status == Article.Status.DRAFT and article.owner == users["writer"]
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 1
        assert versions[0].revision.comment.startswith("Imported from wire copy ")
        assert versions[0].revision.user == users["writer"]
    assert {p.slug for p in imported["en"].people.all()} == {"lei-jun", "wang-hua"}
    assert {c.slug for c in imported["en"].companies.all()} == {
        "xiaomi", "xiaomi-credit-management", "tianyancha",
    }  # fmt: skip
    assert {c.slug for c in imported["nl"].companies.all()} == {
        "xiaomi", "chengdu-beida", "tianyancha",
    }  # fmt: skip
    assert {p.slug for p in imported["tr"].people.all()} == {"lei-jun", "zou-tao"}
    assert imported["tr"].slug == "lei-jun-kingsofttaki-gorevinden-de-ayrildi"
    assert imported["en"].body.startswith("<p>Xiaomi founder Lei Jun has stepped down")


def test_json_lists_each_file_with_its_language_and_mentions(wire):
    files = [wire("nl.txt", DUTCH), wire("nl-copy.txt", DUTCH), wire("bad.txt", b"\xff\xfe\x00")]
    out, error = run(*files, "--format", "json")
    result = json.loads(out)
    assert [r["outcome"] for r in result] == ["imported", "duplicate", "rejected"]
    assert result[0]["language"] == "nl" and result[0]["language_confidence"] > 0.9
    assert result[0]["people"] == ["Lei Jun"]
    assert set(result[0]["companies"]) == {
        "Xiaomi Group", "Chengdu Beida Assets Management Co., Ltd.", "Tianyancha",
    }  # fmt: skip
    assert result[1]["article_id"] == result[0]["article_id"]
    assert result[1]["language"] == "nl" and result[1]["people"] == ["Lei Jun"]
    assert result[2]["article_id"] is None and "binary file" in result[2]["reason"]
    assert error == "1 of 3 files rejected."


def test_a_second_run_imports_nothing_twice(wire):
    path = wire("tr.txt", TURKISH)
    assert run(path)[1] is None
    out, error = run(path)
    assert out.startswith("duplicate") and error is None
    assert WireImport.objects.filter(filename="tr.txt").count() == 1


def test_slugs_stay_unique_per_language(wire):
    first = wire("one.txt", "Lei Jun resigns\n\nFirst report about Lei Jun and Xiaomi.")
    second = wire("two.txt", "Lei Jun resigns\n\nA second, different report about Lei Jun.")
    run(first, second, "--language", "en")
    slugs = set(Article.objects.filter(title="Lei Jun resigns").values_list("slug", flat=True))
    assert slugs == {"lei-jun-resigns", "lei-jun-resigns-2"}


def test_unclear_language_is_rejected_with_advice(wire):
    path = wire("short.txt", "Xiaomi\n\nXiaomi Xiaomi.")
    out, error = run(path)
    assert "cannot tell the language" in out and "--language" in out
    assert error == "1 of 1 files rejected."
    out, error = run(path, "--language", "en")
    assert out.startswith("imported") and error is None


def test_bad_options_stop_before_anything_is_imported(wire):
    path = wire("en.txt", ENGLISH)
    with pytest.raises(CommandError, match="No user is called “nobody”"):
        call_command("import_articles", str(path), "--owner", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not one of the configured languages"):
        call_command("import_articles", str(path), "--language", "xx", stdout=io.StringIO())
    assert not WireImport.objects.exists()


def test_missing_files_and_directories_are_rejected(tmp_path, wire):
    good = wire("en.txt", ENGLISH)
    out, error = run(tmp_path / "nope.txt", tmp_path, good)
    assert "no such file" in out and "is a directory" in out and "imported" in out
    assert error == "2 of 3 files rejected."


def test_the_command_exits_non_zero_only_when_a_file_is_rejected(tmp_path, wire):
    """A real process: its own database (a fresh SQLite file), its real exit status."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'wire.sqlite3'}"}
    env.pop("REDIS_URL", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "--noinput", "-v0").returncode == 0
    ok = manage("import_articles", wire("en.txt", ENGLISH), wire("nl.txt", DUTCH))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("imported") == 2
    bad = manage("import_articles", wire("tr.txt", TURKISH), wire("empty.txt", b""))
    assert bad.returncode == 1
    assert "imported" in bad.stdout and "rejected" in bad.stdout
    assert "1 of 2 files rejected." in bad.stderr


# --- Properties (Hypothesis): whatever arrives on the wire -------------------------------

words = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs", "M"]), min_size=1, max_size=80
)
# Something like wire copy (a headline, then paragraphs), in any script, names included.
plausible_copy = st.tuples(
    words, st.lists(st.one_of(words, st.sampled_from(["Lei Jun", "雷军", "Xiaomi'nin"])))
).map(lambda parts: (parts[0] + "\n\n" + "\n\n".join(parts[1])).encode())
wire_bytes = st.one_of(
    plausible_copy,
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.lists(
        st.one_of(
            st.text(max_size=120),
            st.sampled_from(["", "\n", "\r\n", "\r", "\ufeff", "\x00", " \t ", "Lei Jun'un"]),
        ),
        max_size=30,
    ).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
)


@PROPERTY
@given(wire_bytes)
def test_any_bytes_are_an_article_or_our_own_refusal(data):
    try:
        copy = parse_wire_copy(data)
    except Rejected as refusal:
        assert str(refusal)  # says why
        return
    assert copy.headline and copy.headline == copy.headline.strip()
    assert len(copy.headline) <= Article._meta.get_field("title").max_length
    assert copy.paragraphs and all(p.strip() for p in copy.paragraphs)
    assert len(copy.body_html.encode()) <= settings.ARTICLE_BODY_MAX_BYTES


@PROPERTY_WITH_DB
@given(wire_bytes)
def test_importing_any_bytes_is_imported_duplicate_or_refused_never_an_error(data):
    result = WireImporter(language="en").import_bytes(data, filename="wire.txt")
    event(result.outcome)
    assert result.outcome in {IMPORTED, DUPLICATE, REJECTED}
    if result.outcome == REJECTED:
        assert result.reason
    else:
        assert result.article.pk and result.article.status == Article.Status.DRAFT


# -- recovery branches -------------------------------------------------------------------------


def test_a_duplicate_of_a_since_deleted_article_says_so(wire):
    path = wire("en.txt", ENGLISH)
    first = WireImporter(language="en").import_path(path)
    assert first.outcome == IMPORTED
    first.article.delete()
    again = WireImporter(language="en").import_path(path)
    assert again.outcome == DUPLICATE and again.article is None
    assert "(that article was deleted)" in again.reason and "en.txt" in again.reason
    assert again.line() == f"duplicate  {path}: {again.reason}"
    assert not Article.objects.filter(title=first.article.title).exists()


def test_a_headline_that_slugifies_to_nothing_gets_a_slug_from_its_fingerprint(wire):
    text = "!!! — ??? …\n\nLei Jun has stepped down from another Xiaomi company, records show."
    result = WireImporter(language="en").import_path(wire("marks.txt", text))
    assert result.outcome == IMPORTED
    fingerprint = parse_wire_copy(text.encode()).fingerprint
    assert result.article.slug == f"wire-{fingerprint[:12]}"
    assert result.article.title == "!!! — ??? …"


def test_a_file_that_cannot_be_opened_is_rejected_with_the_reason(tmp_path, wire):
    # A symlink loop: not missing, not a directory, yet open() fails (ELOOP). Root reads
    # any file whatever its mode, so this is the unreadable file a test can make here.
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    good = wire("en.txt", ENGLISH)
    out, error = run(loop, good)
    assert f"rejected   {loop}: cannot be read (Too many levels of symbolic links)" in out
    assert "imported" in out and error == "1 of 2 files rejected."


def test_a_concurrent_import_of_the_same_text_is_reported_as_a_duplicate(transactional_db):
    """Two importers read the same file at once: both find no earlier import, both try.
    The second, on its own connection, commits between the first's check and its write;
    the first's write then meets the fingerprint's unique index and reports the other's
    article instead of failing. Interleaved through Django's execute_wrapper on the first
    importer's connection (right after its duplicate check), not by mocking the importer."""
    import threading

    from django.db import connection

    data = ENGLISH.encode()
    other_result = {}

    def other_importer():
        try:
            other_result["result"] = WireImporter(language="en").import_bytes(
                data, filename="other.txt"
            )
        finally:
            from django.db import connection as own

            own.close()

    interleaved = []

    def after_the_duplicate_check(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not interleaved and "articles_wireimport" in sql and sql.lstrip().startswith("SELECT"):
            interleaved.append(sql)
            thread = threading.Thread(target=other_importer)
            thread.start()
            thread.join(60)
        return result

    importer = WireImporter(language="en")
    with connection.execute_wrapper(after_the_duplicate_check):
        mine = importer.import_bytes(data, filename="mine.txt")

    assert interleaved, "the duplicate check ran no query"
    theirs = other_result["result"]
    assert theirs.outcome == IMPORTED
    assert mine.outcome == DUPLICATE and mine.article == theirs.article
    assert "other.txt" in mine.reason
    headline = parse_wire_copy(data).headline
    assert Article.objects.filter(title=headline).count() == 1
    assert WireImport.objects.filter(fingerprint=parse_wire_copy(data).fingerprint).count() == 1
