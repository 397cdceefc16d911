"""How readers move through the story graph on the public site.

The language a page is shown in, the versions of a story, the story threads an article
belongs to (with previous and next), related articles, and which people and companies have
public pages. Every function starts from `Article.objects.published()` and runs a fixed
number of queries whatever the size of the graph.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import (
    CARD_DEFERRED,
    Article,
    Storyline,
    StorylineEntry,
    published_condition,
)
from newsroom.languages import language_codes
from people.models import Person

RELATED_LIMIT = 6
# "In the news" looks at this many of the newest published stories, so the front page
# costs the same however large the archive grows.
NEWS_WINDOW = 300
# Related articles are looked for among this many stories either side of the article's
# publish time (plus its threads), not across the whole archive.
RELATED_WINDOW = 200


# -- The page's language ---------------------------------------------------------------


def default_language() -> str:
    return language_codes()[0]


def page_language(code: str | None) -> str:
    """A language we publish in, or 404. None means the default language."""
    if code is None or code == "":
        return default_language()
    if code not in language_codes():
        raise Http404(f"We do not publish in “{code[:20]}”.")
    return code


def activate_page_language(request, code: str) -> None:
    """Show this request in `code`: public pages follow the URL, never the browser."""
    translation.activate(code)
    request.LANGUAGE_CODE = code
    request.page_language = code


def front_url(code: str) -> str:
    """The front page in `code`; the default language's lives at /."""
    if code == default_language():
        return reverse("articles:home")
    return reverse("articles:front", kwargs={"language": code})


def with_language(path: str, code: str, params: dict | None = None) -> str:
    """`path` shown in `code`, for pages without a language prefix (`?lang=`; none for the
    default language), keeping `params` (a list page's filters)."""
    query = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    query.pop("lang", None)
    if code != default_language():
        query["lang"] = code
    return f"{path}?{urlencode(query)}" if query else path


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    # False when the link goes to that language's front page because this page has no
    # version in it.
    has_version: bool


def language_links(current: str, urls: dict[str, str]) -> list[LanguageLink]:
    """The language switcher: this page in each language where it exists, else that
    language's front page."""
    return [
        LanguageLink(code, name, urls.get(code) or front_url(code), code == current, code in urls)
        for code, name in settings.LANGUAGES
    ]


# -- Versions of a story ---------------------------------------------------------------


def language_versions(article: Article) -> list[Article]:
    """The published versions of `article`'s story in our languages, `article` included,
    in the order the languages are configured."""
    codes = language_codes()
    versions = (
        Article.objects.published()
        .filter(translation_key=article.translation_key, language__in=codes)
        .cards()
    )
    return sorted(versions, key=lambda version: codes.index(version.language))


def x_default_version(versions: list[Article]) -> Article | None:
    """The version `hreflang="x-default"` points at, for readers whose language we do not
    publish in: the default language's (the one most readers can read), else the original
    the others were translated from, else the first. Pages and the sitemap both use this."""
    for version in versions:
        if version.language == default_language():
            return version
    for version in versions:
        if version.translation_of_id is None:
            return version
    return versions[0] if versions else None


def one_per_story(queryset: QuerySet, *, language: str) -> QuerySet:
    """Keep one version of each story: the one in `language`, else the default language's,
    else the earliest published. `queryset` must already be published articles.

    A story whose preferred version is missing from `queryset` (say a translation that
    dropped a mention) is left out rather than shown twice.
    """
    default = default_language()
    published = Article.objects.published()
    # Other versions only: the row itself is covered by the language tests below. The
    # inequality also keeps PostgreSQL from hashing each subquery over the whole archive;
    # it probes the story's versions through the translation_key index, row by row, and
    # stops with the page.
    same_story = published.filter(translation_key=OuterRef("translation_key")).exclude(
        pk=OuterRef("pk")
    )
    has_own = Exists(same_story.filter(language=language))
    has_default = Exists(same_story.filter(language=default))
    has_earlier = Exists(same_story.filter(pk__lt=OuterRef("pk")))
    return queryset.filter(
        Q(language=language)
        | (~has_own & Q(language=default))
        | (~has_own & ~has_default & ~has_earlier)
    )


