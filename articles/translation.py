"""Translations: the language versions of a story and whether each is up to date."""

from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsroom.languages import language_codes, language_name

from .models import Article, StorylineEntry


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
    """
    source = article.translation_of
    if source is None:
        return TranslationState.ORIGINAL
    if article.source_hash and article.source_hash != source.content_hash:
        return TranslationState.OUTDATED
    if article.first_published_at is None:
        return TranslationState.IN_PROGRESS
    return TranslationState.UP_TO_DATE


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

    Two queries whatever the number of languages: the versions, with their sources.
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


@transaction.atomic
def start_translation(
    source: Article,
    *,
    language: str,
    user: AbstractBaseUser,
    assignee: AbstractBaseUser | None = None,
) -> Article:
    """Create a draft in `language`, prefilled from `source`, in the same translation group."""
    if not (user.has_perm("articles.translate_article") or user.has_perm("articles.add_article")):
        raise PermissionDenied("You do not have permission to start translations.")
    if language not in language_codes():
        raise ValidationError(f"“{language}” is not one of the newsroom's languages.")
    if language == source.language:
        raise ValidationError("A translation must be in another language than its source.")
    existing = Article.objects.filter(translation_key=source.translation_key, language=language)
    if existing.exists():
        raise ValidationError(
            f"This story already has a {language_name(language)} version: “{existing[0].title}”."
        )
    slug = source.slug
    if Article.objects.filter(language=language, slug=slug).exists():
        slug = slugify(f"{source.slug}-{language}")[:200]
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
    if not (
        user.has_perm("articles.translate_article") or user.has_perm("articles.edit_any_article")
    ):
        raise PermissionDenied("You do not have permission to mark translations as synced.")
    translation.source_hash = source.content_hash
    translation.source_snapshot = source_snapshot(source)
    translation.synced_at = timezone.now()
    with reversion.create_revision():
        translation.save(update_fields=["source_hash", "source_snapshot", "synced_at"])
        reversion.set_user(user)
        reversion.set_comment(f"Marked in sync with the {language_name(source.language)} source")
    return translation
