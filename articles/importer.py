"""Wire import: plain-text wire copy into draft articles.

A wire file is UTF-8 text: the first non-empty line is the headline, the rest are
paragraphs separated by blank lines (lines inside a paragraph are joined). Each file
becomes a draft in the language it is written in, detected among the configured
``LANGUAGES`` with py3langid (a small model bundled with the library: nothing is
downloaded), linked to the people and companies the linker is confident it names.
A file whose words were imported before is skipped, however it is spaced or named.
A file over ``IMPORT_MAX_FILE_BYTES``, or whose article would be over the body limit
(``ARTICLE_BODY_MAX_BYTES``), is refused with the sizes, before it is read whole.

``WireImporter`` imports files one by one, each in its own transaction, so a bad file
never stops the good ones; ``python manage.py import_articles`` is its command line.
Many files go to the background instead (``queue_import``: ``import_articles
--background`` or the admin's upload of several files): they are stored in an
``ImportBatch`` and imported by a job (``articles.jobs.import_wire_batch``,
``run_import_batch``), each file's result kept with it as it is done, so an editor
watches the progress and then reads the same report.
"""

import functools
import hashlib
import unicodedata
from copy import copy as shallow_copy
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from articles.models import Article, ImportBatch, ImportFile, WireImport, body_size_error
from articles.uploads import human_size
from newsroom.languages import language_codes, language_name
from newsroom.text import strip_accents
from people.linking import Linker, confident_mentions

IMPORTED, DUPLICATE, REJECTED = "imported", "duplicate", "rejected"

TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length

# Below this the detector is guessing; the editor should say the language instead.
MIN_LANGUAGE_CONFIDENCE = 0.6
# Control characters text files do not contain; more than a few means it is not text.
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


class Rejected(Exception):
    """A file that cannot become an article; the message says why, for a person."""


@dataclass(frozen=True)
class WireCopy:
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        """The same words give the same fingerprint, whatever the spacing or line endings."""
        digest = hashlib.sha256()
        for part in (self.headline, *self.paragraphs):
            digest.update(unicodedata.normalize("NFC", part).encode())
            digest.update(b"\x00")
        return digest.hexdigest()

    @property
    def body_html(self) -> str:
        return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


def parse_wire_copy(data: bytes) -> WireCopy:
    """Headline and paragraphs of a wire file, or `Rejected` saying what is wrong with it."""
    if not data:
        raise Rejected("empty file")
    if len(data) > settings.IMPORT_MAX_FILE_BYTES:
        raise Rejected(too_large(len(data)))
    if b"\x00" in data:
        raise Rejected("binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise Rejected(
            f"not UTF-8 text: byte 0x{byte:02x} at position {error.start} is not valid UTF-8 "
            "(save the file as UTF-8)"
        ) from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in _TEXT_CONTROLS)
    if controls > max(2, len(text) // 100):
        raise Rejected(f"binary file, not text ({controls} control characters)")
    if not text.strip():
        raise Rejected("empty file (only whitespace)")
    headline, body = _split_headline(text)
    if len(headline) > TITLE_MAX_LENGTH:
        raise Rejected(
            f"the first line is {len(headline)} characters long; a headline may have at most "
            f"{TITLE_MAX_LENGTH} (is the first line really the headline?)"
        )
    if not body:
        raise Rejected("only a headline: there are no paragraphs after it")
    copy = WireCopy(headline, tuple(body))
    if error := body_size_error(copy.body_html):
        raise Rejected(error)
    return copy


def too_large(size: int) -> str:
    limit = settings.IMPORT_MAX_FILE_BYTES
    return (
        f"the file is {human_size(size)}; wire copy may be at most {human_size(limit)} "
        "(IMPORT_MAX_FILE_BYTES). Is it one article? Split it, one story to a file."
    )


def _split_headline(text: str) -> tuple[str, list[str]]:
    """The first non-empty line, and the paragraphs after it (blank lines separate them)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip())
    headline = " ".join(lines[index].split())
    paragraphs, current = [], []
    for line in lines[index + 1 :]:
        words = " ".join(line.split())
        if words:
            current.append(words)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return headline, paragraphs


# -- language detection -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _full_identifier():
    """py3langid's bundled model, all its languages (loaded once per process, ~1 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=8)
def _identifier(model_languages: tuple[str, ...]):
    """The model restricted to these languages: a shallow copy, so the full one is kept."""
    identifier = shallow_copy(_full_identifier())
    identifier.set_languages(list(model_languages))
    return identifier


def detect_language(text: str, languages: list[str] | None = None) -> tuple[str, float]:
    """The configured language `text` is most likely in, with the detector's confidence.

    Only the configured languages (or `languages`) are considered, so a Dutch text is
    never called Afrikaans. A code like "pt-br" is detected as "pt". Raises `Rejected`
    when none of the languages is one the model knows.
    """
    codes = languages or language_codes()
    known = set(_full_identifier().labels)
    by_base: dict[str, str] = {}
    for code in codes:
        base = code.split("-")[0].lower()
        if base in known:
            by_base.setdefault(base, code)
    if not by_base:
        raise Rejected(
            f"cannot detect any of the configured languages ({', '.join(codes)}); "
            "say which with --language"
        )
    if len(by_base) == 1:
        return next(iter(by_base.values())), 1.0
    label, confidence = _identifier(tuple(sorted(by_base))).classify(text)
    return by_base[label], float(confidence)


# -- importing ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What happened to one file."""

    file: str
    outcome: str  # IMPORTED, DUPLICATE or REJECTED
    reason: str = ""
    article: Article | None = None
    language: str = ""
    confidence: float | None = None
    people: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "outcome": self.outcome,
            "reason": self.reason,
            "article_id": self.article.pk if self.article else None,
            "title": self.article.title if self.article else None,
            "slug": self.article.slug if self.article else None,
            "language": self.language or None,
            "language_confidence": (
                round(self.confidence, 3) if self.confidence is not None else None
            ),
            "people": self.people,
            "companies": self.companies,
        }

    def line(self) -> str:
        """One line for a person reading the command's output."""
        if self.outcome == REJECTED:
            return f"rejected   {self.file}: {self.reason}"
        article = self.article
        title = f"“{article.title}” [{article.language}] (#{article.pk})" if article else ""
        if self.outcome == DUPLICATE:
            return f"duplicate  {self.file}: {self.reason}"
        mentions = "; ".join(
            part
            for part in (
                f"people: {', '.join(self.people)}" if self.people else "",
                f"companies: {', '.join(self.companies)}" if self.companies else "",
            )
            if part
        )
        detected = f"{language_name(self.language)}, {self.confidence:.0%} sure"
        return f"imported   {self.file}: draft {title}, {detected}" + (
            f"; {mentions}" if mentions else "; no mentions found"
        )


