"""Articles (one language version of a story), story threads, sections and images."""

import hashlib
import uuid

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.sanitise import sanitise_html
from articles.uploads import PictureField, human_size
from newsroom.languages import language_choices, language_codes


@reversion.register(exclude=("renditions", "renditions_error", "renditions_failed_at"))
class Image(models.Model):
    # Indexed: whether another image still uses a file is asked before it is removed.
    file = PictureField(
        upload_to="images/%Y/%m/", width_field="width", height_field="height", db_index=True
    )
    alt_text = models.CharField(
        max_length=300, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. Photo credit: Xiaomi")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Web-sized copies made by articles.renditions; remade when the file changes.",
    )
    # Why the renditions of the current file could not be made, recorded once: pages then
    # show the original, and nothing tries again until the file changes or staff ask.
    renditions_error = models.TextField(blank=True, editable=False)
    renditions_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.file.name


class TranslatedNames(models.Model):
    """Words of a section or story thread in the other languages we publish in.

    The fields themselves (`name`, `title`, …) are in the house language, the first of
    `settings.LANGUAGES`; `translations` holds the others' words as
    {"nl": {"title": "…", "description": "…"}, …}. One JSON column on the same row, so a
    page shows them at no extra query, and adding a language stays a setting, not a
    migration. A word left untranslated falls back to the house language's.
    """

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="The name in the other languages we publish in, by language code.",
    )

    class Meta:
        abstract = True

    def shown_in(self, field: str, language: str | None) -> tuple[str, str]:
        """`field` for a reader of `language`: (the words, the language they are in)."""
        if language:
            words = (self.translations or {}).get(language, {})
            text = words.get(field) if isinstance(words, dict) else None
            if isinstance(text, str) and text.strip():
                return text, language
        return getattr(self, field), language_codes()[0]

    def translated(self, field: str, language: str | None) -> str:
        """`field` in `language` where the editors translated it, else the house language's."""
        return self.shown_in(field, language)[0]

    def clean_translations(self) -> None:
        """Keep only words for known fields, trimmed; drop what is empty."""
        kept = {}
        for code, words in (self.translations or {}).items():
            if not isinstance(words, dict):
                raise ValidationError(
                    {"translations": f"{code!r}: expected field names and their words."}
                )
            words = {
                field: " ".join(str(text).split()) if field != "description" else str(text).strip()
                for field, text in words.items()
                if field in self.TRANSLATED_FIELDS and str(text or "").strip()
            }
            if words:
                kept[str(code)] = words
        self.translations = kept


@reversion.register()
class Section(TranslatedNames):
    TRANSLATED_FIELDS = ("name",)

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        if not self.slug:
            self.slug = slugify(self.name)
        self.clean_translations()


class StorylineQuerySet(models.QuerySet):
    def public(self):
        """Story threads with at least one published article; the others have no page."""
        published = Article.objects.published()
        return self.filter(
            Exists(StorylineEntry.objects.filter(storyline=OuterRef("pk"), article__in=published))
        )


@reversion.register(follow=("entries",))
class Storyline(TranslatedNames):
    """A story thread: the articles that tell one developing story, in order."""

    TRANSLATED_FIELDS = ("title", "description")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = StorylineQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:storyline", kwargs={"slug": self.slug})

    def clean(self):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        self.clean_translations()