def versions_in(articles: Iterable[Article], *, language: str) -> dict:
    """{translation key: the version to show a reader of `language`} for the stories of
    `articles` not already in `language`: the published version in `language`, else the
    default language's. Stories with neither are left out. One query (none when every
    article is already in `language`)."""
    keys = {article.translation_key for article in articles if article.language != language}
    if not keys:
        return {}
    default = default_language()
    found = {}
    for version in (
        Article.objects.published()
        .filter(translation_key__in=keys, language__in={language, default})
        .select_related("lead_image")
        .cards()
    ):
        if version.language == language or version.translation_key not in found:
            found[version.translation_key] = version
    return found


def prefer_language(articles: Iterable[Article], *, language: str) -> list[Article]:
    """Swap each article for the version a reader of `language` should see (see
    `versions_in`), and drop repeats of a story. One query."""
    articles = list(articles)
    local = versions_in(articles, language=language)
    chosen, seen = [], set()
    for article in articles:
        if article.translation_key in seen:
            continue
        seen.add(article.translation_key)
        chosen.append(local.get(article.translation_key, article))
    return chosen


# -- Story threads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    """A story thread as a reader sees it: one article per story, in their language where
    a version exists, in the thread's order, and where the current article sits in it."""

    storyline: Storyline
    stories: list[Article]
    current: int | None = None

    @property
    def previous(self) -> Article | None:
        if self.current is None or self.current == 0:
            return None
        return self.stories[self.current - 1]

    @property
    def next(self) -> Article | None:
        if self.current is None or self.current + 1 >= len(self.stories):
            return None
        return self.stories[self.current + 1]

    @property
    def position(self) -> int | None:
        return None if self.current is None else self.current + 1


def _threads(
    storylines: list[Storyline],
    entries: Iterable[StorylineEntry],
    *,
    language: str,
    current: Article | None = None,
) -> list[Thread]:
    """Threads for `storylines` from their `entries` (in thread order): one article per
    story, in `language` where a version is published (one query). The entries of
    `current`'s story, whichever version they belong to, place `current` itself."""
    per_thread = defaultdict(list)
    for entry in entries:
        per_thread[entry.storyline_id].append(entry.article)
    current_key = current.translation_key if current is not None else None
    localised = prefer_language(
        [
            article
            for articles in per_thread.values()
            for article in articles
            if article.translation_key != current_key
        ],
        language=language,
    )
    by_key = {article.translation_key: article for article in localised}
    if current is not None:
        by_key[current_key] = current
    threads = []
    for storyline in storylines:
        stories, seen = [], set()
        for article in per_thread.get(storyline.pk, []):
            if article.translation_key not in seen:
                seen.add(article.translation_key)
                stories.append(by_key[article.translation_key])
        keys = [story.translation_key for story in stories]
        index = keys.index(current_key) if current_key in keys else None
        threads.append(Thread(storyline, stories, index))
    return threads


def article_threads(article: Article, *, language: str) -> list[Thread]:
    """The threads `article`'s story is in, with previous/next, ordered by title.

    Every version's threads count, so a translation that has no entries of its own shows
    its source's; the article sits where the first version of its story does. Two
    queries whatever the length of the threads: the entries, then the versions in the
    reader's language.
    """
    key = article.translation_key
    story_storylines = StorylineEntry.objects.filter(article__translation_key=key).values(
        "storyline_id"
    )
    entries = list(
        StorylineEntry.objects.filter(storyline__in=Subquery(story_storylines))
        .filter(published_condition("article__") | Q(article__translation_key=key))
        .select_related("storyline", "article", "article__lead_image")
        .defer(*(f"article__{column}" for column in CARD_DEFERRED))
        .order_by("storyline__title", "storyline_id", "position", "article__published_at", "pk")
    )
    storylines = list({entry.storyline_id: entry.storyline for entry in entries}.values())
    return _threads(storylines, entries, language=language, current=article)


def storyline_thread(storyline: Storyline, *, language: str) -> Thread:
    """The whole thread in order, one article per story in `language` where a version is
    published. Two queries whatever its length."""
    entries = (
        StorylineEntry.objects.filter(storyline=storyline, article__in=Article.objects.published())
        .select_related("article", "article__lead_image")
        .defer(*(f"article__{column}" for column in CARD_DEFERRED))
        .order_by("position", "article__published_at", "pk")
    )
    return _threads([storyline], entries, language=language)[0]


# -- Related articles ------------------------------------------------------------------


