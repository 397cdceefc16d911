"""The story graph around one article, as data for the public pages.

Three questions a reader's page asks, each answered in a fixed number of queries
whatever the number of stories, versions, mentions or quotes:

- ``story_threads(article, language)``: the story threads (storylines) the article is
  in, each with the whole thread in order, the article's place in it and its previous
  and next stories, every story shown in the reader's language where a published version
  exists (five queries).
- ``related_articles(article, language)``: the editors' own picks first, then stories
  that share people, companies or threads with this one; never this story in another
  language; published only; again in the reader's language where possible (five queries).
- ``quotes_in(article, language)``: the article's quotes in the reader's language where a
  translation exists, otherwise as said, with the language each text is in (no query when
  the article comes from ``Article.objects.with_page_data()``).

A "story" is all language versions of one article (one ``translation_key``). Articles
these functions return come with ``with_list_data()`` (lead image, authors, sections),
ready for the article card.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from newsroom.languages import language_codes
from people.models import Person, Quote

from .models import Article, Storyline, StorylineEntry

# -- choosing which version of a story a reader sees -------------------------------------


@dataclass(frozen=True)
class _Version:
    pk: int
    key: object
    language: str
    is_original: bool
    published_at: object


def _versions(keys: Iterable) -> list[_Version]:
    """The published versions of these stories (one query, light rows)."""
    rows = (
        Article.objects.published()
        .filter(translation_key__in=list(keys))
        .values_list("pk", "translation_key", "language", "translation_of_id", "published_at")
    )
    return [_Version(pk, key, lang, source is None, at) for pk, key, lang, source, at in rows]


def _preferred(versions: list[_Version], language: str) -> _Version:
    """The reader's language first, then the original, then the earliest published."""
    return min(
        versions,
        key=lambda v: (v.language != language, not v.is_original, v.published_at, v.pk),
    )


def _by_story(versions: Iterable[_Version]) -> dict[object, list[_Version]]:
    stories: dict[object, list[_Version]] = {}
    for version in versions:
        stories.setdefault(version.key, []).append(version)
    return stories


def _load(pks: Iterable[int]) -> dict[int, Article]:
    """The chosen articles with what a card shows (three queries)."""
    return {a.pk: a for a in Article.objects.filter(pk__in=list(pks)).with_list_data()}


# -- story threads ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadItem:
    """One story in a thread, shown as `article` (a version in the reader's language
    when one is published)."""

    article: Article
    position: int
    is_current: bool
    in_reader_language: bool


@dataclass(frozen=True)
class StoryThread:
    storyline: Storyline
    items: tuple[ThreadItem, ...]
    current_index: int

    @property
    def current(self) -> ThreadItem:
        return self.items[self.current_index]

    @property
    def previous(self) -> ThreadItem | None:
        return self.items[self.current_index - 1] if self.current_index > 0 else None

    @property
    def next(self) -> ThreadItem | None:
        index = self.current_index + 1
        return self.items[index] if index < len(self.items) else None

    @property
    def position_label(self) -> str:
        """'2 of 5'."""
        return f"{self.current_index + 1} of {len(self.items)}"


def story_threads(article: Article, language: str) -> list[StoryThread]:
    """The threads this story is in, each whole and in order, resolved to `language`.

    The threads of every language version count (a translation inherits its source's).
    A story appears once per thread, at its earliest position, as the version in the
    reader's language if one is published, else its original, else its first published
    version. Stories with nothing published are left out; the article itself is always
    in, as itself. Five queries.
    """
    story_storylines = StorylineEntry.objects.filter(
        article__translation_key=article.translation_key
    ).values("storyline_id")
    entries = list(
        StorylineEntry.objects.filter(storyline_id__in=Subquery(story_storylines))
        .select_related("storyline")
        .annotate(story=F("article__translation_key"))
        .order_by("storyline__title", "storyline_id", "position", "pk")
    )
    if not entries:
        return []
    stories = _by_story(_versions({e.story for e in entries} - {article.translation_key}))
    chosen = {key: _preferred(versions, language) for key, versions in stories.items()}
    articles = _load(v.pk for v in chosen.values())

    # storyline id -> (storyline, {story: (position, article shown, is current)})
    threads: dict[int, tuple[Storyline, dict[object, tuple[int, Article, bool]]]] = {}
    for entry in entries:
        storyline, places = threads.setdefault(entry.storyline_id, (entry.storyline, {}))
        if entry.story in places:
            continue  # another version of a story already placed (entries are in order)
        if entry.story == article.translation_key:
            places[entry.story] = (entry.position, article, True)
        elif entry.story in chosen:
            places[entry.story] = (entry.position, articles[chosen[entry.story].pk], False)

    def order(place):
        position, shown, _current = place
        return (position, shown.published_at is None, shown.published_at, shown.pk)

    result = []
    for storyline, places in threads.values():
        items = tuple(
            ThreadItem(shown, position, current, shown.language == language)
            for position, shown, current in sorted(places.values(), key=order)
        )
        current_index = next(i for i, item in enumerate(items) if item.is_current)
        result.append(StoryThread(storyline, items, current_index))
    return result


# -- related articles ---------------------------------------------------------------------

# How much sharing a story thread counts against sharing one person or company.
THREAD_WEIGHT = 2


