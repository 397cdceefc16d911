"""A synthetic archive at real size, on top of the demo newsroom: `generate(n, seed)`.

N live published articles over the last five years (mostly in the default language, about
a fifth of the stories translated, some translations outdated), plus drafts, reviews,
scheduled, unpublished and archived versions; a few thousand people and companies with
skewed mentions (a few named very often, most rarely), quotes, roles over time, story
threads and a few hundred reversion revisions. Text comes from `generator_words`, chosen
with `random.Random(seed)`, so one seed always gives the same titles and slugs.

Rows go in with `bulk_create`, which sends no signals, so everything a save would derive is
derived here by the same functions: `sanitise_html`, `content_hash`, translation snapshots
(`source_snapshot`), `timeline_point`, slugs unique per language, and the search index
(PostgreSQL's trigger fires on INSERT; SQLite's FTS5 table is filled by `index_rows`).
Timestamps are the ones saves at the story's own time would have left (created before
publication, updated when last changed), not the moment the generator ran.

A second run with the same seed finds the archive there and adds nothing.
"""

import contextlib
import datetime
import hashlib
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import generator_words as words
from articles.demo import DemoBuilder
from articles.models import Article, ArticleEvent, Section, Storyline, StorylineEntry, content_hash
from articles.sanitise import sanitise_html
from articles.search import index_rows
from articles.translation import source_snapshot
from articles.workflow import ALLOWED_TRANSITIONS
from newsroom import pagecache
from newsroom.languages import language_codes
from people.generator import Cast