def unique_slug(headline: str, language: str, fingerprint: str) -> str:
    """A readable slug from the headline, unique among this language's articles."""
    base = slugify(strip_accents(headline))[: SLUG_MAX_LENGTH - 10].strip("-")
    base = base or f"wire-{fingerprint[:12]}"
    # Past twenty same headlines, the words' fingerprint tells them apart.
    return Article.objects.free_slug(language, base) or f"{base}-{fingerprint[:8]}"


@transaction.atomic
def import_wire_copy(
    copy: WireCopy,
    *,
    filename: str,
    language: str,
    owner: AbstractBaseUser | None = None,
    linker: Linker | None = None,
) -> Article:
    """Create a draft article from wire copy, with the mentions the linker is sure of.

    One reversion revision; records the copy's fingerprint so it is not imported again
    (an `IntegrityError` if it was, even by a concurrent import).
    """
    linker = linker or Linker.load()
    people, companies = confident_mentions(linker.suggest(copy.headline, *copy.paragraphs))
    article = Article(
        language=language,
        title=copy.headline,
        slug=unique_slug(copy.headline, language, copy.fingerprint),
        body=copy.body_html,
        owner=owner,
        byline_note="Wire copy",
    )
    article.full_clean()
    with reversion.create_revision():
        article.save()
        article.people.set(people)
        article.companies.set(companies)
        WireImport.objects.create(
            fingerprint=copy.fingerprint,
            article=article,
            filename=filename[:255],
            imported_by=owner,
        )
        if owner is not None:
            reversion.set_user(owner)
        reversion.set_comment(f"Imported from wire copy {filename}")
    return article


class WireImporter:
    """Imports wire files one at a time; the linker's names are loaded once for all."""

    def __init__(
        self, *, owner: AbstractBaseUser | None = None, language: str | None = None
    ) -> None:
        self.owner = owner
        self.language = language
        self.linker = Linker.load()

    def import_path(self, path: str | Path) -> ImportResult:
        data = read_wire_file(path)
        if isinstance(data, ImportResult):
            return data
        return self.import_bytes(data, filename=str(path))

    def import_bytes(self, data: bytes, *, filename: str) -> ImportResult:
        try:
            copy = parse_wire_copy(data)
        except Rejected as error:
            return ImportResult(filename, REJECTED, str(error))
        earlier = self._earlier_import(copy)
        if earlier is not None:
            return earlier_result(filename, earlier)
        if self.language:
            language, confidence = self.language, 1.0
        else:
            try:
                language, confidence = detect_language(copy.text)
            except Rejected as error:
                return ImportResult(filename, REJECTED, str(error))
            if confidence < MIN_LANGUAGE_CONFIDENCE:
                return ImportResult(
                    filename,
                    REJECTED,
                    f"cannot tell the language (best guess {language_name(language)}, "
                    f"{confidence:.0%} sure); say which with --language",
                    language=language,
                    confidence=confidence,
                )
        try:
            article = import_wire_copy(
                copy,
                filename=Path(filename).name,
                language=language,
                owner=self.owner,
                linker=self.linker,
            )
        except IntegrityError:
            earlier = self._earlier_import(copy)
            if earlier is None:
                raise
            return earlier_result(filename, earlier)
        except ValidationError as error:
            return ImportResult(filename, REJECTED, " ".join(error.messages))
        return ImportResult(
            filename,
            IMPORTED,
            article=article,
            language=language,
            confidence=confidence,
            people=[p.name for p in article.people.all()],
            companies=[c.name for c in article.companies.all()],
        )

    @staticmethod
    def _earlier_import(copy: WireCopy) -> WireImport | None:
        return (
            WireImport.objects.filter(fingerprint=copy.fingerprint)
            .select_related("article")
            .first()
        )


