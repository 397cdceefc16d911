"""The editor's desk: what needs the signed-in user, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from articles.models import Article, PendingChange
from articles.translation import TranslationState, translation_state
from newsroom.languages import language_codes, language_name

Status = Article.Status
LIMIT = 10
# How many of the newest published stories the translation list looks at.
RECENT_STORIES = 200


@dataclass
class TranslationGap:
    source: Article
    language: str
    language_name: str
    state: str
    version: Article | None

    @property
    def label(self) -> str:
        return TranslationState.LABELS[self.state]


@dataclass
class Desk:
    my_drafts: list[Article] = field(default_factory=list)
    changes_requested: list[Article] = field(default_factory=list)
    waiting_for_review: list[Article] = field(default_factory=list)
    pending_changes: list[PendingChange] = field(default_factory=list)
    my_in_review: list[Article] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)
    recently_published: list[Article] = field(default_factory=list)
    translations: list[TranslationGap] = field(default_factory=list)
    recent_stories: int = RECENT_STORIES  # how far back `translations` looks
    is_reviewer: bool = False


def desk_for(user: AbstractBaseUser) -> Desk:
    """Eight queries whatever the size of the newsroom (six for non-reviewers)."""
    articles = Article.objects.select_related("owner").order_by("-updated_at")
    mine = articles.filter(owner=user)
    desk = Desk(is_reviewer=user.has_perm("articles.review_article"))
    desk.my_drafts = list(mine.filter(status=Status.DRAFT)[:LIMIT])
    desk.changes_requested = list(mine.filter(status=Status.CHANGES_REQUESTED)[:LIMIT])
    desk.my_in_review = list(mine.filter(status__in=[Status.IN_REVIEW, Status.APPROVED])[:LIMIT])
    if desk.is_reviewer:
        # Oldest first: whoever has waited longest is read first.
        desk.waiting_for_review = list(
            articles.filter(status=Status.IN_REVIEW).order_by("updated_at")[:LIMIT]
        )
        # Changes owners proposed to live articles (articles/staging.py), oldest first.
        desk.pending_changes = list(
            PendingChange.objects.pending()
            .select_related("article", "author")
            .order_by("updated_at")[:LIMIT]
        )
    desk.scheduled = list((articles & Article.objects.scheduled()).order_by("published_at")[:LIMIT])
    desk.recently_published = list(
        Article.objects.published().select_related("owner").order_by("-published_at")[:LIMIT]
    )
    desk.translations = translation_gaps()
    return desk


def translation_gaps(limit: int = 15, *, window: int = RECENT_STORIES) -> list[TranslationGap]:
    """Recent stories missing a translation: of the `window` most recently published
    originals, the versions in other languages that are missing or outdated.

    Bounded by recency, not computed over the archive: the newest originals come from the
    (status, published_at) index with a LIMIT, their versions by translation key, all in
    one query, so the cost is the same at 100 articles or 100 000. Older stories' gaps are
    the article list's "translation" filter (outdated, story missing a language).
    """
    recent = (
        Article.objects.published()
        .filter(translation_of__isnull=True)
        .order_by("-published_at")
        .values("translation_key")[:window]
    )
    versions = (
        Article.objects.filter(translation_key__in=recent)
        .select_related("translation_of")
        .order_by("-published_at", "pk")
    )
    groups: dict = {}
    for version in versions:
        groups.setdefault(version.translation_key, []).append(version)
    gaps = []
    for group in groups.values():
        sources = [v for v in group if v.translation_of_id is None and v.is_live]
        if not sources:
            continue
        source = sources[0]
        by_language = {v.language: v for v in group}
        for code in language_codes():
            if code == source.language:
                continue
            version = by_language.get(code)
            state = translation_state(version) if version else TranslationState.MISSING
            if state in (TranslationState.MISSING, TranslationState.OUTDATED):
                gaps.append(TranslationGap(source, code, language_name(code), state, version))
    # Outdated first (readers are being shown old words), then the newest stories first.
    gaps.sort(key=lambda g: (g.source.published_at, g.source.pk), reverse=True)
    gaps.sort(key=lambda g: g.state != TranslationState.OUTDATED)
    return gaps[:limit]
