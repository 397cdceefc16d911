"""Translations: the language versions of a story and whether each is up to date.

A translation remembers the words of its source when it was last brought up to date
(``source_hash``, ``source_snapshot``, ``synced_at``). It is *outdated* once the source's
words (title, standfirst, body) change; metadata-only saves never outdate it, because
``Article.content_hash`` fingerprints the words only. The translator updates the text and
then marks it synced. The languages are the ``LANGUAGES`` setting, read at call time.
"""

import re
import uuid
from dataclasses import dataclass

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from articles.models import Article, StorylineEntry
from articles.rules import is_responsible
from newsroom.htmldiff import Block, html_blocks, html_diff
from newsroom.languages import language_codes, language_name
from newsroom.text import FieldChange, inline_word_diff, plain_text, strip_accents


class TranslationState:
    ORIGINAL = "original"
    MISSING = "missing"
    IN_PROGRESS = "in_progress"
    UP_TO_DATE = "up_to_date"
    OUTDATED = "outdated"

    LABELS = {
        ORIGINAL: "Original",
        MISSING: "Missing",
        IN_PROGRESS: "In progress",
        UP_TO_DATE: "Up to date",
        OUTDATED: "Outdated",
    }


def source_snapshot(source: Article) -> dict[str, str]:
    return {"title": source.title, "standfirst": source.standfirst, "body": source.body}


def translation_state(article: Article) -> str:
    """The state of one language version relative to the version it was translated from.

    Outdated when the source's words changed after the translation was last synced;
    otherwise in progress until the translation has been published, then up to date.
    `with_translation_state()` computes the same in the database; keep the two in step.
    """
    source = article.translation_of
    if source is None:
        return TranslationState.ORIGINAL
    if article.source_hash and article.source_hash != source.content_hash:
        return TranslationState.OUTDATED
    if article.first_published_at is None:
        return TranslationState.IN_PROGRESS
    return TranslationState.UP_TO_DATE


def with_translation_state(queryset: QuerySet) -> QuerySet:
    """Annotate `translation_state` (as `translation_state()` says) in the same query.

    Used by the admin's "translation" filter, so listing the outdated translations costs
    one query however many there are.
    """
    return queryset.annotate(
        translation_state=Case(
            When(translation_of__isnull=True, then=Value(TranslationState.ORIGINAL)),
            When(
                ~Q(source_hash="") & ~Q(source_hash=F("translation_of__content_hash")),
                then=Value(TranslationState.OUTDATED),
            ),
            When(first_published_at__isnull=True, then=Value(TranslationState.IN_PROGRESS)),
            default=Value(TranslationState.UP_TO_DATE),
            output_field=CharField(),
        )
    )


def missing_a_language(queryset: QuerySet) -> QuerySet:
    """Articles whose story has no version yet in at least one configured language."""
    codes = language_codes()
    versions = (
        Article.objects.filter(translation_key=OuterRef("translation_key"), language__in=codes)
        .order_by()
        .values("translation_key")
        .annotate(n=Count("language", distinct=True))
        .values("n")
    )
    return queryset.annotate(configured_versions=Coalesce(Subquery(versions), 0)).filter(
        configured_versions__lt=len(codes)
    )


@dataclass(frozen=True)
class LanguageVersion:
    language: str
    language_name: str
    state: str
    article: Article | None

    @property
    def label(self) -> str:
        return TranslationState.LABELS[self.state]


def translations_panel(article: Article) -> list[LanguageVersion]:
    """Every configured language with its version of this story and that version's state.

    One query whatever the number of languages: the versions, joined to their sources.
    """
    versions = {
        v.language: v
        for v in Article.objects.filter(translation_key=article.translation_key).select_related(
            "translation_of"
        )
    }
    panel = []
    for code in language_codes():
        version = versions.get(code)
        state = translation_state(version) if version else TranslationState.MISSING
        panel.append(LanguageVersion(code, language_name(code), state, version))
    return panel


# -- what changed in the source since the last sync ------------------------------------

FIELD_LABELS = {"title": "Title", "standfirst": "Standfirst", "body": "Body"}


