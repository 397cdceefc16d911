"""Wire import, the exact words: each outcome's report line and JSON record compared whole,
the size refusal word for word, and the edges of each limit (one under, at, one over).

The command's tests (test_importer.py) check that a report names the right file and
outcome; these pin down what an editor reads, so a changed word or a dropped field fails."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from reversion.models import Version

from articles import importer
from articles.importer import (
    DUPLICATE,
    IMPORTED,
    REJECTED,
    ImportResult,
    Rejected,
    WireImporter,
    parse_wire_copy,
    read_wire_file,
    too_large,
    unique_slug,
)
from articles.models import Article, ImportBatch, WireImport
from tests.articles.test_importer import ENGLISH

pytestmark = pytest.mark.django_db

NO_MENTIONS = "Quiet news\n\nNothing at all happened today, and nobody said anything."
COMPANY_ONLY = "Kingsoft results\n\nKingsoft Corporation published its yearly results today."


def imported(text: str, filename: str = "en.txt") -> ImportResult:
    result = WireImporter(language="en").import_bytes(text.encode(), filename=filename)
    assert result.outcome == IMPORTED, result.reason
    return result


# -- report lines and records ---------------------------------------------------------------


def test_an_imported_file_s_line_and_record():
    result = imported(ENGLISH)
    article = result.article
    assert result.people == ["Lei Jun", "Wang Hua"]
    companies = [c.name for c in article.companies.all()]
    assert len(companies) == 3
    assert result.companies == companies
    assert result.line() == (
        f"imported   en.txt: draft “{article.title}” [en] (#{article.pk}), English, "
        f"100% sure; people: Lei Jun, Wang Hua; companies: {', '.join(companies)}"
    )
    assert result.as_dict() == {
        "file": "en.txt",
        "outcome": "imported",
        "reason": "",
        "article_id": article.pk,
        "title": "Lei Jun hands Xiaomi Credit Management role to a deputy",
        "slug": "lei-jun-hands-xiaomi-credit-management-role-to-a-deputy",
        "language": "en",
        "language_confidence": 1.0,
        "people": ["Lei Jun", "Wang Hua"],
        "companies": companies,
    }


def test_a_line_names_only_the_kinds_of_mention_found():
    quiet = imported(NO_MENTIONS, "quiet.txt")
    assert quiet.line() == (
        f"imported   quiet.txt: draft “Quiet news” [en] (#{quiet.article.pk}), English, "
        "100% sure; no mentions found"
    )
    companies = imported(COMPANY_ONLY, "kingsoft.txt")
    assert companies.people == []
    assert companies.line() == (
        f"imported   kingsoft.txt: draft “Kingsoft results” [en] (#{companies.article.pk}), "
        f"English, 100% sure; companies: {', '.join(companies.companies)}"
    )
    assert companies.companies


def test_a_duplicate_s_line_and_record_name_the_earlier_import():
    with time_machine.travel(datetime(2026, 11, 30, 9, 41, tzinfo=timezone.get_current_timezone())):
        first = imported(ENGLISH, "monday.txt")
    again = WireImporter().import_bytes(ENGLISH.encode(), filename="tuesday.txt")
    article = first.article
    reason = (
        f"same text as monday.txt, imported 2026-11-30 09:41 as “{article.title}” [en] "
        f"(#{article.pk})"
    )
    assert again.outcome == DUPLICATE and again.reason == reason
    assert again.line() == f"duplicate  tuesday.txt: {reason}"
    assert again.as_dict() == {
        "file": "tuesday.txt",
        "outcome": "duplicate",
        "reason": reason,
        "article_id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "language": "en",
        "language_confidence": None,
        "people": ["Lei Jun", "Wang Hua"],
        "companies": first.companies,
    }


def test_a_rejection_s_line_and_record():
    result = WireImporter().import_bytes(b"", filename="empty.txt")
    assert result.line() == "rejected   empty.txt: empty file"
    assert result.as_dict() == {
        "file": "empty.txt",
        "outcome": "rejected",
        "reason": "empty file",
        "article_id": None,
        "title": None,
        "slug": None,
        "language": None,
        "language_confidence": None,
        "people": [],
        "companies": [],
    }


def test_an_unclear_language_is_refused_with_the_guess_and_how_sure():
    result = WireImporter().import_bytes(b"Xiaomi\n\nXiaomi Xiaomi.", filename="short.txt")
    assert result.outcome == REJECTED
    assert result.confidence < importer.MIN_LANGUAGE_CONFIDENCE
    guess = {"en": "English", "nl": "Nederlands", "tr": "Türkçe"}[result.language]
    assert result.reason == (
        f"cannot tell the language (best guess {guess}, {result.confidence:.0%} sure); "
        "say which with --language"
    )
    record = result.as_dict()
    assert record["language"] == result.language
    assert record["language_confidence"] == round(result.confidence, 3)


def test_the_confidence_is_recorded_to_three_places():
    result = ImportResult("x.txt", REJECTED, "why", language="nl", confidence=0.123456)
    assert result.as_dict()["language_confidence"] == 0.123
    assert ImportResult("x.txt", REJECTED, "why", confidence=0.0).as_dict()[
        "language_confidence"
    ] == 0.0  # fmt: skip


# -- sizes and limits -------------------------------------------------------------------------


def test_the_size_refusal_word_for_word(settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024 * 1024
    assert too_large(3 * 1024 * 1024 + 1) == (
        "the file is 3 MB; wire copy may be at most 1 MB (IMPORT_MAX_FILE_BYTES). "
        "Is it one article? Split it, one story to a file."
    )


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (1, "1 KB"),  # never "0 KB"
        (1536, "2 KB"),
        (1024 * 1024 - 1, "1024 KB"),
        (1024 * 1024, "1 MB"),
        (3 * 1024 * 1024 + 1, "3 MB"),  # not "3.0 MB"
        (int(1.5 * 1024 * 1024), "1.5 MB"),
        (int(9.96 * 1024 * 1024), "10 MB"),
        (20 * 1024 * 1024 + 5, "20 MB"),
    ],
)
def test_sizes_read_as_a_person_says_them(size, words):
    from articles.uploads import human_size

    assert human_size(size) == words


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(settings, tmp_path):
    text = b"Headline\n\n" + b"x" * 90
    settings.IMPORT_MAX_FILE_BYTES = len(text)
    at_limit = tmp_path / "at.txt"
    at_limit.write_bytes(text)
    assert read_wire_file(at_limit) == text
    assert parse_wire_copy(text).paragraphs == ("x" * 90,)
    over = tmp_path / "over.txt"
    over.write_bytes(text + b"y")
    result = read_wire_file(over)
    assert result.outcome == REJECTED and result.file == str(over)
    assert result.reason == too_large(len(text) + 1)
    with pytest.raises(Rejected, match="the file is 1 KB"):
        parse_wire_copy(text + b"y")


def test_a_device_that_never_ends_is_read_only_to_the_limit(settings):
    # Not a regular file, so its size is unknown beforehand: the read itself stops.
    settings.IMPORT_MAX_FILE_BYTES = 1534  # 1535 bytes read as "1 KB", 1536 as "2 KB"
    result = WireImporter(language="en").import_path("/dev/zero")
    assert result.outcome == REJECTED
    assert result.reason == too_large(1535) and "the file is 1 KB" in result.reason


def test_a_headline_may_have_exactly_the_title_s_length():
    limit = importer.TITLE_MAX_LENGTH
    assert parse_wire_copy(("h" * limit + "\n\nbody").encode()).headline == "h" * limit
    with pytest.raises(Rejected) as refusal:
        parse_wire_copy(("h" * (limit + 1) + "\n\nbody").encode())
    assert str(refusal.value) == (
        f"the first line is {limit + 1} characters long; a headline may have at most {limit} "
        "(is the first line really the headline?)"
    )


@pytest.mark.parametrize(
    ("length", "allowed"),
    [(50, 2), (1000, 10), (2000, 20)],  # at least two, else one in a hundred characters
)
def test_a_few_stray_control_characters_are_text_more_are_binary(length, allowed):
    def wire(controls: int) -> bytes:
        body = "\x07" * controls + "a" * (length - controls - len("Title\n\n"))
        return ("Title\n\n" + body).encode()

    assert parse_wire_copy(wire(allowed)).headline == "Title"
    with pytest.raises(Rejected) as refusal:
        parse_wire_copy(wire(allowed + 1))
    assert str(refusal.value) == f"binary file, not text ({allowed + 1} control characters)"


def test_refusals_of_bytes_that_are_not_text_say_where():
    with pytest.raises(Rejected) as refusal:
        parse_wire_copy(b"Title\n\nab\xc3(")
    assert str(refusal.value) == (
        "not UTF-8 text: byte 0xc3 at position 9 is not valid UTF-8 (save the file as UTF-8)"
    )
    with pytest.raises(Rejected) as refusal:
        parse_wire_copy(b"Title\x00\n\nbody")
    assert str(refusal.value) == "binary file, not text (it contains NUL bytes)"


# -- slugs, filenames, revisions --------------------------------------------------------------


def test_a_taken_slug_gets_the_first_free_number():
    fingerprint = "f" * 64
    assert unique_slug("Storm in Delft", "nl", fingerprint) == "storm-in-delft"
    Article.objects.create(language="nl", title="a", slug="storm-in-delft", body="<p>a</p>")
    Article.objects.create(language="nl", title="b", slug="storm-in-delft-2", body="<p>b</p>")
    Article.objects.create(language="nl", title="d", slug="storm-in-delft-4", body="<p>d</p>")
    assert unique_slug("Storm in Delft", "nl", fingerprint) == "storm-in-delft-3"
    assert unique_slug("Storm in Delft", "en", fingerprint) == "storm-in-delft"  # per language


def test_a_long_headline_s_slug_leaves_room_for_a_number_and_ends_on_a_word():
    limit = importer.SLUG_MAX_LENGTH
    slug = unique_slug("abcdefghij " * limit, "en", "f" * 64)
    assert slug == ("abcdefghij-" * limit)[: limit - 10]  # ten characters left for "-20"
    slug = unique_slug("word " * limit, "en", "f" * 64)
    assert slug == ("word-" * limit)[: limit - 10].strip("-")  # no hyphen left at the end


def test_the_article_records_the_file_name_and_who_imported_it(users):
    long_name = "x" * 300 + ".txt"
    result = WireImporter(owner=users["writer"], language="en").import_bytes(
        ENGLISH.encode(), filename=f"/incoming/{long_name}"
    )
    article = result.article
    assert article.owner == users["writer"] and article.byline_note == "Wire copy"
    wire = WireImport.objects.get(article=article)
    assert wire.filename == long_name[:255] and wire.imported_by == users["writer"]
    [version] = Version.objects.get_for_object(article)
    assert version.revision.comment == f"Imported from wire copy {long_name}"
    assert version.revision.user == users["writer"]


def test_without_an_owner_nobody_is_named():
    result = imported(ENGLISH)
    assert result.article.owner is None
    [version] = Version.objects.get_for_object(result.article)
    assert version.revision.user is None
    assert WireImport.objects.get(article=result.article).imported_by is None


# -- batches ----------------------------------------------------------------------------------


def test_a_batch_counts_what_is_known_at_once_and_summarises_by_outcome(
    django_capture_on_commit_callbacks, users
):
    missing = ImportResult("gone.txt", REJECTED, "no such file")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = importer.queue_import(
            [
                ("en.txt", ENGLISH.encode()),
                ("gone.txt", missing),
                ("copy.txt", ENGLISH.encode()),
                ("quiet.txt", NO_MENTIONS.encode()),
            ],
            owner=users["writer"],
            language="en",
            created_by=users["editor"],
        )
    assert len(queued) == 1
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.finished_at) == (4, 1, None)
    assert (batch.language, batch.owner, batch.created_by) == (
        "en",
        users["writer"],
        users["editor"],
    )
    assert importer.batch_summary(batch) == {IMPORTED: 0, DUPLICATE: 0, REJECTED: 1}
    gone = batch.files.get(name="gone.txt")
    assert gone.result == missing.as_dict() and gone.line == "rejected   gone.txt: no such file"

    before = timezone.now()
    importer.run_import_batch(batch)
    batch.refresh_from_db()
    assert batch.done == 4 and before <= batch.finished_at <= timezone.now()
    assert importer.batch_summary(batch) == {IMPORTED: 2, DUPLICATE: 1, REJECTED: 1}
    lines = list(batch.files.order_by("position").values_list("line", flat=True))
    assert [line.split()[0] for line in lines] == ["imported", "rejected", "duplicate", "imported"]
    assert all(bytes(f.data) == b"" for f in batch.files.all())  # the words now live in drafts
    en = Article.objects.get(wire_imports__filename="en.txt")
    assert en.owner == users["writer"] and en.language == "en"

    finished = batch.finished_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        importer.run_import_batch(batch)  # again: nothing more, and the end time stands
    batch.refresh_from_db()
    assert (batch.done, batch.finished_at) == (4, finished)


def test_a_batch_without_a_language_detects_each_file_s():
    from tests.articles.test_importer import DUTCH

    batch = ImportBatch.objects.create(total=1, language="")
    batch.files.create(position=0, name="nl.txt", data=DUTCH.encode())
    importer.run_import_batch(batch)
    [file] = batch.files.all()
    assert file.result["outcome"] == IMPORTED and file.result["language"] == "nl"


def test_past_twenty_same_headlines_the_fingerprint_tells_them_apart(django_assert_num_queries):
    taken = ["storm-in-delft", *(f"storm-in-delft-{n}" for n in range(2, 21))]
    Article.objects.bulk_create(
        Article(language="nl", title="Storm", slug=slug, body="<p>x</p>") for slug in taken
    )
    with django_assert_num_queries(1):  # the candidates, looked up at once on the index
        slug = unique_slug("Storm in Delft", "nl", "abcdef0123456789" * 4)
    assert slug == "storm-in-delft-abcdef01"