@dataclass(frozen=True)
class RelatedArticle:
    article: Article
    manual: bool  # chosen by an editor, rather than found through shared mentions/threads
    score: int  # people and companies in common, plus THREAD_WEIGHT per shared thread


def _shared(through_model, column: str, story_ids) -> Subquery:
    """How many of `story_ids` the outer article links to through `through_model`."""
    return Coalesce(
        Subquery(
            through_model.objects.filter(article_id=OuterRef("pk"), **{f"{column}__in": story_ids})
            .order_by()
            .values("article_id")
            .annotate(n=Count(column, distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def related_articles(article: Article, language: str, *, limit: int = 6) -> list[RelatedArticle]:
    """Articles to read next: the editors' picks first, then the closest by shared
    people, companies and story threads (most in common first, then the most recent).

    Published only; never this story or another language version of it; one entry per
    story, in the reader's language when such a version is published. The picks and
    mentions of every version of this story count. Five queries.
    """
    key = article.translation_key
    picked_keys = Article.objects.filter(related_from__translation_key=key).values(
        "translation_key"
    )
    manual = _by_story(
        _Version(pk, k, lang, source is None, at)
        for pk, k, lang, source, at in Article.objects.published()
        .filter(translation_key__in=Subquery(picked_keys))
        .exclude(translation_key=key)
        .values_list("pk", "translation_key", "language", "translation_of_id", "published_at")
    )

    people_through = Article.people.through
    companies_through = Article.companies.through
    story_people = people_through.objects.filter(article__translation_key=key).values("person_id")
    story_companies = companies_through.objects.filter(article__translation_key=key).values(
        "company_id"
    )
    story_threads_ = StorylineEntry.objects.filter(article__translation_key=key).values(
        "storyline_id"
    )
    candidates = (
        Article.objects.published()
        .exclude(translation_key=key)
        .exclude(translation_key__in=Subquery(picked_keys))
        .annotate(
            score=_shared(people_through, "person_id", story_people)
            + _shared(companies_through, "company_id", story_companies)
            + THREAD_WEIGHT * _shared(StorylineEntry, "storyline_id", story_threads_)
        )
        .filter(score__gt=0)
        .order_by("-score", F("published_at").desc(nulls_last=True), "pk")
        .values_list(
            "pk", "translation_key", "language", "translation_of_id", "published_at", "score"
        )
    )
    # Each story has at most one version per language, so this many rows hold `limit` stories.
    rows = candidates[: limit * max(len(language_codes()), 1) + limit]
    automatic: dict[object, list[_Version]] = {}
    scores: dict[object, int] = {}
    for pk, k, lang, source, at, score in rows:
        automatic.setdefault(k, []).append(_Version(pk, k, lang, source is None, at))
        scores[k] = max(scores.get(k, 0), score)

    picks: list[tuple[_Version, bool, int]] = []
    for versions in sorted(
        manual.values(), key=lambda vs: -max(v.published_at.timestamp() for v in vs)
    ):
        picks.append((_preferred(versions, language), True, 0))
    for k in sorted(automatic, key=lambda k: -scores[k]):  # stable: keeps recency order
        picks.append((_preferred(automatic[k], language), False, scores[k]))
    picks = picks[:limit]
    articles = _load(version.pk for version, _manual, _score in picks)
    return [RelatedArticle(articles[v.pk], is_manual, score) for v, is_manual, score in picks]


# -- quotes in the reader's language ------------------------------------------------------


@dataclass(frozen=True)
class QuoteInLanguage:
    """A quote as a reader of `language` sees it."""

    quote: Quote
    text: str
    language: str  # the language `text` is in; mark it (lang=…) when not the page's
    is_translation: bool  # `text` is our translation, not the words as they were said

    @property
    def speaker(self) -> Person:
        return self.quote.speaker

    @property
    def said_on_display(self) -> str:
        return self.quote.said_on_display

    @property
    def context(self) -> str:
        return self.quote.context

    @property
    def rendered_from(self) -> str:
        """Set when even the original text is a translation back from another language."""
        return self.quote.rendered_from

    def is_foreign_to(self, page_language: str) -> bool:
        return self.language != page_language


QUOTES_PREFETCH = Prefetch(
    "quotes", queryset=Quote.objects.select_related("speaker").prefetch_related("translations")
)


def quotes_in(article: Article, language: str) -> list[QuoteInLanguage]:
    """The article's quotes for a reader of `language`: translated where we can.

    Uses what is prefetched (``with_page_data()`` prefetches quotes, speakers and
    translations: no query); otherwise fetches them in two queries.
    """
    from django.db.models import prefetch_related_objects

    if "quotes" not in getattr(article, "_prefetched_objects_cache", {}):
        prefetch_related_objects([article], QUOTES_PREFETCH)
    quotes = list(article.quotes.all())
    if any("translations" not in getattr(q, "_prefetched_objects_cache", {}) for q in quotes):
        prefetch_related_objects(quotes, "translations")
    if any(not Quote.speaker.is_cached(q) for q in quotes):
        prefetch_related_objects(quotes, "speaker")
    result = []
    for quote in quotes:
        text, text_language = quote.text_in(language)
        result.append(QuoteInLanguage(quote, text, text_language, text_language != quote.language))
    return result