def source_changes(translation: Article) -> list[FieldChange] | None:
    """What changed in the source's words since the translation was last synced.

    Compares the snapshot taken at the last sync with the source's current title,
    standfirst and body (as text, without the HTML). An empty list means only markup
    changed; None means there is no source or no snapshot to compare with.
    """
    source = translation.translation_of
    snapshot = translation.source_snapshot or {}
    if source is None or not snapshot:
        return None
    current = source_snapshot(source)
    changes = []
    for field, label in FIELD_LABELS.items():
        before, after = snapshot.get(field) or "", current[field] or ""
        if field == "body":
            before, after = plain_text(before), plain_text(after)
        change = FieldChange.of_text(field, label, before, after)
        if change.changed:
            changes.append(change)
    return changes


# -- the translator's workspace: the source beside each field ----------------------------


@dataclass(frozen=True)
class SourcePane:
    """One field of the source as the translator sees it beside their own: the current
    words, or (while the translation is outdated) what changed since the last sync."""

    field: str
    html: SafeString  # title and standfirst: the text, with <ins>/<del> where changed
    blocks: list[Block]  # body: paragraph by paragraph
    changed: bool  # changed since the last sync (only while outdated)


@dataclass(frozen=True)
class SourceWorkspace:
    source: Article
    outdated: bool
    panes: dict[str, SourcePane]


def source_workspace(translation: Article) -> SourceWorkspace | None:
    """The source's title, standfirst and body for the translation's change form.

    While the translation is outdated and the words at the last sync are known, each pane
    marks what changed in the source since then (the body with its formatting, block by
    block, see newsroom.htmldiff); otherwise it shows the source as it is now.
    """
    source = translation.translation_of
    if source is None:
        return None
    snapshot = translation.source_snapshot or {}
    outdated = translation_state(translation) == TranslationState.OUTDATED and bool(snapshot)
    panes = {}
    for field in ("title", "standfirst"):
        now = getattr(source, field) or ""
        before = snapshot.get(field) or ""
        if outdated and before.split() != now.split():
            # Whole, not cut around the changes: the translator needs every word.
            marked = inline_word_diff(before, now, context=len(now) + len(before))
            panes[field] = SourcePane(field, marked, [], True)
        else:
            panes[field] = SourcePane(field, escape(now), [], False)
    if outdated:
        diff = html_diff(snapshot.get("body") or "", source.body)
        panes["body"] = SourcePane("body", diff.html, diff.blocks, diff.changed)
    else:
        blocks = [Block(html, "same") for html in html_blocks(source.body)]
        whole = mark_safe("".join(block.html for block in blocks))
        panes["body"] = SourcePane("body", whole, blocks, False)
    return SourceWorkspace(source, outdated, panes)


def suggested_slug(translation: Article) -> str | None:
    """A slug made from the translation's own title (its start copied the source's), for a
    translation never published (a published one keeps its address). Unique in its
    language; None when there is nothing to suggest (the slug already is that one)."""
    if translation.first_published_at is not None or not translation.title:
        return None
    base = slugify(strip_accents(translation.title))[:190].strip("-")
    if not base or base == translation.slug:
        return None
    slug = Article.objects.free_slug(translation.language, base, exclude_pk=translation.pk)
    return None if slug == translation.slug else slug


def carries_copied_slug(translation: Article) -> bool:
    """Whether the slug is still the one `start_translation` copied from the source."""
    source = translation.translation_of
    if source is None:
        return False
    with_language = re.escape(slugify(f"{source.slug}-{translation.language}")[:200])
    # As `start_translation` makes it: with the language, maybe a number or a random end.
    copied = rf"{re.escape(source.slug)}|{with_language}(-\d{{1,2}}|-[0-9a-f]{{8}})?"
    return re.fullmatch(copied, translation.slug) is not None


# -- operations ---------------------------------------------------------------------------