Status = Article.Status
BATCH = 1000
SPAN = datetime.timedelta(days=5 * 365)
HOUR = datetime.timedelta(hours=1)
TRANSLATED_STORIES = 0.2  # share of stories with versions in other languages
OUTDATED = 0.25  # share of translations whose source was corrected after the last sync
OTHER_VERSIONS = 0.08  # drafts, reviews, scheduled, unpublished, archived: per live article
OTHER_STATUSES = [
    Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED,
    "scheduled", Status.UNPUBLISHED, Status.ARCHIVED,
]  # fmt: skip
PATHS = {  # the workflow steps that lead to each status (for ArticleEvents)
    Status.IN_REVIEW: ["submit"],
    Status.CHANGES_REQUESTED: ["submit", "request_changes"],
    Status.APPROVED: ["submit", "approve"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.UNPUBLISHED: ["submit", "approve", "publish", "unpublish"],
    Status.ARCHIVED: ["submit", "approve", "publish", "archive"],
}


@dataclass
class Report:
    created: bool
    live: int = 0
    articles: int = 0
    translations: int = 0
    outdated: int = 0
    people: int = 0
    companies: int = 0
    quotes: int = 0
    storylines: int = 0
    positions: int = 0
    revisions: int = 0
    seconds: float = 0.0


@dataclass
class Story:
    """What later steps need of a generated article once its text has been written."""

    pk: int
    language: str
    title: str
    url: str
    published_at: datetime.datetime | None  # None unless live
    versions: list = field(default_factory=list)  # pks of its translations


def archive_key(seed: int, number: int) -> uuid.UUID:
    """The translation key of story `number` of the archive made with `seed`."""
    digest = hashlib.sha256(f"newsroom-archive:{seed}:{number}".encode()).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def archive_exists(seed: int) -> bool:
    return Article.objects.filter(translation_key=archive_key(seed, 0)).exists()


def generate(n: int, seed: int = 1, *, log=lambda message: None) -> Report:
    """Add an archive of `n` live articles (and the rest) for `seed`; see the module doc.

    Loads the demo newsroom first if it is not there. Returns what it made; a second call
    with the same seed makes nothing (`Report.created` is False).
    """
    if n < 1:
        raise ValueError("The archive needs at least one article.")
    if archive_exists(seed):
        log(f"A generated archive for seed {seed} is already there; nothing added.")
        return Report(created=False)
    started = time.monotonic()
    DemoBuilder(log=log).build()
    with transaction.atomic():
        report = ArchiveBuilder(n, seed, log).build()
    # Fresh statistics, so the query planner knows the tables are large now (SQLite never
    # gathers them by itself: without them a list page took 40 s instead of 0.1 s).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Bulk inserts send no signals: retire every cached page and index built before.
    pagecache.invalidate(pagecache.SITE_TAG)
    report.seconds = time.monotonic() - started
    return report


@contextlib.contextmanager
def historical_timestamps(model):
    """Let bulk_create keep the created_at/updated_at we give instead of stamping now."""
    fields = [model._meta.get_field(name) for name in ("created_at", "updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class ArchiveBuilder:
    def __init__(self, n: int, seed: int, log):
        self.n, self.seed, self.log = n, seed, log
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.writer = words.Writer(self.rng, self.now.year)
        self.started = time.monotonic()
        self.languages = language_codes()
        self.report = Report(created=True)
        users = get_user_model().objects.filter(username__in=["writer", "translator", "editor"])
        self.users = {user.username: user for user in users}
        self.slugs = defaultdict(set)
        for language, slug in Article.objects.values_list("language", "slug"):
            self.slugs[language].add(slug)
        self.urls: dict = {}
        self.stories: list[Story] = []
        self.by_person, self.by_company = defaultdict(list), defaultdict(list)
        self.cast = Cast(self.rng, self.now.date())
        self.outdated_sources: list[int] = []
        self.in_workflow: list[Article] = []  # neither live nor a draft: they have events
        self.events: list[ArticleEvent] = []

    def build(self) -> Report:
        self.make_sections()
        people, companies = min(max(self.n // 10, 200), 4000), min(max(self.n // 25, 100), 2000)
        self.cast.make(people=people, companies=companies)
        self.quotes = self.cast.make_quotes(self.say)
        self.report.people, self.report.companies = people, companies
        self.report.quotes = sum(len(quotes) for quotes in self.quotes.values())
        self.progress(f"{people} people, {companies} companies, {self.report.quotes} quotes")
        self.make_articles()
        self.make_storylines()
        self.report.positions = self.cast.make_positions(self.by_person)
        self.progress(f"{self.report.storylines} story threads, {self.report.positions} roles")
        self.make_history()
        ArticleEvent.objects.bulk_create(self.events, batch_size=BATCH)
        return self.report

    def progress(self, message: str) -> None:
        self.log(f"  {message} ({time.monotonic() - self.started:.1f}s)")

    # -- people, companies, sections, quotes --------------------------------------------

    def make_sections(self) -> None:
        existing = set(Section.objects.values_list("name", flat=True))
        new = [name for name in words.SECTIONS if name not in existing]
        Section.objects.bulk_create(Section(name=name, slug=slugify(name)) for name in new)
        self.sections = list(Section.objects.order_by("name"))

    def say(self) -> tuple[str, str]:
        language = self.pick_language()
        return self.writer.pick(language, "quotes"), language

    # -- text -----------------------------------------------------------------------------

    def pick_language(self) -> str:
        if len(self.languages) == 1 or self.rng.random() < 0.8:
            return self.languages[0]
        return self.rng.choice(self.languages[1:])

    def link(self, entity) -> tuple[str, str]:
        key = (type(entity), entity.pk)
        if key not in self.urls:
            self.urls[key] = entity.get_absolute_url()
        return entity.name, f'<a href="{self.urls[key]}">{entity.name}</a>'

    def write(self, language: str, person, company, quote, earlier: str) -> dict:
        """An article's words as a save leaves them (sanitised), and a slug free in its
        language."""
        text = self.writer.story(language, person=self.link(person), company=self.link(company),
                                 quote=quote.text if quote else "", earlier=earlier)  # fmt: skip
        text["body"] = sanitise_html(text["body"])
        base = slugify(text["title"])[:190] or "story"
        slug, number, taken = base, 1, self.slugs[language]
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        return {**text, "slug": slug}

    # -- articles -------------------------------------------------------------------------

    def article(self, number, language, text, status, published_at, created_at, **extra):
        """An Article with every field a save (and the workflow) would have set."""
        # A scheduled article was last saved when it was scheduled, not when it goes live.
        updated_at = min(published_at or created_at, self.now)
        return Article(
            language=language,
            status=status,
            published_at=published_at,
            first_published_at=published_at,
            created_at=created_at,
            updated_at=updated_at,
            owner=self.users["translator" if extra.get("translation_of") else "writer"],
            content_hash=content_hash(text["title"], text["standfirst"], text["body"]),
            translation_key=extra.pop("translation_key", archive_key(self.seed, number)),
            **text,
            **extra,
        )

    def make_articles(self) -> None:
        """Stories in chunks: originals, then their translations, then the links of both."""
        live, number, others = 0, 0, max(len(OTHER_STATUSES), round(self.n * OTHER_VERSIONS))
        while live < self.n or others:
            chunk = []
            while len(chunk) < BATCH and (live < self.n or others):
                if live < self.n:
                    planned = self.plan_story(number, Status.PUBLISHED, room=self.n - live)
                    live += 1 + len(planned[2])
                else:
                    others -= 1
                    planned = self.plan_story(
                        number, OTHER_STATUSES[others % len(OTHER_STATUSES)], room=0
                    )
                chunk.append(planned)
                number += 1
            self.insert(chunk)
            self.progress(f"{live}/{self.n} published articles")
        self.report.live = live

    def plan_story(self, number: int, status: str, *, room: int):
        """An original (not yet saved), what it links to, and the languages it gets
        published translations in (within `room`) and draft ones."""
        rng = self.rng
        language = self.pick_language()
        people, companies = self.cast.mentions()
        quotes = self.quotes.get(people[0].pk, [])
        quote = rng.choice(quotes) if quotes and rng.random() < 0.5 else None
        earlier = self.stories[-1] if self.stories and rng.random() < 0.5 else None
        link = ""
        if earlier and earlier.language == language and earlier.published_at:
            link = f'<a href="{earlier.url}">{earlier.title}</a>'
        published_at = self.now - datetime.timedelta(seconds=rng.uniform(60, SPAN.total_seconds()))
        if status in (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED):
            published_at = None
        elif status == "scheduled":
            status = Status.PUBLISHED
            published_at = self.now + datetime.timedelta(hours=rng.uniform(1, 30 * 24))
        started = min(published_at or self.now, self.now)
        created_at = started - datetime.timedelta(hours=rng.uniform(2, 72))
        text = self.write(language, people[0], companies[0], quote, link)
        article = self.article(number, language, text, status, published_at, created_at,
                               byline_note="", source=rng.choice(words.SOURCES),
                               dateline=rng.choice(words.PLACES))  # fmt: skip
        authors = rng.sample(self.cast.authors, rng.choice((0, 1, 1, 2)))
        if not authors:
            article.byline_note = "Newsroom staff"
        links = {
            "people": people,
            "companies": companies,
            "authors": authors,
            "quotes": [quote] if quote else [],
            "sections": rng.sample(self.sections, rng.choice((1, 1, 2))),
        }
        targets = [code for code in self.languages if code != language]
        if not article.is_live or not targets or rng.random() > TRANSLATED_STORIES:
            return article, links, [], []
        targets = rng.sample(targets, min(len(targets), rng.choice((1, 1, 2, 3))))
        published, drafts = targets[: room - 1], targets[room - 1 :]
        if len(published) > 1 and rng.random() < 0.2:  # one still being translated
            published, drafts = published[:-1], [published[-1], *drafts]
        return article, links, published, drafts

    def insert(self, chunk) -> None:
        """Insert a chunk of planned stories with their translations."""
        rng = self.rng
        with historical_timestamps(Article):
            Article.objects.bulk_create([article for article, *_rest in chunk], batch_size=BATCH)
        translations, corrected = [], []
        for article, links, published, drafts in chunk:
            before = source_snapshot(article)
            versions = [self.translate(article, code, links, live=True) for code in published]
            versions += [self.translate(article, code, links, live=False) for code in drafts]
            translations += [(version, links) for version in versions]
            if published and rng.random() < OUTDATED:
                corrected.append(article)
                self.correct(article, versions[0], before)
        with historical_timestamps(Article):
            Article.objects.bulk_create([t for t, _links in translations], batch_size=BATCH)
            Article.objects.bulk_update(
                corrected, ["body", "content_hash", "revised_at", "updated_at"], batch_size=BATCH
            )
        self.outdated_sources += [article.pk for article in corrected]
        self.report.outdated += len(corrected)
        self.report.translations += len(translations)
        everything = [(article, links) for article, links, *_rest in chunk] + translations
        self.link_all(everything)
        index_rows((a.pk, a.title, a.standfirst, a.body) for a, _links in everything)
        self.report.articles += len(everything)

    def translate(self, source: Article, language: str, links: dict, *, live: bool) -> Article:
        """A version in `language`, as start_translation would make it, then published."""
        gap = min(datetime.timedelta(days=10), self.now - source.published_at)
        text = self.write(language, links["people"][0], links["companies"][0], None, "")
        published_at = source.published_at + gap * 0.6 if live else None
        return self.article(
            None, language, text, Status.PUBLISHED if live else Status.DRAFT, published_at,
            source.published_at + gap * 0.2, translation_key=source.translation_key,
            translation_of=source, source_hash=source.content_hash,
            source_snapshot=source_snapshot(source), synced_at=source.published_at + gap * 0.2,
            byline_note=source.byline_note, source=source.source, dateline=source.dateline,
        )  # fmt: skip

    def correct(self, source: Article, version: Article, before: dict) -> None:
        """Change the source's words after the translation was synced: it is now outdated."""
        addition = self.writer.sentences(source.language, 1)
        source.body = sanitise_html(before["body"].replace("</p>", f" {addition}</p>", 1))
        source.content_hash = content_hash(source.title, source.standfirst, source.body)
        gap = self.now - version.published_at
        source.revised_at = source.updated_at = version.published_at + gap * 0.5

    def link_all(self, rows) -> None:
        """The many-to-many rows and story bookkeeping of inserted articles (and versions)."""
        for name in ("people", "companies", "authors", "quotes", "sections"):
            m2m = Article._meta.get_field(name)
            target = f"{m2m.m2m_reverse_field_name()}_id"
            m2m.remote_field.through.objects.bulk_create(
                [
                    m2m.remote_field.through(article_id=article.pk, **{target: linked.pk})
                    for article, links in rows
                    for linked in links[name]
                ],
                batch_size=5000,
            )
        stories = {}
        for article, links in rows:
            if not article.is_live and article.status != Status.DRAFT:
                self.in_workflow.append(article)
            if article.translation_of_id:
                stories[article.translation_of_id].versions.append(article.pk)
                continue
            live_at = article.published_at if article.is_live else None
            url = article.get_absolute_url()
            story = Story(article.pk, article.language, article.title, url, live_at)
            stories[article.pk] = story
            self.stories.append(story)
            if story.published_at:
                for person in links["people"]:
                    self.by_person[person.pk].append(story.pk)
                for company in links["companies"]:
                    self.by_company[company.pk].append(story)

    # -- threads, roles, history --------------------------------------------------------

    def make_storylines(self) -> None:
        rng, taken = self.rng, set(Storyline.objects.values_list("slug", flat=True))
        wanted = max(3, self.n // 100)
        storylines, members = [], []
        for company in self.cast.companies:
            stories = sorted(self.by_company[company.pk], key=lambda s: s.published_at)
            if len(storylines) == wanted or len(stories) < 5:
                continue
            size = min(len(stories), int(5 + 45 * rng.random() ** 2))
            start = rng.randint(0, len(stories) - size)
            topic = rng.choice(self.writer.words(self.languages[0])["topics"])
            title = f"{company.name} and the {topic}"
            slug = slugify(f"{company.slug}-{topic}")[:200]
            if slug in taken:
                continue
            taken.add(slug)
            storylines.append(Storyline(title=title, slug=slug, description=f"{title}, told "
                                        "as it happened."))  # fmt: skip
            members.append(stories[start : start + size])
        Storyline.objects.bulk_create(storylines, batch_size=BATCH)
        StorylineEntry.objects.bulk_create(
            [
                StorylineEntry(storyline=storyline, article_id=pk, position=position)
                for storyline, stories in zip(storylines, members, strict=True)
                for position, story in enumerate(stories, start=1)
                for pk in [story.pk, *story.versions]
            ],
            batch_size=5000,
        )
        self.report.storylines = len(storylines)

    def make_history(self) -> None:
        """Revisions for a sample of live stories (first draft, publication, a correction
        for some) and workflow events for them and for every article still in the flow."""
        live = [s.pk for s in self.stories if s.published_at]
        sample = self.rng.sample(live, min(len(live), max(8, self.n // 500)))
        corrected = self.outdated_sources[: max(3, self.n // 2000)]
        writer, editor = self.users["writer"], self.users["editor"]
        articles = Article.objects.in_bulk([*sample, *corrected])
        for article in articles.values():
            final = {f: getattr(article, f) for f in ("status", "published_at", "body")}
            if article.pk in corrected:  # the words as they were before the correction
                before = article.translations.exclude(source_snapshot={}).first()
                article.body = before.source_snapshot["body"]
            article.status, article.published_at = Status.DRAFT, None
            first_published_at, article.first_published_at = article.first_published_at, None
            self.revision(article, writer, "First draft", article.created_at)
            article.status, article.published_at = final["status"], final["published_at"]
            article.first_published_at = first_published_at
            self.revision(article, editor, "Publish", article.published_at)
            if article.pk in corrected:
                article.body = final["body"]
                self.revision(article, editor, "Correction", article.revised_at)
            self.record_events(article)
        for article in self.in_workflow:
            self.record_events(article)
        self.progress(f"{self.report.revisions} revisions")

    def revision(self, article: Article, user, comment: str, at) -> None:
        with reversion.create_revision():
            reversion.add_to_revision(article)
            reversion.set_user(user)
            reversion.set_comment(comment)
            reversion.set_date_created(at)
        self.report.revisions += 1

    def record_events(self, article: Article) -> None:
        """The ArticleEvents the workflow would have recorded on the way to its status."""
        at, status = article.created_at, Status.DRAFT
        for name in PATHS.get(article.status, []):
            target = ALLOWED_TRANSITIONS[name][1]
            publishing = name == "publish"
            at = min(article.published_at, self.now) if publishing else at + HOUR
            self.events.append(
                ArticleEvent(
                    article=article,
                    actor=self.users["editor"],
                    transition=name,
                    from_status=status,
                    to_status=target,
                    publish_at=article.published_at if publishing else None,
                    created_at=at,
                )
            )
            status = target