def content_hash(title: str, standfirst: str, body: str) -> str:
    """Fingerprint of the words a translation is made from (not of metadata).

    Runs of whitespace count as one space, so re-wrapping lines or a browser sending
    CRLF line endings does not make every translation of the article outdated.
    """
    digest = hashlib.sha256()
    for part in (title, standfirst, body):
        digest.update(" ".join((part or "").split()).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def published_condition(prefix: str = "") -> Q:
    """The one visibility rule as a condition: published, and the publish time has come.

    `prefix` applies it across a relation ("entries__article__"), so a query can join to
    the article instead of testing membership in a subquery of every published one (which
    PostgreSQL answers by reading the whole archive).
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


# The columns an article card leaves unread (see ArticleQuerySet.cards()).
CARD_DEFERRED = ("body", "source_snapshot")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule (see `published_condition`)."""
        return self.filter(published_condition())

    def published_condition(self, prefix: str = "") -> Q:
        """`published_condition`, for modules that reach articles through the registry."""
        return published_condition(prefix)

    def scheduled(self):
        """Published with a publish time still ahead: waiting for its moment."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_language(self, language: str):
        return self.filter(language=language)

    def about_person(self, person):
        """A person's stories: those that mention them and those they wrote."""
        mentioned = Article.people.through.objects.filter(person=person).values("article_id")
        authored = Article.authors.through.objects.filter(person=person).values("article_id")
        return self.filter(Q(pk__in=mentioned) | Q(pk__in=authored))

    def about_company(self, company):
        """A company's stories: those that mention it."""
        mentioned = Article.companies.through.objects.filter(company=company)
        return self.filter(pk__in=mentioned.values("article_id"))

    def free_slug(self, language: str, *bases: str, exclude_pk=None) -> str | None:
        """The first of `bases` no article in `language` has, then the last base with -2 …
        -20; None when all are taken. Exact candidates, looked up in one query on the
        (language, slug) unique index."""
        limit = Article._meta.get_field("slug").max_length
        last = bases[-1][: limit - 3].strip("-")
        candidates = [b[:limit] for b in bases] + [f"{last}-{n}" for n in range(2, 21)]
        taken = set(
            self.filter(language=language, slug__in=candidates)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        return next((c for c in candidates if c not in taken), None)

    def newest_first(self):
        """Newest first, ties broken by id: the order every public list uses. Unlike the
        admin's default order it matches the visibility indexes read backwards, so a
        page of the newest stories never sorts the archive."""
        return self.order_by("-published_at", "-pk")

    def cards(self):
        """Leave out what a card in a list never shows: the body and the source's words
        kept with a translation, the two longest columns (a list reads 20–60 rows)."""
        return self.defer(*CARD_DEFERRED)

    def with_list_data(self):
        """What a list of article cards shows, in a fixed number of queries."""
        return self.select_related("lead_image").prefetch_related("authors", "sections")

    def with_page_data(self):
        """What an article page shows, in a fixed number of queries."""
        from people.models import Quote

        return (
            self.select_related("lead_image", "translation_of")
            .defer(*(f"translation_of__{column}" for column in CARD_DEFERRED))
            .prefetch_related(
                "authors",
                "sections",
                "people",
                "companies",
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.select_related("speaker").prefetch_related(
                        "translations"
                    ),
                ),
                Prefetch(
                    "storyline_entries",
                    queryset=StorylineEntry.objects.select_related("storyline"),
                ),
                "corrections",
            )
        )


@reversion.register(follow=("storyline_entries",))
class Article(models.Model):
    """One language version of a story."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ARCHIVED = "archived", _("Archived")

    language = models.CharField(max_length=10, choices=language_choices)
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, allow_unicode=False, help_text="The readable part of the article's URL."
    )
    standfirst = models.TextField(blank=True, help_text="One or two sentences under the title.")
    body = models.TextField(
        blank=True, help_text="HTML; scripts, styles and event handlers are removed on save."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When it goes (or went) public."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the words last changed while the article was published (corrections).",
    )
    words_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the title, standfirst or body last changed, in any state.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_articles",
        help_text="The staff member responsible for this version (writer or translator).",
    )
    authors = models.ManyToManyField(
        "people.Person", blank=True, related_name="authored_articles", help_text="The byline."
    )
    byline_note = models.CharField(
        max_length=200, blank=True, help_text="Free-text byline, e.g. 'Newsroom staff'."
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Source or credit line, e.g. Gasgoo."
    )
    source_url = models.URLField(blank=True)
    dateline = models.CharField(max_length=100, blank=True, help_text="e.g. Beijing")
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    sections = models.ManyToManyField(Section, blank=True, related_name="articles")
    people = models.ManyToManyField(
        "people.Person", blank=True, related_name="articles", verbose_name="mentioned people"
    )
    companies = models.ManyToManyField(
        "people.Company", blank=True, related_name="articles", verbose_name="mentioned companies"
    )
    quotes = models.ManyToManyField("people.Quote", blank=True, related_name="articles")
    storylines = models.ManyToManyField(
        Storyline, through="StorylineEntry", blank=True, related_name="articles"
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="related_from"
    )

    # Translation: the versions of one story share a translation key; a translation
    # remembers its source and the source's words when it was last brought up to date.
    translation_key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The version this one was translated from.",
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    source_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Source's content_hash at last sync."
    )
    source_snapshot = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Source's words at last sync."
    )
    synced_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Optimistic concurrency: every save through the admin bumps it; a stale one is refused.
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_visibility"),
            # A language's newest stories (front pages, language feeds, lists).
            models.Index(
                fields=["language", "status", "-published_at"], name="article_language_newest"
            ),
            # The latest edit of a visible article (sitemaps' lastmod): one row off the end of
            # this index, visibility checked in it.
            models.Index(
                fields=["status", "updated_at", "published_at"], name="article_status_updated"
            ),
            # A person's most recently edited article (the language a new one starts in).
            models.Index(fields=["owner", "-updated_at"], name="article_owner_recent"),
        ]
        permissions = [
            ("review_article", "Can review articles (approve or request changes)"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("translate_article", "Can create and edit translations"),
            ("edit_any_article", "Can edit any article, not only own"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="article_unique_slug_per_language",
                violation_error_message="Another article in this language already has this slug.",
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"],
                name="article_one_version_per_language",
                violation_error_message="This story already has a version in this language.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="A published article needs a publish time.",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("id")),
                name="article_not_translation_of_itself",
                violation_error_message="An article cannot be a translation of itself.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="article_slug_not_empty",
                violation_error_message="The slug cannot be empty.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"language": self.language, "slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as loaded: a save that takes a live article offline must retire the
        # cached pages that showed it (articles/site/caching.py).
        instance._loaded_status = instance.__dict__.get("status")
        # And when it was (to be) published: whether it was live before a save, for the
        # feeds announced to a WebSub hub (articles/syndication/websub.py).
        instance._loaded_published_at = instance.__dict__.get("published_at")
        # The words as loaded: a save that changes them stamps `words_changed_at`.
        if "content_hash" in instance.__dict__:
            instance._loaded_content_hash = instance.__dict__["content_hash"]
        return instance

    def clean(self):
        errors = {}
        if (body_error := body_size_error(self.body)) and self._body_changed():
            errors["body"] = body_error
        if self.translation_of_id:
            source = self.translation_of
            if source.pk == self.pk:
                errors["translation_of"] = "An article cannot be a translation of itself."
            elif source.language == self.language:
                errors["translation_of"] = "A translation must be in another language."
            else:
                self.translation_key = source.translation_key
        if self.language and self.translation_key:
            clash = Article.objects.filter(
                translation_key=self.translation_key, language=self.language
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["language"] = (
                    f"This story already has a {self.get_language_display()} version: "
                    f"“{clash.first().title}”."
                )
        if errors:
            raise ValidationError(errors)

    def _body_changed(self) -> bool:
        """Whether the body differs from the stored one. An article stored before the body
        limit keeps its long body through other changes (publishing, unpublishing)."""
        if self._state.adding or not self.pk:
            return True
        stored = Article.objects.filter(pk=self.pk).values_list("body", flat=True).first()
        return stored is None or stored != (self.body or "").replace("\r\n", "\n")

    @property
    def is_scheduled(self) -> bool:
        """This row as `Article.objects.scheduled()` would judge it."""
        return self.status == self.Status.PUBLISHED and not self.is_live and bool(self.published_at)

    @property
    def is_live(self) -> bool:
        """This row as `Article.objects.published()` would judge it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def display_status(self) -> str:
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    def versions(self):
        """All language versions of this story, this one included."""
        return Article.objects.filter(translation_key=self.translation_key)


def body_size_error(body: str | None) -> str | None:
    """Why a body is too long to take (ARTICLE_BODY_MAX_BYTES of HTML), or None.

    A limit with a clear answer: a form error that keeps the typed text, never a page that
    takes seconds to open or a request refused whole.
    """
    limit = settings.ARTICLE_BODY_MAX_BYTES
    if not body or len(body) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character
        return None
    size = len(body.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return (
        f"The body is {human_size(size)} of HTML; an article may have at most "
        f"{human_size(limit)}. Split it into several articles (a story thread links them), "
        "or remove formatting that came along with pasted text."
    )


@receiver(pre_save, sender=Article)
def prepare_article(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """Sanitise the body and fingerprint the words on every save, raw ones included.

    A receiver, not `Article.save()`: reversion's revert and recover, and fixtures, write
    with raw saves that skip `save()` but still send `pre_save`, and a stored version may
    hold HTML from before a sanitiser change. This keeps "no unsanitised body reaches the
    database" true whatever path the row comes by.
    """
    # Browsers submit textareas with CRLF line endings; store one kind of line ending so
    # a save through the admin that changes nothing leaves the text (and history) alone.
    instance.standfirst = (instance.standfirst or "").replace("\r\n", "\n")
    instance.body = sanitise_html((instance.body or "").replace("\r\n", "\n"))
    new_hash = content_hash(instance.title, instance.standfirst, instance.body)
    _note_words_changed(instance, new_hash, kwargs.get("update_fields"))
    if not raw and instance.pk and instance.status == Article.Status.PUBLISHED:
        # A change of words to a published article is a revision readers are told about
        # ("Updated …"); metadata edits and work before publication are not.
        old_hash = (
            Article.objects.filter(pk=instance.pk).values_list("content_hash", flat=True).first()
        )
        if old_hash is not None and old_hash != new_hash:
            instance.revised_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "revised_at" not in update_fields:
                # pre_save cannot widen update_fields; save it alongside.
                Article.objects.filter(pk=instance.pk).update(revised_at=instance.revised_at)
    instance.content_hash = new_hash
    if not instance.slug and instance.title:
        instance.slug = slugify(instance.title)[:200]


def _note_words_changed(instance: Article, new_hash: str, update_fields) -> None:
    """Stamp `words_changed_at` when the words differ from those stored: a translation's
    "Mark synced" asks whether its words changed after its source's did."""
    if instance.pk is None:
        old_hash = None
    elif "_loaded_content_hash" in instance.__dict__:
        old_hash = instance._loaded_content_hash
    else:  # a raw save (revert, recovery) or an instance not read from the database
        old_hash = (
            Article.objects.filter(pk=instance.pk).values_list("content_hash", flat=True).first()
        )
    if old_hash == new_hash:
        return
    instance.words_changed_at = timezone.now()
    instance._loaded_content_hash = new_hash
    if update_fields is not None and "words_changed_at" not in update_fields and instance.pk:
        # pre_save cannot widen update_fields; save it alongside.
        Article.objects.filter(pk=instance.pk).update(words_changed_at=instance.words_changed_at)


@reversion.register()
class StorylineEntry(models.Model):
    storyline = models.ForeignKey(Storyline, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="storyline_entries")
    position = models.PositiveIntegerField(default=0, help_text="Order within the thread.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "storyline entries"
        constraints = [
            models.UniqueConstraint(
                fields=["storyline", "article"],
                name="storyline_entry_unique",
                violation_error_message="This article is already in that story thread.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.storyline} #{self.position}: {self.article}"


class ArticleEvent(models.Model):
    """One step in an article's workflow: who moved it, from what, to what, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    comment = models.TextField(blank=True)
    publish_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.from_status} → {self.to_status} by {self.actor}"


class WireImport(models.Model):
    """A piece of wire copy that has been imported, so the same text is never imported twice.

    The fingerprint is of the words (headline and paragraphs, whitespace normalised), so
    a copy resent with other line endings or spacing still counts as the same.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    article = models.ForeignKey(
        Article, null=True, on_delete=models.SET_NULL, related_name="wire_imports"
    )
    filename = models.CharField(max_length=255)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class ImportBatch(models.Model):
    """Wire files queued to be imported together in the background (articles/importer.py
    `queue_import`, job `articles.jobs.import_wire_batch`), with the progress an editor
    watches and, file by file, the same report as `import_articles`."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who owns the new drafts.",
    )
    language = models.CharField(max_length=12, blank=True, help_text="Empty: detected.")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "wire import"
        verbose_name_plural = "wire imports (background)"

    def __str__(self) -> str:
        return f"Import #{self.pk}: {self.done} of {self.total} files"


class ImportFile(models.Model):
    """One file of an ImportBatch: its bytes (wire copy is at most IMPORT_MAX_FILE_BYTES)
    until imported, then what became of it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField(blank=True)
    # Empty until imported; then the importer's result (ImportResult.as_dict) and its line.
    result = models.JSONField(null=True, blank=True)
    line = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="import_file_position")
        ]

    def __str__(self) -> str:
        return self.name


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links a reader could still open: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed link that shows an unpublished article without a login, until it expires
    or is revoked. The token only names the link; this row says whether it still works."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="preview_link_expires_after_creation",
                violation_error_message="A preview link must expire after it is made.",
            ),
        ]

    def __str__(self) -> str:
        return f"Preview of {self.article} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def inbox(self, user):
        """A person's notifications, newest first, with what the inbox shows of each."""
        return self.filter(recipient=user).select_related("article", "actor")


class Notification(models.Model):
    """Something that happened to an article that one person should hear about: made by
    the workflow's operations (articles/notifications.py), shown in the desk's inbox and
    sent by e-mail."""

    class Verb(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("requested changes to")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=30, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail went out (by a background job): a job run twice sends it once.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The inbox: one person's newest, read off the end of the index.
            models.Index(fields=["recipient", "-created"], name="notification_inbox"),
            # The unread count in the header on every desk page: only unread rows.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()} {self.article_id} (for {self.recipient})"


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=PendingChange.State.PENDING)


class PendingChange(models.Model):
    """A change to a published article that is not live yet (articles/staging.py).

    When the owner (writer or translator) of a published article edits it, the fields
    they may change are kept here, not written to the article: the article row, which
    the public pages, feeds, sitemaps and search index read, keeps the published words
    until an editor publishes the change. One pending change per article at a time;
    published and discarded ones stay as a record.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an editor")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pending_changes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    values = models.JSONField(
        default=dict, help_text="The staged fields: text, related ids, lists of linked ids."
    )
    base_values = models.JSONField(
        default=dict,
        help_text="The live values when the change was begun: publishing applies only the "
        "fields the change itself altered, so later corrections to the live article stay.",
    )
    base_edit_version = models.PositiveIntegerField(
        help_text="The live article's edit_version the change was made against."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state="pending"),
                name="one_pending_change_per_article",
                violation_error_message="This article already has a change waiting for an editor.",
            ),
        ]
        indexes = [models.Index(fields=["state", "-updated_at"], name="pending_change_waiting")]

    def __str__(self) -> str:
        return f"Change to {self.article} ({self.get_state_display().lower()})"


class Correction(models.Model):
    """A correction an editor made to a live article, with the note readers are shown
    ("Corrected on <date>: <note>")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.CharField(max_length=500)
    corrected_at = models.DateTimeField(default=timezone.now)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note=""),
                name="correction_has_note",
                violation_error_message="A correction needs a note for readers.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: corrected {self.corrected_at:%Y-%m-%d}: {self.note[:60]}"