def _shared(through_model, column: str, values: QuerySet):
    """How many of `values` an article shares through one many-to-many table (a subquery
    per candidate, on the table's article index)."""
    return Coalesce(
        Subquery(
            through_model.objects.filter(article_id=OuterRef("pk"), **{f"{column}__in": values})
            .order_by()
            .values("article_id")
            .annotate(shared=Count("pk"))
            .values("shared")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def related_articles(article: Article, *, language: str, limit: int = RELATED_LIMIT):
    """The editors' picks first, then articles sharing the most people, companies and story
    threads with `article`; one version per story, in `language` where one exists; never
    another version of this story.

    Picks, mentions and threads of every version of the story count, so a translation
    that lost a mention or a pick still finds what its source does. Automatic candidates
    come from the story's threads and the `RELATED_WINDOW` stories published either side
    of it, so the cost does not grow with the archive: six small queries (the picks, the
    window's ids before and after, the threads' ids, the candidates scored in the
    database, and the versions in the reader's language).
    """
    key = article.translation_key
    published = Article.objects.published().select_related("lead_image").cards()
    picked = Article.related.through.objects.filter(from_article__translation_key=key).values(
        "to_article_id"
    )
    picks = list(published.filter(pk__in=picked).exclude(translation_key=key))
    people = Article.people.through.objects.filter(article__translation_key=key).values("person_id")
    companies = Article.companies.through.objects.filter(article__translation_key=key).values(
        "company_id"
    )
    storylines = StorylineEntry.objects.filter(article__translation_key=key).values("storyline_id")
    # Ids first, as plain lists: the database then reads the candidates by primary key
    # instead of weighing a scan of the archive against subqueries.
    moment = article.published_at or timezone.now()
    nearby = Article.objects.published()
    window = [
        *nearby.filter(published_at__lte=moment)
        .newest_first()
        .values_list("pk", flat=True)[:RELATED_WINDOW],
        *nearby.filter(published_at__gt=moment)
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:RELATED_WINDOW],
        *StorylineEntry.objects.filter(storyline_id__in=storylines).values_list(
            "article_id", flat=True
        ),
    ]
    candidates = (
        published.filter(pk__in=window)
        .exclude(translation_key=key)
        .exclude(translation_key__in=[pick.translation_key for pick in picks])
        .annotate(
            score=_shared(Article.people.through, "person_id", people)
            + _shared(Article.companies.through, "company_id", companies)
            + _shared(StorylineEntry, "storyline_id", storylines)
        )
        .filter(score__gt=0)
        .order_by("-score", "-published_at", "pk")
    )
    # Enough rows to fill `limit` stories even when every story comes in every language.
    automatic = list(candidates[: limit * len(language_codes())])
    return prefer_language(picks + automatic, language=language)[:limit]


# -- In the news ---------------------------------------------------------------------------


def newest_published(window: int = NEWS_WINDOW, *, exclude_language: str = "") -> QuerySet:
    """The ids of the newest `window` published articles (a subquery), leaving out those
    in `exclude_language` if given."""
    published = Article.objects.published()
    if exclude_language:
        published = published.exclude(language=exclude_language)
    return published.newest_first().values("pk")[:window]


def threads_in_the_news(limit: int, *, window: int = NEWS_WINDOW) -> list[Storyline]:
    """Story threads with the newest stories, newest first, each with `latest` (its newest
    story's time) and `story_count` (stories in the whole thread). Two bounded queries."""
    recent = (
        StorylineEntry.objects.filter(article__in=newest_published(window))
        .values("storyline_id")
        .annotate(latest=Max("article__published_at"))
        .order_by("-latest", "storyline_id")[:limit]
    )
    latest = {row["storyline_id"]: row["latest"] for row in recent}
    threads = Storyline.objects.filter(pk__in=latest).annotate(
        story_count=Count(
            "entries__article__translation_key",
            filter=published_condition("entries__article__"),
            distinct=True,
        )
    )
    for thread in threads:
        thread.latest = latest[thread.pk]
    return sorted(threads, key=lambda thread: (-thread.latest.timestamp(), thread.title))


def people_in_the_news(limit: int, *, window: int = NEWS_WINDOW) -> QuerySet:
    """People named in the newest stories, most recently seen first, each with `last_seen`
    and `story_count` (their stories among those newest ones). One bounded query."""
    recent = newest_published(window)
    return (
        Person.objects.filter(articles__in=recent)
        .annotate(
            last_seen=Max("articles__published_at"),
            story_count=Count("articles__translation_key", distinct=True),
        )
        .select_related("photo")
        .order_by("-last_seen", "-story_count", "name")[:limit]
    )
