"""People, companies, the roles people hold at companies over time, and what people said."""

import datetime

import reversion
from django.apps import apps
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from newsroom.languages import quote_language_choices


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def script_language(name: str) -> str:
    """The language of a name in its own script, as far as the script tells it: kana is
    Japanese, hangul Korean, Han characters alone Chinese (whether simplified or
    traditional only the editors know; see `native_name_language`)."""
    han = False
    for char in name or "":
        point = ord(char)
        if 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF:
            return "ko"
        if 0x3040 <= point <= 0x30FF:
            return "ja"
        if 0x4E00 <= point <= 0x9FFF or 0x3400 <= point <= 0x4DBF or 0x20000 <= point <= 0x2FA1F:
            han = True
    return "zh" if han else ""


# -- Who readers may see ------------------------------------------------------------------
# A person or company has a public page once published content names them. The one rule of
# what is published is `Article.objects.published()`; people/ sits below articles/ in the
# layers, so it reaches that rule through the app registry instead of an import.


def published_articles() -> models.QuerySet:
    """`Article.objects.published()`."""
    return apps.get_model("articles", "Article").objects.published()


def published_condition(prefix: str) -> Q:
    """The same rule across a relation (`articles.models.published_condition`)."""
    return apps.get_model("articles", "Article").objects.published_condition(prefix)


def _published_with(**lookups) -> Exists:
    return Exists(published_articles().filter(**lookups))


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People with a public page: mentioned in, written by or quoted in a published
        article, or holding (or succeeding to) a role a published article reports. Someone
        only in drafts stays unknown to readers."""
        ref = OuterRef("pk")
        return self.filter(
            Q(_published_with(people=ref))
            | Q(_published_with(authors=ref))
            | Q(_published_with(quotes__speaker=ref))
            | Q(_published_with(positions__person=ref))
            | Q(_published_with(positions__successor=ref))
        )


def _public_company_condition() -> Q:
    ref = OuterRef("pk")
    return Q(_published_with(companies=ref)) | Q(_published_with(positions__company=ref))


class CompanyQuerySet(models.QuerySet):
    def public(self):
        """Companies with a public page: a published article mentions them or reports a
        role at them."""
        return self.filter(_public_company_condition())

    def with_public_flag(self):
        """Every company, each with `is_public` (whether `public()` would keep it)."""
        return self.annotate(
            is_public=ExpressionWrapper(_public_company_condition(), output_field=BooleanField())
        )

    def with_page_data(self):
        return self.select_related("parent").prefetch_related("subsidiaries")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


class NamedEntity(models.Model):
    """What a person and a company share: names in several scripts and aliases."""

    name = models.CharField(max_length=200, help_text="The name in Latin script, as we print it.")
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Made from the name when left empty."
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 雷军."
    )
    native_name_language = models.CharField(
        max_length=20,
        blank=True,
        help_text=(
            "The native name's language and script as a language tag: zh-Hans (simplified "
            "Chinese), zh-Hant (traditional), ja, ko… Left empty, it is guessed from the script."
        ),
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other names and spellings, one per line. Used to find mentions in articles.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        if self.native_name and self.native_name != self.name:
            return f"{self.name} ({self.native_name})"
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def clean(self):
        if not self.slug:
            self.slug = slugify(self.name)[:200]

    @property
    def alias_list(self) -> list[str]:
        return split_lines(self.aliases)

    @property
    def native_lang(self) -> str:
        """The language tag for the native name (`lang="zh-Hans"`): as the editors set it,
        else as far as the script tells."""
        return self.native_name_language or script_language(self.native_name)

    def all_names(self) -> list[str]:
        names = [self.name, self.native_name, *self.alias_list]
        return list(dict.fromkeys(n for n in names if n))


@reversion.register(follow=("positions",))
class Person(NamedEntity):
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonQuerySet.as_manager()

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "people"

    def get_absolute_url(self) -> str:
        return reverse("people:person", kwargs={"slug": self.slug})


@reversion.register()
class Company(NamedEntity):
    tickers = models.TextField(
        blank=True, help_text="Stock tickers as SYMBOL:EXCHANGE, one per line, e.g. 1810:HKEX."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="company_not_own_parent",
                violation_error_message="A company cannot be its own parent.",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("people:company", kwargs={"slug": self.slug})

    @property
    def ticker_list(self) -> list[str]:
        return split_lines(self.tickers)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "That parent would make a loop of companies."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        for ticker in self.ticker_list:
            symbol, sep, exchange = ticker.partition(":")
            if not (sep and symbol and exchange) or " " in ticker:
                raise ValidationError(
                    {"tickers": f"{ticker!r} is not SYMBOL:EXCHANGE (e.g. 1810:HKEX)."}
                )


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """A date shown only as precisely as it is known: '15 Oct 2021', 'Oct 2021', '2014'."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%b %Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def timeline_point(value: datetime.date | None, precision: str) -> datetime.date | None:
    """Where a partly known date sits on a timeline: the middle of the span it may be in.

    "2022" sorts after "Apr 2022" and before "Dec 2022", which is what a reader expects
    of a role that ended some time in 2022.
    """
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 7, 1)
    if precision == DatePrecision.MONTH:
        return datetime.date(value.year, value.month, 15)
    return value