def translators():
    """Active staff who may be given a translation: they can translate (or are superusers)."""
    permission = Permission.objects.filter(
        content_type__app_label="articles", codename="translate_article"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def may_start_translation(user: AbstractBaseUser) -> bool:
    return user.is_active and (
        user.has_perm("articles.translate_article") or user.has_perm("articles.add_article")
    )


def may_assign_translations(user: AbstractBaseUser) -> bool:
    """Editors hand translations to someone else; everyone else translates themselves."""
    return user.is_active and user.has_perm("articles.edit_any_article")


def may_mark_synced(user: AbstractBaseUser, translation: Article | None = None) -> bool:
    """Whether the user marks translations in sync at all, or (given one) this one: see
    `articles.rules.may_mark_synced`."""
    may_at_all = user.is_active and (
        user.has_perm("articles.translate_article") or user.has_perm("articles.edit_any_article")
    )
    if translation is None or not may_at_all:
        return may_at_all
    return user.has_perm("articles.mark_synced", translation)


@transaction.atomic
def start_translation(
    source: Article,
    *,
    language: str,
    user: AbstractBaseUser,
    assignee: AbstractBaseUser | None = None,
) -> Article:
    """Create a draft in `language`, prefilled from `source`, in the same translation group.

    The draft copies the words, byline, source line, lead image, mentions, quotes,
    sections, related articles and story threads, and is owned by `assignee` (an editor's
    choice) or by `user`. It starts in sync with the source.
    """
    if not may_start_translation(user):
        raise PermissionDenied("You do not have permission to start translations.")
    if assignee is not None and assignee.pk != user.pk:
        if not may_assign_translations(user):
            raise PermissionDenied("Only editors can give a translation to someone else.")
        if not (assignee.is_active and assignee.has_perm("articles.translate_article")):
            raise ValidationError(f"{assignee} cannot translate, so cannot be given one.")
    if language not in language_codes():
        raise ValidationError(f"“{language}” is not one of the newsroom's languages.")
    if language == source.language:
        raise ValidationError("A translation must be in another language than its source.")
    existing = Article.objects.filter(translation_key=source.translation_key, language=language)
    if existing.exists():
        raise ValidationError(
            f"This story already has a {language_name(language)} version: “{existing[0].title}”."
        )
    # The source's slug, else with the language code, else numbered; a random end only
    # when twenty of those are taken (the title-based slug is suggested later).
    slug = Article.objects.free_slug(
        language, source.slug, slugify(f"{source.slug}-{language}")
    ) or slugify(f"{source.slug[:180]}-{language}-{uuid.uuid4().hex[:8]}")
    translation = Article(
        language=language,
        title=source.title,
        slug=slug,
        standfirst=source.standfirst,
        body=source.body,
        owner=assignee or user,
        byline_note=source.byline_note,
        source=source.source,
        source_url=source.source_url,
        dateline=source.dateline,
        lead_image=source.lead_image,
        translation_key=source.translation_key,
        translation_of=source,
        source_hash=source.content_hash,
        source_snapshot=source_snapshot(source),
        synced_at=timezone.now(),
    )
    translation.full_clean()
    with reversion.create_revision():
        translation.save()
        translation.authors.set(source.authors.all())
        translation.people.set(source.people.all())
        translation.companies.set(source.companies.all())
        translation.quotes.set(source.quotes.all())
        translation.sections.set(source.sections.all())
        translation.related.set(source.related.all())
        StorylineEntry.objects.bulk_create(
            StorylineEntry(storyline_id=e.storyline_id, article=translation, position=e.position)
            for e in source.storyline_entries.all()
        )
        reversion.add_to_revision(translation)
        reversion.set_user(user)
        reversion.set_comment(f"Started {language_name(language)} translation of “{source.title}”")
    return translation


@transaction.atomic
def mark_synced(translation: Article, *, user: AbstractBaseUser) -> Article:
    """Record that the translation now reflects its source's current words."""
    source = translation.translation_of
    if source is None:
        raise ValidationError("This article is not a translation, so there is nothing to sync.")
    if not may_mark_synced(user):
        raise PermissionDenied("You do not have permission to mark translations as synced.")
    if not (user.has_perm("articles.edit_any_article") or is_responsible(user, translation)):
        raise PermissionDenied(
            "You do not have permission to mark this translation synced: only its "
            "translator or an editor may."
        )
    if not may_mark_synced(user, translation):
        raise PermissionDenied(
            "Not yet: a translation is marked in sync once its own words have changed since "
            "its source's did (editors may mark it any time). Update the translation first."
        )
    translation.source_hash = source.content_hash
    translation.source_snapshot = source_snapshot(source)
    translation.synced_at = timezone.now()
    with reversion.create_revision():
        translation.save(update_fields=["source_hash", "source_snapshot", "synced_at"])
        reversion.set_user(user)
        reversion.set_comment(f"Marked in sync with the {language_name(source.language)} source")
    return translation


def take_sync_baseline(translation: Article) -> None:
    """When an editor links an existing article to a source by hand, start it in sync.

    Sets the fields only (the caller saves): without a baseline the translation could
    never be reported outdated.
    """
    source = translation.translation_of
    if source is None:
        translation.source_hash, translation.source_snapshot, translation.synced_at = "", {}, None
        return
    translation.source_hash = source.content_hash
    translation.source_snapshot = source_snapshot(source)
    translation.synced_at = timezone.now()