def read_wire_file(path: str | Path) -> bytes | ImportResult:
    """The bytes of a wire file on disk, or its rejection (too large, missing, unreadable)."""
    name = str(path)
    path = Path(path)
    limit = settings.IMPORT_MAX_FILE_BYTES
    try:
        if path.is_file() and (size := path.stat().st_size) > limit:
            return ImportResult(name, REJECTED, too_large(size))
        with path.open("rb") as handle:
            return handle.read(limit + 1)  # no more, even if the file grew meanwhile
    except FileNotFoundError:
        return ImportResult(name, REJECTED, "no such file")
    except IsADirectoryError:
        return ImportResult(name, REJECTED, "is a directory, not a file")
    except PermissionError:
        return ImportResult(name, REJECTED, "cannot be read (permission denied)")
    except OSError as error:
        return ImportResult(name, REJECTED, f"cannot be read ({error.strerror or error})")


# -- in the background --------------------------------------------------------------------


@transaction.atomic
def queue_import(
    files: list[tuple[str, bytes | ImportResult]],
    *,
    owner: AbstractBaseUser | None = None,
    language: str | None = None,
    created_by: AbstractBaseUser | None = None,
) -> ImportBatch:
    """Store wire files, given as (name, bytes) (or their rejection already known), as a
    batch, and queue the job that imports them once this commits."""
    from articles import jobs
    from newsroom.jobs import enqueue_on_commit

    batch = ImportBatch.objects.create(
        owner=owner, language=language or "", created_by=created_by, total=len(files)
    )
    rows = []
    for position, (name, data) in enumerate(files):
        row = ImportFile(batch=batch, position=position, name=name[:255])
        if isinstance(data, ImportResult):
            row.result, row.line = data.as_dict(), data.line()
        else:
            row.data = data
        rows.append(row)
    ImportFile.objects.bulk_create(rows)
    batch.done = sum(row.result is not None for row in rows)
    batch.save(update_fields=["done"])
    enqueue_on_commit(jobs.import_wire_batch, batch.pk)
    return batch


def run_import_batch(batch: ImportBatch) -> ImportBatch:
    """Import the batch's files not imported yet, in order, each with its result in one
    transaction: run again (a retry, a worker that died), it goes on where it stopped and
    never imports or counts a file twice."""
    importer = WireImporter(owner=batch.owner, language=batch.language or None)
    pending = batch.files.filter(result__isnull=True).order_by("position")
    for pk in pending.values_list("pk", flat=True):
        with transaction.atomic():
            file = ImportFile.objects.select_for_update().filter(pk=pk, result__isnull=True)
            file = file.first()
            if file is None:  # done meanwhile by another run
                continue
            result = importer.import_bytes(bytes(file.data), filename=file.name)
            file.result, file.line, file.data = result.as_dict(), result.line(), b""
            file.save(update_fields=["result", "line", "data"])
            ImportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    ImportBatch.objects.filter(pk=batch.pk, finished_at=None).update(finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


def batch_summary(batch: ImportBatch) -> dict[str, int]:
    """How many files of the batch were imported, duplicates and rejected (so far)."""
    counts = {IMPORTED: 0, DUPLICATE: 0, REJECTED: 0}
    for result in batch.files.filter(result__isnull=False).values_list("result", flat=True):
        counts[result["outcome"]] += 1
    return counts


def earlier_result(filename: str, earlier: WireImport) -> ImportResult:
    """A duplicate: what the earlier import was, and what became of it."""
    when = f"{timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M}"
    article = earlier.article
    if article is None:
        reason = f"same text as {earlier.filename}, imported {when} (that article was deleted)"
        return ImportResult(filename, DUPLICATE, reason)
    reason = (
        f"same text as {earlier.filename}, imported {when} as “{article.title}” "
        f"[{article.language}] (#{article.pk})"
    )
    return ImportResult(
        filename,
        DUPLICATE,
        reason,
        article=article,
        language=article.language,
        people=list(article.people.values_list("name", flat=True)),
        companies=list(article.companies.values_list("name", flat=True)),
    )