class PositionQuerySet(models.QuerySet):
    def public(self):
        """Roles a reader may see: those a published article reports, and background roles
        with no source at all (a role known only from a draft stays hidden)."""
        sources = Position.sources.through.objects.filter(position_id=OuterRef("pk"))
        return self.filter(
            Q(Exists(sources.filter(published_condition("article__")))) | ~Q(Exists(sources))
        )

    def timeline(self):
        """Roles in the order they happened (by first known date); undated roles last."""
        return self.select_related("person", "company", "successor").order_by(
            F("timeline_date").asc(nulls_last=True), F("end_date").asc(nulls_last=True), "pk"
        )


@reversion.register()
class Position(models.Model):
    """A role a person held at a company over time, as the sources tell it."""

    class Ending(models.TextChoices):
        HELD = "held", _("Still held")
        RESIGNED = "resigned", _("Resigned")
        REMOVED = "removed", _("Removed")
        REPLACED = "replaced", _("Replaced")
        RETIRED = "retired", _("Retired")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Unknown")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    ending = models.CharField(max_length=10, choices=Ending.choices, default=Ending.HELD)
    successor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="succeeded_positions"
    )
    note = models.CharField(max_length=300, blank=True)
    sources = models.ManyToManyField("articles.Article", blank=True, related_name="positions")
    timeline_date = models.DateField(null=True, blank=True, editable=False, db_index=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = [F("timeline_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
                violation_error_message="A role cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(ending="held") | Q(end_date__isnull=True),
                name="position_held_has_no_end",
                violation_error_message="A role that is still held has no end date.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=False) | Q(start_precision="unknown"),
                name="position_start_precision_needs_date",
                violation_error_message="Give a start date, or set its precision to unknown.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_precision="unknown"),
                name="position_end_precision_needs_date",
                violation_error_message="Give an end date, or set its precision to unknown.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}, {self.title}, {self.company.name}"

    def save(self, *args, **kwargs):
        # A date typed without a precision is taken as exact to the day.
        if self.start_date and self.start_precision == DatePrecision.UNKNOWN:
            self.start_precision = DatePrecision.DAY
        if self.end_date and self.end_precision == DatePrecision.UNKNOWN:
            self.end_precision = DatePrecision.DAY
        self.timeline_date = timeline_point(
            self.start_date, self.start_precision
        ) or timeline_point(self.end_date, self.end_precision)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "timeline_date"}
        super().save(*args, **kwargs)

    def clean(self):
        for field in ("start", "end"):
            date, precision = f"{field}_date", f"{field}_precision"
            if getattr(self, date) and getattr(self, precision) == DatePrecision.UNKNOWN:
                setattr(self, precision, DatePrecision.DAY)

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def end_display(self) -> str:
        return format_partial_date(self.end_date, self.end_precision)

    @property
    def is_current(self) -> bool:
        return self.ending == self.Ending.HELD


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """Quotes that a published article uses."""
        return self.filter(Exists(published_articles().filter(quotes=OuterRef("pk"))))


@reversion.register(follow=("translations",))
class Quote(models.Model):
    """Words a person said, in the language they said them, with where and when."""

    speaker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField()
    language = models.CharField(max_length=10, choices=quote_language_choices)
    rendered_from = models.CharField(
        max_length=10,
        blank=True,
        choices=quote_language_choices,
        help_text=(
            "Set when the speaker's exact words are not known and this text is itself a "
            "translation back from another language's rendering."
        ),
    )
    said_on = models.DateField(null=True, blank=True)
    said_on_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    context = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where it was said: an Instagram post, an open letter…",
    )
    source_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["speaker__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rendered_from=F("language")),
                name="quote_not_rendered_from_own_language",
                violation_error_message="A quote cannot be a translation from its own language.",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.speaker.name}: “{text}”"

    def save(self, *args, **kwargs):
        if self.said_on and self.said_on_precision == DatePrecision.UNKNOWN:
            self.said_on_precision = DatePrecision.DAY
        super().save(*args, **kwargs)

    @property
    def said_on_display(self) -> str:
        return format_partial_date(self.said_on, self.said_on_precision)

    def text_in(self, language: str) -> tuple[str, str]:
        """The quote's text in `language` if a translation exists, else the original.

        Returns (text, language of that text). Uses prefetched translations when present.
        """
        if language == self.language:
            return self.text, self.language
        for translation in self.translations.all():
            if translation.language == language:
                return translation.text, translation.language
        return self.text, self.language


@reversion.register()
class QuoteTranslation(models.Model):
    """A rendering of a quote in another language; always a translation, never the original."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=quote_language_choices)
    text = models.TextField()
    note = models.CharField(max_length=200, blank=True, help_text="Who translated it, or how.")

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "language"],
                name="one_quote_translation_per_language",
                violation_error_message="This quote already has a translation in that language.",
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.language}] {self.text[:60]}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.quote_id and self.language == self.quote.language:
            raise ValidationError(
                {"language": "That is the quote's own language; edit the original instead."}
            )


class NameKey(models.Model):
    """One way a reader may start typing a person's or company's name, folded for lookup.

    Every name, native name and alias gives a key for the whole name and one for each of
    its word-starting tails ("lei jun", "jun"), so a search for the start of any word of a
    name is one range read of the `key` index, however many people the newsroom knows.
    Kept by `people.names` on every save; the search page reads it (`people.names.find`).
    """

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="name_keys"
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="name_keys"
    )
    key = models.CharField(max_length=255)
    # The key is a whole name, not a tail of one.
    whole = models.BooleanField(default=False)

    class Meta:
        ordering = ["key", "pk"]
        # Pattern operators on PostgreSQL, so `LIKE 'lei%'` reads the index whatever the
        # database's collation (SQLite ignores opclasses and reads it by range).
        indexes = [
            models.Index(fields=["key"], name="name_key_lookup", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, company__isnull=False)
                | Q(person__isnull=False, company__isnull=True),
                name="name_key_names_one_entity",
                violation_error_message="A name key belongs to one person or one company.",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class PersonRedirect(models.Model):
    """The page address of a person merged into another: `/people/<old_slug>/` leads to
    the person who remains (people/records.py)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"/people/{self.old_slug}/ → {self.person.slug}"


class DeletedLinks(models.Model):
    """What pointed at objects a revision deleted, kept with that revision.

    Reversion stores a deleted object's own fields and its outgoing links; the links
    other rows held to it (the articles that mentioned a person, the translations made
    from an article) are lost with it. This row names them, so recovering the object can
    put back those that still exist: {"<what>": {"<deleted pk>": [linked pks]}}.
    """

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="deleted_links"
    )
    links = models.JSONField(default=dict)
    rows = models.TextField(
        blank=True,
        help_text="Rows that went with the deleted objects and are not versioned on their "
        "own (an article's timeline and corrections), in Django's JSON serialisation.",
    )

    def __str__(self) -> str:
        return f"Links removed by revision {self.revision_id}"

    def of(self, what: str, pk) -> list[int]:
        return list((self.links.get(what) or {}).get(str(pk)) or [])
